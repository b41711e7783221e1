// The pytest plugin (pytest_plugin.py, shipped as text inside each bundle and written to a temp dir
// at run time, loaded with `-p testpace_pytest_events` and found through PYTHONPATH): its module name,
// and the file where it reports the Python that ran the tests, which saves the caller a Python
// start-up of its own just to ask.
import { readFileSync } from 'node:fs';
import source from './pytest_plugin.py?raw';

/** The plugin's source. */
export const PYTEST_PLUGIN_SOURCE = source;

/** Module name passed to `-p`. */
export const PYTEST_PLUGIN_MODULE = 'testpace_pytest_events';

/** Names the file where the plugin's main process writes {"python": version}. */
export const RUNTIME_FILE_ENV = 'TESTPACE_RUNTIME_FILE';

/** The Python version the plugin reported in `file`, or undefined when it wrote none. */
export function reportedPython(file: string): string | undefined {
  try {
    // Read synchronously, as the run's events are (see events.ts): the run has ended.
    const { python } = JSON.parse(readFileSync(file, 'utf8')) as { python?: unknown };
    return typeof python === 'string' ? python : undefined;
  } catch {
    return undefined; // not written (the run stopped early), or cut short
  }
}


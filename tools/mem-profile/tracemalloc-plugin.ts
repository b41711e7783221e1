// --tracemalloc: a small pytest plugin (tracemalloc_plugin.py, shipped as text, written to the run's temp dir and loaded
// through PYTEST_PLUGINS, so it reaches xdist workers too) that records each test's Python allocation
// peak with tracemalloc. Behind a flag because tracing every allocation slows Python down a lot.
import { readFile } from 'node:fs/promises';
import source from './tracemalloc_plugin.py?raw';

export const TRACEMALLOC_MODULE = 'testpace_tracemalloc';
export const TRACEMALLOC_ENV = 'TESTPACE_TRACEMALLOC';

/** The plugin's source (tracemalloc_plugin.py). */
export const TRACEMALLOC_PLUGIN_SOURCE = source;

/** The environment that loads the plugin (its directory must be on PYTHONPATH, as the pytest adapter's is). */
export function tracemallocEnv(env: NodeJS.ProcessEnv, tmpDir: string, out: string): NodeJS.ProcessEnv {
  const plugins = [env.PYTEST_PLUGINS, TRACEMALLOC_MODULE].filter(Boolean).join(',');
  const pythonPath = env.PYTHONPATH?.split(':').includes(tmpDir) ? env.PYTHONPATH : [tmpDir, env.PYTHONPATH].filter(Boolean).join(':');
  return { ...env, PYTEST_PLUGINS: plugins, PYTHONPATH: pythonPath, [TRACEMALLOC_ENV]: out };
}

/** Peaks by `pid\0nodeid`, read after the run. */
export async function readTracemallocPeaks(file: string): Promise<Map<string, number>> {
  const peaks = new Map<string, number>();
  const text = await readFile(file, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    try {
      const record = JSON.parse(line) as { id?: unknown; pid?: unknown; peakBytes?: unknown };
      if (typeof record.id === 'string' && typeof record.pid === 'number' && typeof record.peakBytes === 'number') {
        peaks.set(`${record.pid}\u0000${record.id}`, record.peakBytes);
      }
    } catch {
      // a torn last line
    }
  }
  return peaks;
}

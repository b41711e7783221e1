// --tracemalloc: a small pytest plugin (shipped as text, written to the run's temp dir and loaded
// through PYTEST_PLUGINS, so it reaches xdist workers too) that records each test's Python allocation
// peak with tracemalloc. Behind a flag because tracing every allocation slows Python down a lot.
import { readFile } from 'node:fs/promises';

export const TRACEMALLOC_MODULE = 'testpace_tracemalloc';
export const TRACEMALLOC_ENV = 'TESTPACE_TRACEMALLOC';

export const TRACEMALLOC_PLUGIN_SOURCE = String.raw`"""testpace: each test's tracemalloc peak (above the traced memory at its start), as JSON lines."""
import json
import os
import tracemalloc

import pytest

_OUT = os.environ.get("TESTPACE_TRACEMALLOC")


class _TestpaceTracemalloc:
    def __init__(self):
        self.fd = None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        if not tracemalloc.is_tracing():
            tracemalloc.start()
        tracemalloc.reset_peak()
        start, _ = tracemalloc.get_traced_memory()
        yield
        current, peak = tracemalloc.get_traced_memory()
        if self.fd is None:
            self.fd = os.open(_OUT, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        record = {"id": item.nodeid, "pid": os.getpid(), "peakBytes": max(0, peak - start), "growthBytes": current - start}
        os.write(self.fd, (json.dumps(record) + "\n").encode("utf-8"))


def pytest_configure(config):
    if _OUT and not config.pluginmanager.has_plugin("testpace-tracemalloc"):
        config.pluginmanager.register(_TestpaceTracemalloc(), "testpace-tracemalloc")
`;

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

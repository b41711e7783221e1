// The pytest plugin, shipped as text inside each bundle and written to a temp dir at run time
// (loaded with `-p testpace_pytest_events`, found through PYTHONPATH).
// Why it is shaped this way:
// - events come from the process that runs the test (an xdist worker, or pytest itself), so `pid`
//   names the process whose memory the test used; the xdist controller, which only relays reports,
//   writes nothing;
// - phases come from pytest's own reports (report.duration per setup/call/teardown), so fixture
//   time lands in setup;
// - each line is one os.write on an O_APPEND descriptor: lines from several workers never interleave;
// - with TESTPACE_CPROFILE_DIR set, each test process also runs cProfile and dumps <pid>.prof there;
// - with TESTPACE_RUNTIME_FILE set, the main pytest process writes {"python": version} there, which
//   saves the caller a Python start-up of its own just to ask.

import { readFileSync } from 'node:fs';

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

export const PYTEST_PLUGIN_SOURCE = String.raw`"""testpace: records each test's setup/call/teardown as JSON lines in $TESTPACE_EVENTS."""
import json
import os
import time

import pytest

_EVENTS = os.environ.get("TESTPACE_EVENTS")
_CPROFILE_DIR = os.environ.get("TESTPACE_CPROFILE_DIR")


def _first_line(report):
    text = getattr(report, "longreprtext", "") or ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("E "):
            return line[1:].strip()[:500]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:500] if lines else None


class _TestpaceRecorder:
    def __init__(self, config):
        self.config = config
        self.fd = None
        self.active = None
        self.tests = {}
        self.paths = {}
        self.profiler = None
        self.invocation_dir = str(config.invocation_params.dir)
        self.worker = os.environ.get("PYTEST_XDIST_WORKER") or "main"

    def is_active(self):
        if self.active is None:
            # The xdist controller relays its workers' reports; the workers write the events.
            controller = not hasattr(self.config, "workerinput") and self.config.pluginmanager.has_plugin("dsession")
            self.active = not controller
        return self.active

    def write(self, record):
        if not _EVENTS:
            return
        if self.fd is None:
            self.fd = os.open(_EVENTS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.write(self.fd, (json.dumps(record, separators=(",", ":")) + "\n").encode("utf-8"))

    def identity(self, nodeid):
        path, _, name = nodeid.partition("::")
        full = self.paths.get(nodeid) or os.path.join(str(self.config.rootpath), path)
        file = os.path.relpath(full, self.invocation_dir).replace(os.sep, "/")
        return file, name or path

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session):
        if not hasattr(self.config, "workerinput"):
            # Start-up (interpreter, plugins, conftest) ends here; collection begins.
            self.write({"event": "session", "pid": os.getpid(), "t": time.time() * 1000.0})
        if _CPROFILE_DIR and self.is_active():
            import cProfile

            self.profiler = cProfile.Profile()
            self.profiler.enable()

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self, config):
        if self.profiler is not None:
            self.profiler.disable()
            self.profiler.dump_stats(os.path.join(_CPROFILE_DIR, "%d.prof" % os.getpid()))
            self.profiler = None
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.paths[item.nodeid] = str(item.path)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logstart(self, nodeid, location):
        if not self.is_active():
            return
        t = time.time() * 1000.0
        self.tests[nodeid] = {"phases": {}, "outcome": "passed", "message": None}
        file, name = self.identity(nodeid)
        self.write({"event": "start", "file": file, "name": name, "id": nodeid, "worker": self.worker, "pid": os.getpid(), "t": t})

    def pytest_runtest_logreport(self, report):
        state = self.tests.get(report.nodeid) if self.is_active() else None
        if state is None:
            return
        key = report.when + "Ms"
        state["phases"][key] = state["phases"].get(key, 0.0) + report.duration * 1000.0
        if report.failed:
            if state["outcome"] in ("passed", "skipped"):
                state["outcome"] = "failed" if report.when == "call" else "error"
                state["message"] = _first_line(report)
        elif report.skipped and state["outcome"] == "passed":
            state["outcome"] = "skipped"

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logfinish(self, nodeid, location):
        state = self.tests.pop(nodeid, None) if self.is_active() else None
        if state is None:
            return
        t = time.time() * 1000.0
        file, name = self.identity(nodeid)
        self.paths.pop(nodeid, None)
        phases = {key: round(value, 3) for key, value in state["phases"].items()}
        record = {
            "event": "end", "file": file, "name": name, "id": nodeid, "worker": self.worker, "pid": os.getpid(), "t": t,
            "outcome": state["outcome"], "durationMs": round(sum(phases.values()), 3), "phases": phases,
        }
        if state["message"]:
            record["message"] = state["message"]
        self.write(record)


def pytest_configure(config):
    runtime_file = os.environ.get("TESTPACE_RUNTIME_FILE")
    if runtime_file and not hasattr(config, "workerinput"):
        import platform

        with open(runtime_file, "w") as handle:
            json.dump({"python": platform.python_version()}, handle)
    if not config.pluginmanager.has_plugin("testpace-recorder"):
        config.pluginmanager.register(_TestpaceRecorder(config), "testpace-recorder")
`;

"""testpace: records each test's setup/call/teardown as JSON lines in $TESTPACE_EVENTS.

Copied to the run's temp dir as testpace_pytest_events.py and loaded with -p (or PYTEST_PLUGINS).
- events come from the process that runs the test (an xdist worker, or pytest itself), so `pid` names
  the process whose memory the test used; the xdist controller, which only relays reports, writes
  no test events, but it writes collection errors, which it receives once each;
- phases come from pytest's own reports (report.duration per setup/call/teardown), so fixture time
  lands in setup;
- times come from a clock taken when this module is imported, before any test code: a test that
  patches time.time or time.perf_counter (by hand, freezegun) cannot move tests on the timeline;
- each line is one os.write on an O_APPEND descriptor: lines from several workers never interleave;
- with TESTPACE_CPROFILE_DIR set, each test process also runs cProfile and dumps <pid>.prof there;
- with TESTPACE_RUNTIME_FILE set, the main pytest process writes {"python": version} there.
"""

import json
import os
import time

import pytest

_EVENTS = os.environ.get("TESTPACE_EVENTS")
_CPROFILE_DIR = os.environ.get("TESTPACE_CPROFILE_DIR")


# The monotonic clock and where it stood in epoch time, taken at import. Kept in a tuple: freezegun
# rewrites module globals that hold time's functions, not what a tuple holds.
_CLOCK = (time.perf_counter, time.time(), time.perf_counter())


def _now():
    """Epoch milliseconds on the clock taken at import."""
    perf_counter, epoch, origin = _CLOCK
    return (epoch + perf_counter() - origin) * 1000.0


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
        self.is_worker = hasattr(config, "workerinput")

    def is_active(self):
        if self.active is None:
            # The xdist controller relays its workers' reports; the workers write the events.
            controller = not self.is_worker and self.config.pluginmanager.has_plugin("dsession")
            self.active = not controller
        return self.active

    def write(self, record):
        if not _EVENTS:
            return
        if self.fd is None:
            self.fd = os.open(_EVENTS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.write(self.fd, (json.dumps(record, separators=(",", ":")) + "\n").encode("utf-8"))

    def relative(self, path):
        full = os.path.join(str(self.config.rootpath), path)
        return os.path.relpath(full, self.invocation_dir).replace(os.sep, "/")

    def identity(self, nodeid):
        path, _, name = nodeid.partition("::")
        full = self.paths.get(nodeid) or os.path.join(str(self.config.rootpath), path)
        file = os.path.relpath(full, self.invocation_dir).replace(os.sep, "/")
        return file, name or path

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session):
        if not self.is_worker:
            # Start-up (interpreter, plugins, conftest) ends here; collection begins.
            self.write({"event": "session", "pid": os.getpid(), "t": _now()})
        if _CPROFILE_DIR and self.is_active():
            import cProfile

            self.profiler = cProfile.Profile()
            self.profiler.enable()

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self, config):
        if self.profiler is not None:
            self.profiler.disable()
            self.profiler.dump_stats(os.path.join(_CPROFILE_DIR, f"{os.getpid()}.prof"))
            self.profiler = None
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def pytest_collectreport(self, report):
        # A module or package that failed to import: an error outside any test. Written by the process
        # the user started (xdist's controller hears of each distinct error once), not by workers.
        if not report.failed or self.is_worker:
            return
        path = report.nodeid.partition("::")[0] or "."
        file = self.relative(path)
        record = {
            "event": "end", "file": file, "name": "(collection)", "id": report.nodeid or file, "worker": None,
            "pid": os.getpid(), "t": _now(), "outcome": "error", "durationMs": 0,
        }
        message = _first_line(report)
        if message:
            record["message"] = message
        self.write(record)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.paths[item.nodeid] = str(item.path)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logstart(self, nodeid, location):
        if not self.is_active():
            return
        t = _now()
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
        t = _now()
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

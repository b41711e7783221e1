"""testpace: each test's tracemalloc peak (above the traced memory at its start), as JSON lines."""
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

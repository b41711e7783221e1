# Module-level on purpose: the blocks outlive the test, so the process's
# resident memory stays up for the rest of the run.
_HELD = []


def test_price_history_cache_holds_64_mib():
    block = bytearray(b"\x5a") * (64 * 1024 * 1024)
    _HELD.append(block)
    assert block[-1] == 0x5A

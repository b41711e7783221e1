from shop import invoice_total


def test_total_adds_standard_tax():
    lines = [(2500, 2, "standard"), (199, 1, "zero")]
    assert invoice_total(lines) == 6199


def test_order_total_includes_tax():
    lines = [(2500, 2, "standard"), (199, 1, "zero")]
    assert invoice_total(lines) == 6199

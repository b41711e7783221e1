import time

from shop import format_cents, invoice_total


def test_checkout_waits_for_payment_gateway():
    time.sleep(0.5)
    assert invoice_total([(1000, 1, "standard")]) == 1200


def test_receipt_prints_after_printer_warmup():
    time.sleep(0.3)
    assert format_cents(invoice_total([(450, 2, "zero")])) == "$9.00"

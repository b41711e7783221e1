"""Invoice totals: each line's price times quantity, plus the tax of its band."""

from shop.tax import tax_for


def invoice_total(lines):
    """Total in cents of (unit_cents, quantity, band) lines."""
    return sum(cents * qty + tax_for(cents * qty, band) for cents, qty, band in lines)

"""Money as integer cents, so that totals never drift through float rounding."""

import os


def to_cents(amount):
    """Parse a decimal string such as "12.5" into cents (1250)."""
    units, _, fraction = amount.partition(".")
    return int(units) * 100 + int((fraction + "00")[:2])


def round_half_up(value):
    # Python's round() rounds half to even; shops round half up (amounts are never negative here).
    return int(value + 0.5)


def format_cents(cents, symbol="$"):
    return f"{symbol}{cents // 100}.{cents % 100:02d}"


def currency_from_env():
    return os.environ.get("SHOP_CURRENCY", "USD")

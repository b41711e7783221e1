from shop.money import format_cents, to_cents
from shop.tax import tax_for


def test_to_cents_reads_whole_units():
    assert to_cents("12") == 1200


def test_to_cents_pads_a_single_decimal():
    assert to_cents("3.5") == 350


def test_format_cents_pads_small_amounts():
    assert format_cents(7) == "$0.07"


def test_tax_rounds_half_a_cent_up():
    assert tax_for(10, "reduced") == 1

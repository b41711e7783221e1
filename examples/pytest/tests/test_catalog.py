from shop import format_cents, invoice_total


def test_tea_costs_four_fifty(catalog):
    assert format_cents(catalog["tea"]) == "$4.50"


def test_mug_and_two_spoons_are_taxed_by_band(catalog):
    lines = [(catalog["mug"], 1, "standard"), (catalog["spoon"], 2, "reduced")]
    assert invoice_total(lines) == 1200 + 240 + 398 + 20


def test_catalog_lists_three_products(catalog):
    assert sorted(catalog) == ["mug", "spoon", "tea"]

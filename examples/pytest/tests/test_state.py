import os
from pathlib import Path

from shop import tax
from shop.money import currency_from_env


def test_region_switches_currency():
    os.environ["SHOP_CURRENCY"] = "EUR"
    assert currency_from_env() == "EUR"


def test_promo_band_is_tax_free():
    tax.RATES["promo"] = 0.0
    assert tax.tax_for(1000, "promo") == 0


def test_daily_report_is_written():
    Path("/tmp/testpace-example-pytest.txt").write_text("orders: 2\n")
    assert Path("/tmp/testpace-example-pytest.txt").exists()

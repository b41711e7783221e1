import time

import pytest


@pytest.fixture
def catalog():
    """The product catalog, as a slow backing service would hand it over."""
    time.sleep(0.1)
    return {"tea": 450, "mug": 1200, "spoon": 199}

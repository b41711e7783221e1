import json
from pathlib import Path

from labels import slugify


def test_slugs_match_the_printed_labels():
    printed = json.loads((Path(__file__).parent / "data" / "labels.json").read_text())
    assert {name: slugify(name) for name in printed} == printed


def test_slug_of_an_empty_name_is_empty():
    assert slugify("") == ""

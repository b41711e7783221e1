"""Shelf labels: product names as URL-safe slugs. Only the label tests use this module."""

import re


def slugify(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")

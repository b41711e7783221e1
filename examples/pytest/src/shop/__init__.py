"""The shop package's public face: callers import from here, not from the modules."""

from .invoice import invoice_total
from .money import format_cents, to_cents
from .tax import tax_for

__all__ = ["format_cents", "invoice_total", "tax_for", "to_cents"]

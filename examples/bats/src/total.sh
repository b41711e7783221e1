#!/usr/bin/env bash
# Prints the formatted total of an invoice: total.sh CENTS:QUANTITY:BAND...
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/pricing.sh"

format_cents "$(invoice_total "$@")"

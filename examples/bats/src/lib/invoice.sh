# Invoice totals: each line's price times quantity, plus the tax of its band.
source "$(dirname "${BASH_SOURCE[0]}")/tax.sh"

# invoice_total CENTS:QUANTITY:BAND...
invoice_total() {
  local line cents quantity band total=0
  for line in "$@"; do
    IFS=: read -r cents quantity band <<<"$line"
    total=$((total + cents * quantity + $(tax_for $((cents * quantity)) "$band")))
  done
  echo "$total"
}

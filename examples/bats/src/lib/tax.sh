# Sales tax by band, in basis points; a table, so that a new band needs no code.
source "$(dirname "${BASH_SOURCE[0]}")/money.sh"

declare -gA TAX_BASIS_POINTS=([standard]=2000 [reduced]=500 [zero]=0)

# tax_for CENTS BAND
tax_for() {
  round_half_up $(($1 * ${TAX_BASIS_POINTS[${2:-standard}]})) 10000
}

# Money as integer cents, so that totals never drift through float rounding.

# to_cents 12.5 -> 1250
to_cents() {
  local units=${1%%.*} fraction=
  [[ $1 == *.* ]] && fraction=${1#*.}
  fraction="${fraction}00"
  echo $((10#$units * 100 + 10#${fraction:0:2}))
}

# round_half_up NUMERATOR DENOMINATOR; amounts are never negative here.
round_half_up() {
  echo $((($1 + $2 / 2) / $2))
}

format_cents() {
  printf '%s%d.%02d\n' "${2:-\$}" $(($1 / 100)) $(($1 % 100))
}

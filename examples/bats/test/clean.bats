load test_helper

setup() {
  source "$SRC/lib/money.sh"
}

@test "to_cents reads whole units" {
  [ "$(to_cents 12)" = 1200 ]
}

@test "to_cents pads a single decimal" {
  [ "$(to_cents 3.5)" = 350 ]
}

@test "format_cents pads small amounts" {
  [ "$(format_cents 7)" = '$0.07' ]
}

@test "round_half_up rounds half a cent up" {
  [ "$(round_half_up 5000 10000)" = 1 ]
}

load test_helper

@test "checkout waits for the payment gateway" {
  sleep 0.5
  run "$SRC/total.sh" 1000:1:standard
  [ "$output" = '$12.00' ]
}

@test "receipt prints after the printer warms up" {
  sleep 0.3
  run "$SRC/total.sh" 450:2:zero
  [ "$output" = '$9.00' ]
}

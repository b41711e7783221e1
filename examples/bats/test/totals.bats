load test_helper

@test "total adds standard tax" {
  run "$SRC/total.sh" 2500:2:standard 199:1:zero
  [ "$output" = '$61.99' ]
}

@test "order total includes tax" {
  run "$SRC/total.sh" 2500:2:standard 199:1:zero
  [ "$output" = '$61.99' ]
}

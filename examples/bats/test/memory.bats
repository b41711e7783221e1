load test_helper

@test "price history cache holds 64 MiB" {
  # A global of the test's shell: it stays resident until the test's process ends.
  printf -v PRICE_HISTORY '%67108864s' ''
  [ "${#PRICE_HISTORY}" -eq 67108864 ]
}

load test_helper

@test "daily report is written" {
  echo 'orders: 2' > /tmp/testpace-example-bats.txt
  [ -f /tmp/testpace-example-bats.txt ]
}

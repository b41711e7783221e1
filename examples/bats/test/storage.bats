load test_helper

@test "orders persist in sqlite" {
  run sqlite3 "$BATS_TEST_TMPDIR/orders.db" 'create table orders (cents integer); insert into orders values (450), (1200); select sum(cents) from orders;'
  [ "$status" -eq 0 ]
  [ "$output" = 1650 ]
}

@test "inventory service refuses when down" {
  port=$(closed_port)
  run curl --silent --max-time 2 "http://127.0.0.1:$port/stock"
  # curl's exit status 7: failed to connect to host.
  [ "$status" -eq 7 ]
}

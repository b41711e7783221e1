load test_helper

setup() {
  sleep 0.1
  TEA=450 MUG=1200 SPOON=199
}

@test "tea costs four fifty" {
  run "$SRC/total.sh" "$TEA:1:zero"
  [ "$output" = '$4.50' ]
}

@test "a mug and two spoons are taxed by band" {
  run "$SRC/total.sh" "$MUG:1:standard" "$SPOON:2:reduced"
  [ "$output" = '$18.58' ]
}

@test "the catalog prices three products" {
  [ -n "$TEA" ] && [ -n "$MUG" ] && [ -n "$SPOON" ]
}

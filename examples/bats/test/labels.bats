load test_helper

@test "slugs match the printed labels" {
  while IFS=$'\t' read -r name slug; do
    run "$SRC/slug.sh" "$name"
    [ "$output" = "$slug" ]
  done < "$BATS_TEST_DIRNAME/fixtures/labels.tsv"
}

@test "slug of an empty name is empty" {
  run "$SRC/slug.sh" ''
  [ "$output" = '' ]
}

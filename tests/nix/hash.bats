#!/usr/bin/env bats
# The staleness check of pnpmDepsHash (nix/update-hash.sh --check): flake.nix records the sha256 of
# the lockfile `make nix-hash` computed the hash for, and a lockfile that no longer matches fails.
# (`make nix-hash` itself fetches a few hundred MB and is run by hand: docs/nix.md.)

load helpers

# A copy of what the check reads: flake.nix, pnpm-lock.yaml and the script.
copy_repo() {
  mkdir -p "$1/nix"
  cp "$REPO_ROOT/flake.nix" "$REPO_ROOT/pnpm-lock.yaml" "$1/"
  cp "$REPO_ROOT/nix/update-hash.sh" "$1/nix/"
}

@test "pnpmDepsHash in flake.nix was computed for the committed pnpm-lock.yaml" {
  run "$REPO_ROOT/nix/update-hash.sh" --check
  [ "$status" -eq 0 ]
  [[ "$(sed -n 's/^ *pnpmDepsHash = "\(.*\)";$/\1/p' "$REPO_ROOT/flake.nix")" =~ ^sha256-[A-Za-z0-9+/]{43}=$ ]]
}

@test "a lockfile edited without a new hash fails the check, which names make nix-hash" {
  copy_repo "$BATS_TEST_TMPDIR/repo"
  echo "# an edit" >> "$BATS_TEST_TMPDIR/repo/pnpm-lock.yaml"
  run "$BATS_TEST_TMPDIR/repo/nix/update-hash.sh" --check
  [ "$status" -eq 1 ]
  [[ "$output" == *"pnpm-lock.yaml (sha256 $(sha256sum "$BATS_TEST_TMPDIR/repo/pnpm-lock.yaml" | cut -d' ' -f1)) is not the lockfile"* ]]
  [[ "$output" == *"run 'make nix-hash' and commit flake.nix"* ]]
  # The recorded sha256 alone does not make it current: the hash must be there too.
  sed -i 's|^\( *pnpmDepsHash = \)"[^"]*";|\1"";|' "$BATS_TEST_TMPDIR/repo/flake.nix"
  cp "$REPO_ROOT/pnpm-lock.yaml" "$BATS_TEST_TMPDIR/repo/"
  run "$BATS_TEST_TMPDIR/repo/nix/update-hash.sh" --check
  [ "$status" -eq 1 ]
}

@test "the check refuses a flake.nix without its two recorded values" {
  copy_repo "$BATS_TEST_TMPDIR/repo"
  sed -i '/^ *pnpmDepsLockSha256 = /d' "$BATS_TEST_TMPDIR/repo/flake.nix"
  run "$BATS_TEST_TMPDIR/repo/nix/update-hash.sh" --check
  [ "$status" -eq 2 ]
  [[ "$output" == *"flake.nix has no single 'pnpmDepsLockSha256 = \"...\";' line"* ]]
}

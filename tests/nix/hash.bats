#!/usr/bin/env bats
# `make nix-hash` (nix/update-hash.sh), against the stand-in for nixpkgs whose fetchPnpmDeps is a
# fixed-output derivation as nixpkgs' is (its content: the lockfile's checksum, not a pnpm store).

load helpers

setup() {
  WORK="$BATS_TEST_TMPDIR"
  snapshot_repo "$WORK/repo"
  STANDIN="$("$REPO_ROOT/nix/stand-in.sh" "$WORK" fixed-output)"
  export NIX_HASH_ARGS="--override-input nixpkgs $STANDIN --no-write-lock-file"
  cd "$WORK/repo"
}

hash_in_flake() {
  sed -n 's/^ *pnpmDepsHash = "\([^"]*\)";$/\1/p' flake.nix
}

@test "nix-hash writes the hash Nix reports, the build then succeeds, and a lockfile change needs a new one" {
  sed -i 's|^\( *pnpmDepsHash = \)"[^"]*";|\1"";|' flake.nix
  run nix/update-hash.sh
  [ "$status" -eq 0 ]
  first="$(hash_in_flake)"
  [[ "$first" =~ ^sha256-[A-Za-z0-9+/]{43}=$ ]]
  nix_standin build .#select --no-link

  # A lockfile change without a new hash fails the build: as with nixpkgs, the stale fixed output
  # already in the store is reused, and installing from it fails.
  echo "# a change" >> pnpm-lock.yaml
  run nix_standin build .#select --no-link
  [ "$status" -ne 0 ]
  [[ "$output" == *"pnpmDeps is for another lockfile"* ]]

  run nix/update-hash.sh
  [ "$status" -eq 0 ]
  second="$(hash_in_flake)"
  [[ "$second" =~ ^sha256- ]]
  [ "$second" != "$first" ]
  nix_standin build .#select --no-link

  run nix/update-hash.sh
  [ "$status" -eq 0 ]
  [[ "$output" == *"up to date"* ]]
  [ "$(hash_in_flake)" = "$second" ]
}

@test "nix-hash leaves flake.nix as it was when the build fails before reporting a hash" {
  sed -i 's|^\( *pnpmDepsHash = \)"[^"]*";|\1"sha256-kept";|' flake.nix
  git rm -q pnpm-lock.yaml
  run nix/update-hash.sh
  [ "$status" -eq 1 ]
  [[ "$output" == *"no pnpm-lock.yaml in the source"* ]]
  [ "$(hash_in_flake)" = "sha256-kept" ]
}

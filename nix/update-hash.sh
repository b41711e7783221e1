#!/usr/bin/env bash
# `make nix-hash`: after a change to pnpm-lock.yaml, writes the new hash of the Node packages
# (fetchPnpmDeps' fixed output) into flake.nix. It empties pnpmDepsHash, builds the dependencies
# alone, and takes the hash Nix reports. Needs a Nix that reaches the binary cache and the npm
# registry (real nixpkgs); extra nix arguments can be given in NIX_HASH_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
nix_() { nix --extra-experimental-features 'nix-command flakes' "$@"; }
pattern='^\( *pnpmDepsHash = \)"[^"]*";$'

[ "$(grep -c "$pattern" flake.nix)" -eq 1 ] || { echo "nix-hash: flake.nix has no single 'pnpmDepsHash = \"...\";' line" >&2; exit 2; }
old="$(sed -n 's/^ *pnpmDepsHash = "\([^"]*\)";$/\1/p' flake.nix)"
set_hash() { sed -i "s|$pattern|\\1\"$1\";|" flake.nix; }

system="$(nix_ eval --impure --raw --expr builtins.currentSystem)"
set_hash ""
# shellcheck disable=SC2086 # NIX_HASH_ARGS is a list of words
if log="$(nix_ build ".#packages.$system.default.pnpmDeps" --no-link ${NIX_HASH_ARGS:-} 2>&1)"; then
  set_hash "$old"
  echo "nix-hash: the dependencies built with an empty hash; flake.nix left as it was" >&2
  exit 1
fi
new="$(grep -oE 'got: +sha256-[A-Za-z0-9+/]+=*' <<<"$log" | awk '{print $2}' | tail -1 || true)"
if [ -z "$new" ]; then
  set_hash "$old"
  printf '%s\n' "$log" | tail -20 >&2
  echo "nix-hash: the build failed before it reported a hash (above); flake.nix left as it was" >&2
  exit 1
fi
set_hash "$new"
if [ "$new" = "$old" ]; then echo "nix-hash: pnpmDepsHash is up to date: $new" >&2
else echo "nix-hash: pnpmDepsHash ${old:-(empty)} -> $new" >&2; fi

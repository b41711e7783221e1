#!/usr/bin/env bash
# `make nix-check`: checks the flake against the stand-in for nixpkgs (nix/stand-in/): every
# output exists for every system, every app runs its tool's binary, and the tools really build
# and run. Installs Nix from Debian when missing. What this proves and what it cannot: docs/nix.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source "$(dirname "$0")/env.sh"
ensure_nix
echo "nix-check: $(nix --version), against the stand-in for nixpkgs (no binary cache, no GitHub)" >&2
exec bats "${@:-tests/nix}"

#!/usr/bin/env bash
# Usage: nix/stand-in.sh DIR [fixed-output]
# Copies the stand-in for nixpkgs (nix/stand-in/) to DIR/stand-in and writes its host.nix: where
# this machine's node, pnpm (and its store), python3, bats and git are. Prints the flake reference to pass
# as `--override-input nixpkgs <ref>`. With "fixed-output", its fetchPnpmDeps is a fixed-output
# derivation, as nixpkgs' is (for testing `make nix-hash`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:?usage: nix/stand-in.sh DIR [fixed-output]}/stand-in"
fixed_output=false
[ "${2:-}" = fixed-output ] && fixed_output=true

need() {
  command -v "$1" 2>/dev/null || { echo "nix/stand-in.sh: $1 is not on PATH; run 'make setup' first" >&2; exit 2; }
}
node="$(need node)"
[ -d "$root/node_modules" ] || { echo "nix/stand-in.sh: no $root/node_modules; run 'make setup' first" >&2; exit 2; }
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS=0

# pnpm itself, else corepack's (what scripts/setup.sh uses).
if pnpm="$(command -v pnpm 2>/dev/null)"; then :; else pnpm="$(need corepack) pnpm"; fi

# The pnpm store `make setup` installed node_modules from, and corepack's cache of the pinned pnpm:
# the stand-in's pnpmConfigHook installs offline from them.
pnpm_store="$(cd "$root" && $pnpm store path)"
corepack_home="${COREPACK_HOME:-$("$node" -p "require('os').homedir()")/.cache/node/corepack}"

mkdir -p "$dir"
cp "$root"/nix/stand-in/*.nix "$root"/nix/stand-in/*.sh "$dir"/
cat > "$dir/host.nix" <<NIX
# Written by nix/stand-in.sh for this machine.
{
  bash = "$(need bash)";
  path = "/usr/local/bin:/usr/bin:/bin";
  node = "$node";
  nodeVersion = "$("$node" -p 'process.versions.node')";
  pnpm = "$pnpm";
  python = "$("$(need python3)" -c "import sys; print(sys.executable)")";
  bats = "$(need bats)";
  git = "$(need git)";
  pnpmStore = "$pnpm_store";
  corepackHome = "$corepack_home";
  fixedOutputDeps = $fixed_output;
}
NIX
echo "path:$dir"

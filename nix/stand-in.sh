#!/usr/bin/env bash
# Usage: nix/stand-in.sh DIR
# Copies the stand-in for nixpkgs (nix/stand-in/) to DIR/stand-in, writes DIR/bin/pnpm (the pinned
# pnpm, through corepack) and the stand-in's host.nix: where this machine's node, pnpm (and its
# store), python3, bats and git are. Prints the flake reference to pass as
# `--override-input nixpkgs <ref>`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
base="${1:?usage: nix/stand-in.sh DIR}"
dir="$base/stand-in"

need() {
  command -v "$1" 2>/dev/null || { echo "nix/stand-in.sh: $1 is not on PATH; run 'make setup' first" >&2; exit 2; }
}
node="$(need node)"
[ -d "$root/node_modules" ] || { echo "nix/stand-in.sh: no $root/node_modules; run 'make setup' first" >&2; exit 2; }
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS=0

# The stand-in's pnpm: the version package.json pins, run through corepack as scripts/setup.sh runs
# it (never a pnpm that happens to be on PATH), as one executable, since the stand-in's packages
# exec their host tool by path. Builds set their own HOME, so corepack's cache is named.
corepack="$(need corepack)"
pinned="$("$node" -p "require('$root/package.json').packageManager")"
corepack_home="${COREPACK_HOME:-$("$node" -p "require('os').homedir()")/.cache/node/corepack}"
pnpm="$base/bin/pnpm"
mkdir -p "$base/bin"
printf '#!%s\nCOREPACK_HOME=%q COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS=0 exec %q %q "$@"\n' \
  "$(need bash)" "$corepack_home" "$corepack" "$pinned" > "$pnpm"
chmod +x "$pnpm"
version="$("$pnpm" --version)" || { echo "nix/stand-in.sh: $pnpm --version failed" >&2; exit 2; }
[ "pnpm@$version" = "$pinned" ] || { echo "nix/stand-in.sh: corepack ran pnpm $version, package.json pins $pinned" >&2; exit 2; }

# The pnpm store `make setup` installed node_modules from: the stand-in's pnpmConfigHook installs
# offline from it.
pnpm_store="$(cd "$root" && "$pnpm" store path)"

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
}
NIX
echo "path:$dir"

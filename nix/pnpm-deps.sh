#!/usr/bin/env bash
# Usage: nix/pnpm-deps.sh SOURCE OUT
# Makes OUT as nixpkgs' fetchPnpmDeps (fetcherVersion 3, pnpm 10) makes its fixed output from
# SOURCE, step for step, so that `nix hash path OUT` is the hash a real Nix computes: a pnpm
# store filled by `pnpm install --force` (every platform's optional packages), its JSON files
# sorted without timestamps, its modes fixed, packed into a reproducible tarball. Called by
# nix/update-hash.sh, with pnpm, tar and zstd of the versions nixpkgs uses first on PATH and a
# bare environment. The bytes depend on those versions: docs/nix.md.
set -euo pipefail
source_dir="$(cd "${1:?usage: nix/pnpm-deps.sh SOURCE OUT}" && pwd)"
out="${2:?usage: nix/pnpm-deps.sh SOURCE OUT}"
[ ! -e "$out" ] || { echo "nix/pnpm-deps.sh: $out already exists" >&2; exit 2; }

# A Nix build's surroundings: a writable temp HOME, a copy of the source, the stdenv's fixed date.
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export HOME="$work/home" SOURCE_DATE_EPOCH=315532800
mkdir "$HOME"
cp -R "$source_dir" "$work/source"
chmod -R u+w "$work/source"
cd "$work/source"

mkdir "$out"
store="$work/store"
mkdir "$store"

# pnpm's user configuration, written from HOME as nixpkgs does for pnpm 10.
(cd "$HOME" && pnpm config set manage-package-manager-versions false &&
  pnpm config set side-effects-cache false && pnpm config set update-notifier false)
pnpm config set store-dir "$store"
# nixpkgs passes its (usually empty) NIX_NPM_REGISTRY; empty means pnpm's configured default.
pnpm install --force --ignore-scripts --registry="${NIX_NPM_REGISTRY:-}" --frozen-lockfile
echo 3 > "$out/.fetcher-version"

# The fixup: no temp files, JSON without checkedAt and with sorted keys, no links back to the
# project, fixed modes (555 for *-exec files and directories, 444 for the other files).
rm -rf "$store"/{v3,v10}/tmp
find "$store" -name '*.json' -print0 | while IFS= read -r -d '' file; do
  jq --sort-keys 'del(.. | .checkedAt?)' "$file" > "$file.sorted"
  mv "$file.sorted" "$file"
done
rm -rf "$store"/{v3,v10}/projects
find "$store" -type f -name '*-exec' -print0 | xargs --no-run-if-empty -0 chmod 555
find "$store" -type f -not -name '*-exec' -print0 | xargs --no-run-if-empty -0 chmod 444
find "$store" -type d -print0 | xargs --no-run-if-empty -0 chmod 555

cd "$store"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  --zstd -cf "$out/pnpm-store.tar.zst" .

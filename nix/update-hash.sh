#!/usr/bin/env bash
# `make nix-hash`: computes pnpmDepsHash in flake.nix (the hash of fetchPnpmDeps' fixed output for
# pnpm-lock.yaml) without a real Nix build, by re-enacting nixpkgs' fetcher (nix/pnpm-deps.sh) with
# the versions of pnpm, GNU tar and zstd that reproduce nixpkgs' own hashes, and writes it with the
# lockfile's sha256 beside it. Before the project, it reproduces nixpkgs' pinned hash for its
# empty-lockfile test, and refuses to write anything if that does not match. Slow: it fetches every
# package of the lockfile for every platform (a few hundred MB).
#
# `nix/update-hash.sh --check` (run by `make nix-check`): fails when pnpm-lock.yaml is not the
# lockfile the hash was computed for.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

# nixpkgs at flake.lock's revision: pnpm_10's version and its tarball's hash
# (pkgs/development/tools/pnpm/default.nix), and the hash pinned by its test of fetchPnpmDeps
# with an empty lockfile (pkgs/test/pnpm/pnpm-empty-lockfile, pnpm_10, fetcherVersion 3).
pnpm_version=10.33.4
pnpm_tarball_hash=sha256-jnDdxmSbGLw9iVzzqQjAKR6kw4A5rYcixH4Bja8enPw=
calibration_hash=sha256-u0GOAX5B1f2ANWbOezScp/eKQRRZA/JoYfQ5zLrNip4=
# The tarball's bytes depend on tar and zstd: these versions (Debian 13's) reproduce the hash above,
# Debian 12's (tar 1.34, zstd 1.5.4) do not.
debian_suite=trixie
tar_version=1.35
zstd_version=1.5.7

say() { printf 'nix-hash: %s\n' "$*" >&2; }
refuse() {
  say "$*"
  say "flake.nix left as it was"
  exit 1
}
recorded() { sed -n "s/^ *$1 = \"\([^\"]*\)\";\$/\1/p" flake.nix; }
set_recorded() { sed -i "s|^\( *$1 = \)\"[^\"]*\";\$|\1\"$2\";|" flake.nix; }
for name in pnpmDepsHash pnpmDepsLockSha256; do
  [ "$(grep -c "^ *$name = \"[^\"]*\";\$" flake.nix)" -eq 1 ] || { say "flake.nix has no single '$name = \"...\";' line"; exit 2; }
done
lock_sha256="$(sha256sum pnpm-lock.yaml | cut -d' ' -f1)"

if [ "${1:-}" = --check ]; then
  if [ -n "$(recorded pnpmDepsHash)" ] && [ "$(recorded pnpmDepsLockSha256)" = "$lock_sha256" ]; then
    say "pnpmDepsHash in flake.nix is current for pnpm-lock.yaml"
    exit 0
  fi
  say "pnpm-lock.yaml (sha256 $lock_sha256) is not the lockfile pnpmDepsHash was computed for (sha256 $(recorded pnpmDepsLockSha256))"
  say "run 'make nix-hash' and commit flake.nix with the lockfile"
  exit 1
fi
[ $# -eq 0 ] || { say "usage: nix/update-hash.sh [--check]"; exit 2; }

source nix/env.sh
ensure_nix # `nix hash path` (the NAR hash, as Nix computes it for a fixed output) and jq
node="$(command -v node)" || { say "node is not on PATH"; exit 2; }
tools="${XDG_CACHE_HOME:-$HOME/.cache}/testpace/nix-hash"
mkdir -p "$tools/bin"

# tar, zstd and the C library they need, from Debian's packages of that suite, unpacked into the
# tools directory (the system's own are left alone) and run with that library's loader.
debian="$tools/debian-$debian_suite"
if [ ! -x "$debian/usr/bin/tar" ] || [ ! -x "$debian/usr/bin/zstd" ]; then
  command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || refuse "needs apt-get and dpkg-deb to fetch tar and zstd"
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  mirror="$(apt-get indextargets 'Identifier: Packages' 'Origin: Debian' "Codename: $codename" --format '$(REPO_URI)' | head -1)"
  [ -n "$mirror" ] || refuse "no Debian mirror in this machine's apt sources to fetch $debian_suite's tar and zstd from"
  apt="$tools/apt-$debian_suite"
  mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $debian_suite main" > "$apt/sources.list"
  apt_options=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt" -o Dir::State::Status=/dev/null)
  [ "$(id -u)" -ne 0 ] || apt_options+=(-o APT::Sandbox::User=root)
  say "fetching tar, zstd and libc6 from Debian $debian_suite"
  apt-get "${apt_options[@]}" -qq update
  rm -f "$apt/debs"/*.deb
  (cd "$apt/debs" && apt-get "${apt_options[@]}" -qq download tar zstd libc6)
  rm -rf "$debian"
  for deb in "$apt/debs"/*.deb; do dpkg-deb -x "$deb" "$debian"; done
fi
loader="$(find "$debian/usr/lib" -maxdepth 2 -name 'ld-linux*.so.*' | head -1)"
[ -n "$loader" ] || refuse "no dynamic loader in $debian's libc6"
for program in tar zstd; do
  printf '#!/bin/sh\nexec %q --library-path %q %q "$@"\n' "$loader" "$(dirname "$loader")" "$debian/usr/bin/$program" > "$tools/bin/$program"
  chmod +x "$tools/bin/$program"
done
"$tools/bin/tar" --version | head -1 | grep -qx "tar (GNU tar) $tar_version" ||
  refuse "Debian $debian_suite's tar is '$("$tools/bin/tar" --version | head -1)', not GNU tar $tar_version (remove $debian to fetch again)"
"$tools/bin/zstd" --version | grep -qF " v$zstd_version," ||
  refuse "Debian $debian_suite's zstd is '$("$tools/bin/zstd" --version)', not $zstd_version (remove $debian to fetch again)"

# pnpm, the npm package nixpkgs' pnpm_10 is made of, checked against nixpkgs' hash of it.
tarball="$tools/pnpm-$pnpm_version.tgz"
if [ ! -f "$tarball" ]; then
  say "fetching pnpm $pnpm_version"
  (cd "$tools" && npm pack --silent "pnpm@$pnpm_version" > /dev/null)
fi
got="sha256-$("$node" -e 'const fs = require("fs"); process.stdout.write(require("crypto").createHash("sha256").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tarball")"
[ "$got" = "$pnpm_tarball_hash" ] || refuse "$tarball has hash $got, nixpkgs' pnpm_10 is made of $pnpm_tarball_hash"
rm -rf "$tools/pnpm"
mkdir "$tools/pnpm"
tar -xzf "$tarball" -C "$tools/pnpm" --strip-components=1
# As nixpkgs' package: without the prebuilt reflink binaries and vendored files.
rm -rf "$tools/pnpm"/dist/reflink.*node "$tools/pnpm/dist/vendor"
printf '#!/bin/sh\nexec %q %q "$@"\n' "$node" "$tools/pnpm/bin/pnpm.cjs" > "$tools/bin/pnpm"
chmod +x "$tools/bin/pnpm"

work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# The fetcher in a bare environment, as in a Nix build: only the variables a fixed-output
# derivation lets in (proxies, the registry) and the certificates Node needs to reach it.
fetch() {
  local pass=() name
  for name in http_proxy https_proxy ftp_proxy all_proxy no_proxy HTTP_PROXY HTTPS_PROXY FTP_PROXY ALL_PROXY NO_PROXY \
    NIX_NPM_REGISTRY NODE_EXTRA_CA_CERTS SSL_CERT_FILE; do
    [ -z "${!name+set}" ] || pass+=("$name=${!name}")
  done
  env -i "${pass[@]}" PATH="$tools/bin:$(dirname "$jq"):$(dirname "$node"):/usr/bin:/bin" TMPDIR="$work" \
    "$root/nix/pnpm-deps.sh" "$1" "$2"
}
jq="$(command -v jq)"

# Calibration: nixpkgs' empty-lockfile test (a package with no dependencies and its lockfile).
mkdir "$work/empty"
printf '{\n  "name": "pnpm-empty-lockfile",\n  "dependencies": {}\n}\n' > "$work/empty/package.json"
printf "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .: {}\n" \
  > "$work/empty/pnpm-lock.yaml"
say "calibration: nixpkgs' empty-lockfile test"
fetch "$work/empty" "$work/empty-out" > "$work/empty.log" 2>&1 || { cat "$work/empty.log" >&2; refuse "the calibration run failed (above)"; }
got="$(nix hash path "$work/empty-out")"
[ "$got" = "$calibration_hash" ] ||
  refuse "calibration failed: the empty lockfile gives $got here, nixpkgs pins $calibration_hash; this re-enactment does not make nixpkgs' bytes (pnpm, tar, zstd or the steps of nixpkgs' fetcher differ), so its hash for pnpm-lock.yaml could not be trusted"
say "calibration: $got, as nixpkgs pins"

# The project: the files pnpm reads when it installs.
mkdir "$work/source"
for file in package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc .pnpmfile.cjs; do
  [ ! -e "$file" ] || cp "$file" "$work/source/"
done
say "fetching every package of pnpm-lock.yaml, for every platform (a few hundred MB)"
fetch "$work/source" "$work/out" >&2 || refuse "the fetch for pnpm-lock.yaml failed (above)"
new="$(nix hash path "$work/out")"
say "pnpm-lock.yaml: $new ($(du -m "$work/out/pnpm-store.tar.zst" | cut -f1) MB of store tarball)"

[ "$(sha256sum pnpm-lock.yaml | cut -d' ' -f1)" = "$lock_sha256" ] || refuse "pnpm-lock.yaml changed while the hash was computed"
old="$(recorded pnpmDepsHash)"
set_recorded pnpmDepsHash "$new"
set_recorded pnpmDepsLockSha256 "$lock_sha256"
if [ "$new" = "$old" ]; then say "pnpmDepsHash is up to date: $new"
else say "pnpmDepsHash ${old:-(empty)} -> $new"; fi

#!/usr/bin/env bash
# Fetches the Node.js versions users run besides this machine's own (the tests run the packed tools
# on each): the registry's node-<os>-<arch> packages hold the official binaries, and npm checks each
# tarball against the registry's integrity hash. Prints one node binary's path per line.
set -euo pipefail
cd "$(dirname "$0")/.."
versions=(22.23.5 24.22.3)
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64) platform=linux-arm64 ;;
  Darwin-arm64) platform=darwin-arm64 ;;
  Darwin-x86_64) platform=darwin-x64 ;;
  *) echo "node-versions: no Node.js package for $(uname -s)-$(uname -m)" >&2; exit 0 ;;
esac
cache=node_modules/.cache/testpace-node
mkdir -p "$cache"
for version in "${versions[@]}"; do
  dir="$cache/$version"
  if [ ! -x "$dir/bin/node" ]; then
    echo "setup: Node.js $version ($platform) for the package tests" >&2
    tmp=$(mktemp -d "$cache/fetch.XXXXXX")
    (cd "$tmp" && npm pack --silent "node-$platform@$version" >/dev/null && tar xzf ./*.tgz)
    rm -rf "$dir" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
  fi
  echo "$PWD/$dir/bin/node"
done

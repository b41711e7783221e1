# The stand-in's generic builder (see pkgs.nix: mkDerivation), run by the host's bash.
set -euo pipefail
export HOME="$NIX_BUILD_TOP/home"
mkdir -p "$HOME"

runHook() {
  local hook="$1"
  if [ -n "${!hook:-}" ]; then eval "${!hook}"; fi
}

if [ -z "${dontUnpack:-}" ]; then
  cp -r "$src" source
  chmod -R u+w source
  cd source
fi
for hook in $standInHooks; do
  eval "$(cat "$hook/nix-support/setup-hook")"
done
eval "${buildPhase:-}"
eval "${installPhase:-}"
if [ -n "${doInstallCheck:-}" ]; then eval "${installCheckPhase:-}"; fi

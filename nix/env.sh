# Sourced by nix/check.sh and nix/update-hash.sh: how this project runs Nix without a daemon, a
# sandbox or the binary cache (Debian's nix-bin, single-user, as on CI), with flakes enabled
# for these commands only. Builds run as the invoking user (build-users-group empty), so that
# the stand-in's host tools under $HOME stay reachable.
export NIX_CONFIG="experimental-features = nix-command flakes
sandbox = false
build-users-group =
warn-dirty = false
${TESTPACE_NIX_SUBSTITUTERS-substituters =}"

# Installs Nix (and jq, which the checks read JSON with) from Debian when missing.
ensure_nix() {
  local missing=()
  command -v nix >/dev/null 2>&1 || missing+=(nix-bin)
  command -v jq >/dev/null 2>&1 || missing+=(jq)
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "nix-check: missing ${missing[*]} and no apt-get: install Nix (2.8 or newer) and jq by hand" >&2
    return 2
  fi
  local sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "nix-check: apt-get install ${missing[*]}" >&2
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null
}

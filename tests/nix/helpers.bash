# Shared by the flake's bats tests: a snapshot of the working tree as a git repo (a flake sees only
# tracked files, and other work in progress must not leak in), the stand-in for nixpkgs, and nix
# with the stand-in passed as the nixpkgs input.
REPO_ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
# shellcheck source=../../nix/env.sh
source "$REPO_ROOT/nix/env.sh"
SYSTEMS=(x86_64-linux aarch64-linux x86_64-darwin aarch64-darwin)
TOOLS=(profile mem-profile optimize select report)

# Copies the repo's tracked and untracked-but-not-ignored files to $1 and commits them there
# (with NIX_CHECK_REV set: the files of that commit instead, e.g. HEAD while others' work in
# progress does not build).
snapshot_repo() {
  local dest="$1"
  mkdir -p "$dest"
  if [ -n "${NIX_CHECK_REV:-}" ]; then
    git -C "$REPO_ROOT" archive "$NIX_CHECK_REV" | tar -C "$dest" -xf -
  else
    (cd "$REPO_ROOT" && git ls-files -z --cached --others --exclude-standard) |
      tar -C "$REPO_ROOT" --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$dest" -xf -
  fi
  git -C "$dest" init -q
  git -C "$dest" add -A
  git -C "$dest" -c user.name=nix-check -c user.email=nix-check@localhost commit -qm snapshot
}

# nix SUBCOMMAND ARGS...: with the stand-in as nixpkgs and the lock file left as it is.
nix_standin() {
  local sub="$1"
  shift
  nix "$sub" --override-input nixpkgs "$STANDIN" --no-write-lock-file "$@"
}

# The host's system, as Nix names it.
host_system() {
  nix eval --impure --raw --expr builtins.currentSystem
}

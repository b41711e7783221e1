# A stand-in for the few parts of nixpkgs that testpace's flake uses, so that the flake can be
# evaluated, built and run on a machine that reaches neither the Nix binary cache nor GitHub:
#
#   nix build .#select --override-input nixpkgs path:<a copy of this directory with host.nix>
#
# Its derivations are built with the host's own tools (sandbox off): `nodejs_22` wraps the host's
# node, `pnpmConfigHook` installs node_modules offline from the host's pnpm store (filled by
# `make setup` from the same pnpm-lock.yaml), `stdenvNoCC.mkDerivation` runs the phases the flake
# writes with the host's bash and coreutils. host.nix (written by nix/stand-in.sh into a temp
# copy, never committed) says where those host tools are.
# What this proves and what only a real nixpkgs build proves: docs/nix.md.
{
  description = "Stand-in for the parts of nixpkgs testpace's flake uses (tests only)";

  outputs =
    { self }:
    let
      host = import ./host.nix;
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "x86_64-darwin"
        "aarch64-darwin"
      ];
      lib = import ./lib.nix;
    in
    {
      inherit lib;
      legacyPackages = lib.genAttrs systems (system: import ./pkgs.nix { inherit system host lib; });
    };
}

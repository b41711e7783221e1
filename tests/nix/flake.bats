#!/usr/bin/env bats
# The flake, evaluated, built and run against the stand-in for nixpkgs (nix/stand-in/). Run by
# `make nix-check`. What this proves and what only a real nixpkgs build proves: docs/nix.md.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
  export WORK="$BATS_FILE_TMPDIR/nix"
  mkdir -p "$WORK"
  snapshot_repo "$WORK/repo"
  export FLAKE="$WORK/repo"
  STANDIN="$("$REPO_ROOT/nix/stand-in.sh" "$WORK")"
  export STANDIN
  VERSION="$(node -p "require('$REPO_ROOT/package.json').version")"
  export VERSION
  # Evaluated once: what every system's outputs are (forcing drvPath instantiates each derivation).
  nix_standin eval --json "$FLAKE#packages" --apply 'builtins.mapAttrs (system: builtins.mapAttrs (name: p:
    { drv = p.drvPath; out = p.outPath; main = p.meta.mainProgram; inherit (p) name; }))' > "$WORK/packages.json"
  nix_standin eval --json "$FLAKE#apps" > "$WORK/apps.json"
  nix_standin eval --json "$FLAKE#devShells" --apply 'builtins.mapAttrs (system: builtins.mapAttrs (name: s:
    { drv = s.drvPath; inputs = map (p: p.name) s.nativeBuildInputs; }))' > "$WORK/shells.json"
  nix_standin eval --json "$FLAKE#checks" --apply 'builtins.mapAttrs (system: builtins.mapAttrs (name: c: c.drvPath))' > "$WORK/checks.json"
  nix_standin eval --json "$FLAKE#formatter" --apply 'builtins.mapAttrs (system: f: f.drvPath)' > "$WORK/formatter.json"
}

@test "every system has the default package and one package per tool, each with its mainProgram" {
  for system in "${SYSTEMS[@]}"; do
    run jq -c --arg s "$system" '.[$s] | keys' "$WORK/packages.json"
    [ "$output" = '["default","mem-profile","optimize","profile","report","select"]' ]
    for tool in "${TOOLS[@]}"; do
      [ "$(jq -r --arg s "$system" --arg t "$tool" '.[$s][$t].main' "$WORK/packages.json")" = "testpace-$tool" ]
      [ "$(jq -r --arg s "$system" --arg t "$tool" '.[$s][$t].name' "$WORK/packages.json")" = "testpace-$tool-$VERSION" ]
    done
    [ "$(jq -r --arg s "$system" '.[$s].default.name' "$WORK/packages.json")" = "testpace-$VERSION" ]
  done
  # Four systems, four different derivations (the system is really part of each).
  [ "$(jq '[.[].select.drv] | unique | length' "$WORK/packages.json")" -eq 4 ]
}

@test "every app of every system runs its own tool's binary from its own package" {
  for system in "${SYSTEMS[@]}"; do
    run jq -c --arg s "$system" '.[$s] | keys' "$WORK/apps.json"
    [ "$output" = '["default","mem-profile","optimize","profile","report","select"]' ]
    for tool in "${TOOLS[@]}"; do
      out="$(jq -r --arg s "$system" --arg t "$tool" '.[$s][$t].out' "$WORK/packages.json")"
      [ "$(jq -r --arg s "$system" --arg t "$tool" '.[$s][$t].type' "$WORK/apps.json")" = app ]
      [ "$(jq -r --arg s "$system" --arg t "$tool" '.[$s][$t].program' "$WORK/apps.json")" = "$out/bin/testpace-$tool" ]
    done
    profile_out="$(jq -r --arg s "$system" '.[$s].profile.out' "$WORK/packages.json")"
    [ "$(jq -r --arg s "$system" '.[$s].default.program' "$WORK/apps.json")" = "$profile_out/bin/testpace-profile" ]
  done
}

@test "every system has a dev shell with Node.js, pnpm, Python, bats and the tools" {
  for system in "${SYSTEMS[@]}"; do
    [[ "$(jq -r --arg s "$system" '.[$s].default.drv' "$WORK/shells.json")" == /nix/store/*.drv ]]
    run jq -r --arg s "$system" '.[$s].default.inputs | join(" ")' "$WORK/shells.json"
    [[ " $output " == *" nodejs-"* ]]
    [[ " $output " == *" pnpm-"* ]]
    [[ " $output " == *" python3-"* ]]
    [[ " $output " == *" bats-"* ]]
    [[ " $output " == *" testpace-$VERSION "* ]]
  done
}

@test "every system has the build and test-suite checks and a formatter" {
  for system in "${SYSTEMS[@]}"; do
    run jq -c --arg s "$system" '.[$s] | keys' "$WORK/checks.json"
    [ "$output" = '["build","tests"]' ]
    [[ "$(jq -r --arg s "$system" '.[$s]' "$WORK/formatter.json")" == /nix/store/*.drv ]]
  done
  # The build check is the default package; the test check runs the vitest suite.
  system="$(host_system)"
  [ "$(jq -r --arg s "$system" '.[$s].build' "$WORK/checks.json")" = "$(nix_standin eval --raw "$FLAKE#packages.$system.default.drvPath")" ]
  run nix_standin eval --raw "$FLAKE#checks.$system.tests.buildPhase"
  [[ "$output" == *"vitest run"* ]]
}

@test "nix run .#select -- --help prints select's usage" {
  run --separate-stderr nix_standin run "$FLAKE#select" -- --help
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "testpace-select "* ]]
  [[ "$output" == *"--since"* ]]
}

@test "nix run .#report -- --help prints report's usage" {
  run --separate-stderr nix_standin run "$FLAKE#report" -- --help
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "testpace-report "* ]]
  [[ "$output" == *"--baseline"* ]]
}

@test "nix run . runs testpace-profile" {
  run --separate-stderr nix_standin run "$FLAKE" -- --version
  [ "$status" -eq 0 ]
  [ "$output" = "$VERSION" ]
}

@test "the default package installs the five tools, each run by the flake's Node.js" {
  nix_standin build "$FLAKE#default" --out-link "$WORK/default"
  run ls "$WORK/default/bin"
  [ "$output" = "$(printf 'testpace-%s\n' mem-profile optimize profile report select)" ]
  node_bin="$(nix_standin eval --raw "$FLAKE#default.nodejs.outPath")/bin/node"
  for tool in "${TOOLS[@]}"; do
    [ "$(env -i "$WORK/default/bin/testpace-$tool" --version)" = "$VERSION" ]
    [ "$(head -1 "$WORK/default/bin/testpace-$tool")" = "#!$node_bin" ]
  done
}

@test "a tool's package holds only that tool" {
  nix_standin build "$FLAKE#optimize" --out-link "$WORK/optimize"
  [ "$(ls "$WORK/optimize/bin")" = testpace-optimize ]
  [ "$(ls "$WORK/optimize/lib/testpace")" = testpace-optimize.cjs ]
  [ "$("$WORK/optimize/bin/testpace-optimize" --version)" = "$VERSION" ]
}

@test "the dev shell puts the tools, Node.js, pnpm, Python with pytest and bats on PATH" {
  run --separate-stderr nix_standin develop "$FLAKE" -c bash -c \
    'for b in testpace-profile testpace-mem-profile testpace-optimize testpace-select testpace-report node pnpm bats; do command -v $b >/dev/null || echo "missing $b"; done; python3 -c "import pytest, xdist"; echo "pnpm@$(cd / && pnpm --version)"; testpace-select --version'
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" = "$VERSION" ]
  # The stand-in's pnpm is the one package.json pins, wherever it runs (as on a machine with no
  # pnpm of its own on PATH).
  [ "${lines[-2]}" = "$(node -p "require('$REPO_ROOT/package.json').packageManager")" ]
  [[ "$output" != *missing* ]]
}

@test "nix flake check --no-build accepts the flake's outputs" {
  run --separate-stderr nix flake check --no-build --override-input nixpkgs "$STANDIN" --no-write-lock-file "$FLAKE"
  [ "$status" -eq 0 ]
}

@test "another project's flake gets the tools and testpace.mk from this flake, and profiles its suite" {
  consumer="$WORK/consumer"
  mkdir -p "$consumer/tests"
  system="$(host_system)"
  # The recipe of docs/recipes.md, with the stand-in as the consumer's nixpkgs.
  cat > "$consumer/flake.nix" <<NIX
{
  inputs.nixpkgs.url = "$STANDIN";
  inputs.testpace.url = "git+file://$FLAKE";
  inputs.testpace.inputs.nixpkgs.follows = "nixpkgs";
  outputs = { self, nixpkgs, testpace }:
    let system = "$system"; pkgs = nixpkgs.legacyPackages.\${system}; in {
      devShells.\${system}.default = pkgs.mkShell {
        packages = [ testpace.packages.\${system}.default (pkgs.python3.withPackages (ps: [ ps.pytest ])) ];
        TESTPACE_MK = "\${testpace}/testpace.mk";
      };
    };
}
NIX
  printf 'include $(TESTPACE_MK)\n' > "$consumer/Makefile"
  printf 'import time\n\ndef test_waits():\n    time.sleep(0.3)\n\ndef test_adds():\n    assert 1 + 1 == 2\n' > "$consumer/tests/test_a.py"
  cd "$consumer"
  run --separate-stderr nix develop "path:$consumer" -c make --no-print-directory test-profile TEST_CMD='python3 -m pytest -q -p no:cacheprovider'
  [ "$status" -eq 0 ]
  # The tools came from the flake's package on PATH (no dist/ beside the flake's testpace.mk).
  [[ "$output" == *"cd '$consumer' && testpace-profile --out '$consumer/.testpace/profile.json'"* ]]
  [ "$(jq -r '.kind' .testpace/profile.json)" = profile ]
  [ "$(jq '.tests | length' .testpace/profile.json)" -eq 2 ]
  [ "$(jq '[.tests[] | select(.name == "test_waits") | .durationMs.median >= 300] | all' .testpace/profile.json)" = true ]
}

@test "flake.lock pins nixpkgs to a GitHub revision matching flake.nix, and names no registry" {
  lock="$REPO_ROOT/flake.lock"
  [ "$(jq -r '.nodes.nixpkgs.locked.type' "$lock")" = github ]
  [[ "$(jq -r '.nodes.nixpkgs.locked.rev' "$lock")" =~ ^[0-9a-f]{40}$ ]]
  [[ "$(jq -r '.nodes.nixpkgs.locked.narHash' "$lock")" =~ ^sha256-[A-Za-z0-9+/]{43}=$ ]]
  original="$(jq -r '.nodes.nixpkgs.original | "\(.type):\(.owner)/\(.repo)/\(.ref)"' "$lock")"
  grep -qF "inputs.nixpkgs.url = \"$original\";" "$REPO_ROOT/flake.nix"
  ! grep -qi 'registry\|https\?://' "$lock"
}

{
  description = "testpace: profile, mem-profile, optimize, select and report on slow test suites";

  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-unstable";

  outputs =
    { self, nixpkgs }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "x86_64-darwin"
        "aarch64-darwin"
      ];
      tools = [
        "profile"
        "mem-profile"
        "optimize"
        "select"
        "report"
      ];
      genAttrs = names: f: builtins.listToAttrs (map (name: { inherit name; value = f name; }) names);
      forAllSystems = f: genAttrs systems (system: f nixpkgs.legacyPackages.${system});

      version = (builtins.fromJSON (builtins.readFile ./package.json)).version;

      # The hash of every Node package pnpm-lock.yaml names, for every platform (fetchPnpmDeps
      # installs with --force, so optional platform packages such as esbuild's are all fetched and
      # the hash is the same on every system), and the sha256 of the lockfile it was computed for.
      # Both are written by `make nix-hash` (docs/nix.md); `make nix-check` fails when the lockfile
      # has changed since.
      pnpmDepsHash = "sha256-9wbLh59Lw2GdRuH6jN9SX2Ywm0sxjzfA0eAU+QfDtyo=";
      pnpmDepsLockSha256 = "d0352366fc5abbf887603c5c92de19137317f428b802ca47159e162151e90285";

      # What the build sees: the tracked files, less what a local build or install leaves behind
      # (matters only for a `path:` flake reference; a git checkout never holds them).
      src = builtins.path {
        name = "testpace-source";
        path = ./.;
        filter =
          path: _type:
          !(builtins.elem path (
            map (name: toString ./. + "/" + name) [
              "node_modules"
              "dist"
              ".testpace"
              "coverage"
              "result"
            ]
          ))
          && baseNameOf path != "node_modules";
      };

      perSystem =
        pkgs:
        let
          # Node 22 (maintained LTS): the bundles target node20, package.json asks for >= 20.19.
          nodejs = pkgs.nodejs_22;
          pnpm = pkgs.pnpm_10;
          python = pkgs.python3.withPackages (ps: [
            ps.pytest
            ps.pytest-xdist
          ]);

          pnpmDeps = pkgs.fetchPnpmDeps {
            pname = "testpace";
            inherit version src pnpm;
            fetcherVersion = 3;
            hash = pnpmDepsHash;
          };

          # Installs the Node packages from the pnpm store fetched above, offline, exactly as
          # pnpm-lock.yaml pins them.
          withNodeModules = {
            inherit src pnpmDeps;
            nativeBuildInputs = [
              nodejs
              pnpm
              pkgs.pnpmConfigHook
            ];
          };

          # The five esbuild bundles: self-contained, so what is installed needs only Node.
          bundles = pkgs.stdenvNoCC.mkDerivation (
            withNodeModules
            // {
              pname = "testpace-bundles";
              inherit version;
              buildPhase = ''
                runHook preBuild
                node scripts/build.mjs
                runHook postBuild
              '';
              installPhase = ''
                runHook preInstall
                mkdir -p $out
                cp dist/testpace-*.cjs $out/
                runHook postInstall
              '';
            }
          );

          # A package with bin/testpace-<tool> for each tool named: the bundle itself, its
          # `#!/usr/bin/env node` line pointed at nixpkgs' Node, checked at install time by asking
          # every binary for its version.
          mkPackage =
            {
              pname,
              names,
              mainProgram,
              description,
            }:
            pkgs.stdenvNoCC.mkDerivation {
              inherit pname version;
              dontUnpack = true;
              installPhase = ''
                runHook preInstall
                mkdir -p $out/bin $out/lib/testpace
                for tool in ${toString names}; do
                  cp ${bundles}/testpace-$tool.cjs $out/lib/testpace/
                  sed -i '1s|^#!.*|#!${nodejs}/bin/node|' $out/lib/testpace/testpace-$tool.cjs
                  ln -s ../lib/testpace/testpace-$tool.cjs $out/bin/testpace-$tool
                done
                runHook postInstall
              '';
              doInstallCheck = true;
              installCheckPhase = ''
                runHook preInstallCheck
                for tool in ${toString names}; do
                  reported=$($out/bin/testpace-$tool --version)
                  if [ "$reported" != "${version}" ]; then
                    echo "testpace-$tool --version printed '$reported', expected ${version}" >&2
                    exit 1
                  fi
                done
                runHook postInstallCheck
              '';
              passthru = { inherit bundles pnpmDeps nodejs; };
              meta = {
                inherit description mainProgram;
                license = pkgs.lib.licenses.mit;
                platforms = systems;
              };
            };

          toolPackages = genAttrs tools (
            tool:
            mkPackage {
              pname = "testpace-${tool}";
              names = [ tool ];
              mainProgram = "testpace-${tool}";
              description = "testpace-${tool}, one of testpace's five test-suite tools";
            }
          );

          testpace = mkPackage {
            pname = "testpace";
            names = tools;
            mainProgram = "testpace-profile";
            description = "Profile, mem-profile, optimize, select and report on slow test suites";
          };
        in
        {
          packages = toolPackages // {
            default = testpace;
          };

          apps =
            let
              app = tool: {
                type = "app";
                program = "${toolPackages.${tool}}/bin/testpace-${tool}";
                meta.description = toolPackages.${tool}.meta.description;
              };
            in
            genAttrs tools app // { default = app "profile"; };

          devShells.default = pkgs.mkShell {
            packages = [
              nodejs
              pnpm
              python
              pkgs.bats
              testpace
            ];
          };

          checks = {
            build = testpace;
            # The whole test suite, as `make test` runs it, inside the build sandbox (no network:
            # tests that need it must skip themselves there).
            tests = pkgs.stdenvNoCC.mkDerivation (
              withNodeModules
              // {
                pname = "testpace-tests";
                inherit version;
                # Chromium renders the HTML report in report's tests; nixpkgs builds it for Linux only.
                nativeBuildInputs =
                  withNodeModules.nativeBuildInputs
                  ++ [
                    python
                    pkgs.bats
                    pkgs.git
                  ]
                  ++ (if pkgs.stdenv.hostPlatform.isLinux then [ pkgs.chromium ] else [ ]);
                buildPhase = ''
                  runHook preBuild
                  export CI=true NO_COLOR=1 HOME=$(mktemp -d)
                  node scripts/build.mjs
                  TESTPACE_SKIP_BUILD=1 node_modules/.bin/vitest run
                  runHook postBuild
                '';
                installPhase = "touch $out";
              }
            );
          };

          formatter = pkgs.nixfmt;
        };

      outputsFor = forAllSystems perSystem;
      pick = name: builtins.mapAttrs (_system: outputs: outputs.${name}) outputsFor;
    in
    {
      packages = pick "packages";
      apps = pick "apps";
      devShells = pick "devShells";
      checks = pick "checks";
      formatter = pick "formatter";
    };
}

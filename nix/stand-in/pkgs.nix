# The stand-in's packages for one system. Each is a real derivation that builds in milliseconds
# from the host's tools, so the flake's own derivations (which use these) really build and run.
{
  system,
  host,
  lib,
}:
let
  concatMapSep = sep: f: list: builtins.concatStringsSep sep (map f list);

  # nixpkgs' stdenv.mkDerivation, reduced to what the flake uses: src (copied and entered unless
  # dontUnpack), nativeBuildInputs (their bin/ on PATH, their setup hooks sourced before the build),
  # buildPhase, installPhase, doInstallCheck + installCheckPhase, runHook, meta and passthru.
  mkDerivation =
    attrsOrFunction:
    let
      attrs = if builtins.isFunction attrsOrFunction then attrsOrFunction attrs else attrsOrFunction;
      inputs = (attrs.nativeBuildInputs or [ ]) ++ (attrs.buildInputs or [ ]);
      hooks = builtins.filter (input: input.standInSetupHook or false) inputs;
      drv = builtins.derivation (
        removeAttrs attrs [
          "meta"
          "passthru"
        ]
        // {
          name = attrs.name or "${attrs.pname}-${attrs.version}";
          inherit system;
          outputs = [ "out" ];
          builder = host.bash;
          args = [ ./builder.sh ];
          # Also what `nix develop` puts on PATH (nixpkgs' setup script builds it from the same inputs).
          PATH = concatMapSep ":" (input: "${input}/bin") inputs + ":" + host.path;
          standInHooks = hooks;
          doInstallCheck = attrs.doInstallCheck or false;
        }
      );
    in
    drv
    // (attrs.passthru or { })
    // {
      meta = attrs.meta or { };
      nativeBuildInputs = attrs.nativeBuildInputs or [ ];
    };

  # A package whose bin/<name> runs a program of the host, given as one executable path (a command
  # of several words would be split by the printf below: write a wrapper script for it instead).
  hostTool =
    {
      pname,
      version,
      bins,
      passthru ? { },
    }:
    let
      oneWord = bin: builtins.match ".*[[:space:]].*" bin.target == null;
      badBins = builtins.filter (bin: !oneWord bin) bins;
    in
    if badBins != [ ] then
      throw "stand-in ${pname}: '${(builtins.head badBins).target}' is not one executable path"
    else
    mkDerivation {
      inherit pname version passthru;
      dontUnpack = true;
      installPhase = ''
        mkdir -p $out/bin
        ${concatMapSep "\n" (bin: ''
          printf '#!%s\nexec %s "$@"\n' ${host.bash} ${bin.target} > $out/bin/${bin.name}
          chmod +x $out/bin/${bin.name}
        '') bins}
      '';
    };

  nodejs = hostTool {
    pname = "nodejs";
    version = host.nodeVersion;
    bins = [
      {
        name = "node";
        target = host.node;
      }
    ];
  };

  pythonModules = {
    pytest = "pytest";
    pytest-xdist = "xdist";
  };
in
rec {
  inherit lib;
  stdenvNoCC = {
    inherit mkDerivation;
    hostPlatform = {
      inherit system;
      isLinux = builtins.match ".*-linux" system != null;
      isDarwin = builtins.match ".*-darwin" system != null;
    };
  };
  stdenv = stdenvNoCC;

  nodejs_22 = nodejs;
  nodejs_20 = nodejs;

  pnpm_10 = hostTool {
    pname = "pnpm";
    version = "10-host";
    bins = [
      {
        name = "pnpm";
        target = host.pnpm;
      }
    ];
  };

  # nixpkgs' fetchPnpmDeps fetches the pnpm store for the lockfile into a fixed-output derivation.
  # Here: the same arguments are checked, and the "store" is the lockfile's checksum, so that a
  # build using it is rebuilt when the lockfile changes. (Its real output and hash: nix/pnpm-deps.sh.)
  fetchPnpmDeps =
    {
      pname,
      src,
      hash ? "",
      fetcherVersion ? null,
      ...
    }:
    assert builtins.elem fetcherVersion [
      1
      2
      3
    ];
    mkDerivation {
      name = "${pname}-pnpm-deps";
      inherit src;
      installPhase = ''
        test -f pnpm-lock.yaml || { echo "fetchPnpmDeps: no pnpm-lock.yaml in the source" >&2; exit 1; }
        mkdir -p $out
        sha256sum pnpm-lock.yaml > $out/lockfile.sha256
        echo ${toString fetcherVersion} > $out/.fetcher-version
      '';
      passthru = {
        inherit fetcherVersion;
        givenHash = hash;
      };
    };

  # nixpkgs' pnpmConfigHook installs node_modules offline from the store in $pnpmDeps, with the
  # pnpm of nativeBuildInputs. Here: the same offline, frozen-lockfile install without scripts,
  # from the host's pnpm store (which `make setup` filled from the same lockfile), after checking
  # that $pnpmDeps was made for this lockfile.
  pnpmConfigHook = mkDerivation {
    name = "pnpm-config-hook";
    dontUnpack = true;
    installPhase = ''
      mkdir -p $out/nix-support
      cat > $out/nix-support/setup-hook <<'HOOK'
      if [ -z "''${pnpmDeps:-}" ]; then echo "pnpmConfigHook: pnpmDeps is not set" >&2; exit 1; fi
      test -f "$pnpmDeps/lockfile.sha256" || { echo "pnpmConfigHook: $pnpmDeps is not a pnpm store" >&2; exit 1; }
      sha256sum --check --quiet "$pnpmDeps/lockfile.sha256" || { echo "pnpmConfigHook: pnpmDeps is for another lockfile" >&2; exit 1; }
      command -v pnpm >/dev/null || { echo "pnpmConfigHook: no pnpm in nativeBuildInputs" >&2; exit 1; }
      pnpm install --offline --frozen-lockfile --ignore-scripts --store-dir ${host.pnpmStore} --reporter=append-only
      HOOK
    '';
    passthru.standInSetupHook = true;
  };

  python3 = {
    withPackages =
      select:
      let
        wanted = select pythonModules;
      in
      mkDerivation {
        name = "python3-env";
        dontUnpack = true;
        installPhase = ''
          ${host.python} -c 'import ${builtins.concatStringsSep ", " wanted}'
          mkdir -p $out/bin
          printf '#!%s\nexec %s "$@"\n' ${host.bash} ${host.python} > $out/bin/python3
          chmod +x $out/bin/python3
          ln -s python3 $out/bin/python
        '';
      };
  };

  bats = hostTool {
    pname = "bats";
    version = "host";
    bins = [
      {
        name = "bats";
        target = host.bats;
      }
    ];
  };

  bashInteractive = hostTool {
    pname = "bash";
    version = "host";
    bins = [
      {
        name = "bash";
        target = host.bash;
      }
    ];
  };

  git = hostTool {
    pname = "git";
    version = "host";
    bins = [
      {
        name = "git";
        target = host.git;
      }
    ];
  };

  # Only evaluated here (checks.tests is not built against the stand-in).
  chromium = mkDerivation {
    name = "chromium-stand-in";
    dontUnpack = true;
    installPhase = "echo 'chromium: not in the stand-in for nixpkgs' >&2; exit 1";
  };

  nixfmt = mkDerivation {
    name = "nixfmt-stand-in";
    dontUnpack = true;
    installPhase = ''
      mkdir -p $out/bin
      printf '#!%s\necho "nixfmt: not in the stand-in for nixpkgs" >&2\nexit 3\n' ${host.bash} > $out/bin/nixfmt
      chmod +x $out/bin/nixfmt
    '';
    meta.mainProgram = "nixfmt";
  };

  # nixpkgs' mkShell: the packages' bin/ on PATH in `nix develop`.
  mkShell =
    {
      packages ? [ ],
      nativeBuildInputs ? [ ],
      ...
    }@args:
    mkDerivation (
      removeAttrs args [ "packages" ]
      // {
        name = args.name or "nix-shell";
        dontUnpack = true;
        nativeBuildInputs = packages ++ nativeBuildInputs;
        installPhase = "echo \"$PATH\" > $out";
      }
    );
}

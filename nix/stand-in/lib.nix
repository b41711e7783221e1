# The stand-in's lib: only what testpace's flake and the stand-in's packages use.
{
  genAttrs = names: f: builtins.listToAttrs (map (name: { inherit name; value = f name; }) names);
  licenses.mit = {
    spdxId = "MIT";
    shortName = "mit";
  };
}

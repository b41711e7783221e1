#!/usr/bin/env bash
# The demo: profile → optimize → select → report on the bundled examples, ending with where the report is.
set -euo pipefail
cd "$(dirname "$0")/.."
# TESTPACE_DEMO_OUT: where the documents go (the tests point it at a temp directory).
out=${TESTPACE_DEMO_OUT:-.testpace/demo}
mkdir -p "$out"
out=$(cd "$out" && pwd)
bin=dist
step() { printf '\n== %s\n' "$*" >&2; }

step "profile the pytest example (3 runs)"
(cd examples/pytest && ../../$bin/testpace-profile.cjs --runs 3 --quiet --out "$out/profile.json" -- python3 -m pytest -q -p no:cacheprovider)

step "optimize: findings, savings and a parallel plan"
$bin/testpace-optimize.cjs examples/pytest --profile "$out/profile.json" --workers 4 --shards 2 --out "$out/optimization.json"

step "select: tests affected by a change to one source module"
$bin/testpace-select.cjs --files examples/pytest/src/shop/tax.py --format json --out "$out/selection.json"

step "report"
$bin/testpace-report.cjs "$out/profile.json" "$out/optimization.json" "$out/selection.json"
$bin/testpace-report.cjs "$out/profile.json" "$out/optimization.json" "$out/selection.json" --format html --out "$out/report.html"
printf '\nThe report is at %s\n' "${TESTPACE_DEMO_OUT:-.testpace/demo}/report.html"

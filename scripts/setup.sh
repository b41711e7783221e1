#!/usr/bin/env bash
# Installs what testpace's build, tests and demo need, only where it is missing:
# Node packages (pnpm through corepack, else npx), Python packages (pip), Debian packages (apt-get).
# Idempotent and non-interactive, so `make demo`, `make test` and .ci/run can all call it.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }

# Debian packages: bats runs the bats example, chromium renders the HTML report in tests, hyperfine
# writes the benchmark JSON the report tests read; more can be named in TESTPACE_APT_EXTRA.
apt_missing=()
command -v bats >/dev/null 2>&1 || apt_missing+=(bats)
# GNU time: bench/mem-profile-*.ts compare against its maximum RSS and CPU time.
[ -x /usr/bin/time ] || apt_missing+=(time)
command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
command -v hyperfine >/dev/null 2>&1 || apt_missing+=(hyperfine)
for pkg in ${TESTPACE_APT_EXTRA:-}; do dpkg -s "$pkg" >/dev/null 2>&1 || apt_missing+=("$pkg"); done
if [ ${#apt_missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    log "apt-get install ${apt_missing[*]}"
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${apt_missing[@]}" >/dev/null
  else
    log "missing ${apt_missing[*]} and no apt-get: install them by hand"
  fi
fi

# Python packages for the pytest example and its xdist runs, ruff, which lints the project's Python
# (make check), and pytest-benchmark for the report's tests.
if ! python3 -c 'import pytest, xdist, pytest_benchmark' >/dev/null 2>&1 || ! python3 -m ruff --version >/dev/null 2>&1; then
  log "pip install pytest pytest-xdist pytest-benchmark ruff"
  python3 -m pip install -q pytest pytest-xdist pytest-benchmark ruff
fi


# Node packages, exactly as the lockfile pins them.
stamp=node_modules/.testpace-installed
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || [ pnpm-lock.yaml -nt "$stamp" ]; then
  log "pnpm install --frozen-lockfile"
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS=0
  if command -v corepack >/dev/null 2>&1; then corepack pnpm install --frozen-lockfile --reporter=silent
  else npx --yes "$(node -p 'require("./package.json").packageManager')" install --frozen-lockfile --reporter=silent; fi
  touch "$stamp"
fi

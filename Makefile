# testpace: build, check, test and demo. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BIN := $(ROOT)/node_modules/.bin
export COREPACK_ENABLE_DOWNLOAD_PROMPT := 0
export COREPACK_INTEGRITY_KEYS := 0

.PHONY: help setup build generate check lint typecheck test demo examples bench clean nix-check nix-hash report-fixtures update-golden

# The testpace workflows (test-profile, test-benchmark, test-select, ...) on this project's own
# suite by default, with freshly built tools; TEST_CMD=... SUITE_DIR=... for another suite.
TESTPACE_PREREQS ?= build
include $(ROOT)/testpace.mk

setup: ## Install what is missing: Node packages (pnpm), Python packages (pip), Debian packages (apt-get)
	@scripts/setup.sh

build: setup ## Bundle the five tools into dist/
	@node scripts/build.mjs

generate: setup ## Regenerate the document types and validators in lib/generated/ from schemas/
	node scripts/generate.mjs

check: setup ## Lint (TypeScript and Python), type-check, and check lib/generated/ is up to date
	node scripts/generate.mjs --check
	$(BIN)/eslint .
	python3 -m ruff check .
	$(BIN)/tsc --noEmit -p tsconfig.json

lint: setup ## Lint only
	$(BIN)/eslint .
	python3 -m ruff check .

typecheck: setup ## Type-check only
	$(BIN)/tsc --noEmit -p tsconfig.json

test: setup ## Run the test suite (builds first), then the pytest tests of the Python programs
	@scripts/node-versions.sh >/dev/null
	$(BIN)/vitest run
	python3 -m pytest -q -p no:cacheprovider tests/optimize/python

demo: build ## Profile, optimize, select and report on the bundled examples
	@scripts/demo.sh

examples: setup ## Run every example with its real runner
	@$(MAKE) --no-print-directory -C examples all

bench: build ## Run the benchmarks under bench/ (ratios measured side by side)
	@for script in bench/*.ts; do echo "== $$script"; node scripts/run-ts.mjs "$$script" || exit 1; done

report-fixtures: build ## Regenerate the report's fixtures (tests/fixtures/report/) from real runs of the tools; takes minutes
	@node scripts/run-ts.mjs tests/report/make-fixtures.ts

update-golden: build ## Regenerate the report's golden outputs and the screenshots in docs/ from the fixtures
	UPDATE_GOLDEN=1 $(BIN)/vitest run tests/report/golden.test.ts tests/report/html.test.ts tests/report/benchmarks.test.ts

nix-check: setup ## Check the Nix flake against a stand-in for nixpkgs (installs Nix from Debian when missing)
	@nix/check.sh

nix-hash: ## Recompute pnpmDepsHash in flake.nix after a lockfile change (nixpkgs' fetcher re-enacted; fetches a few hundred MB)
	@nix/update-hash.sh

clean: ## Remove build output and local testpace documents
	rm -rf dist .testpace coverage

# testpace.mk: the testpace workflows as Make targets, for any project.
#
#   include path/to/testpace.mk          # in your Makefile
#   make test-profile TEST_CMD='pytest -q'
#
# Every target works on the suite that TEST_CMD runs, from SUITE_DIR, and keeps its documents in
# TESTPACE_DIR. The tools come from the dist/ next to this file when it has been built (a checkout
# of testpace), else from PATH (npm, the Nix flake). Recipes are POSIX sh, whatever SHELL is.
# Recipes: docs/recipes.md.

TESTPACE_MK_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
# Targets here must not become the includer's default goal.
TESTPACE_SAVED_GOAL := $(.DEFAULT_GOAL)

# The suite: where it runs and the command that runs it. In testpace's own checkout the default
# is testpace's own vitest suite; anywhere else TEST_CMD must be given.
SUITE_DIR ?= $(CURDIR)
TEST_CMD ?= $(if $(filter $(TESTPACE_MK_DIR),$(abspath $(SUITE_DIR))),npx vitest run,$(error testpace.mk: set TEST_CMD to the command that runs your suite, e.g. make test-profile TEST_CMD='pytest -q'))
# Where the documents go (profile.json, baseline.json, benchmark.json, bench.json, bench-baseline.json,
# memory.json, optimization.json, report.html).
TESTPACE_DIR ?= $(CURDIR)/.testpace
# test-benchmark and test-baseline: how many measured runs of the suite.
RUNS ?= 5
# test-benchmark and test-baseline: the micro-benchmarks, a command that writes their harness's JSON
# to BENCH_JSON (pytest-benchmark --benchmark-json, hyperfine --export-json, vitest bench
# --outputJson). Empty: pytest-benchmark when a test asks for its `benchmark` fixture, else vitest
# bench when there are *.bench.* files, else none.
BENCH_JSON ?= $(TESTPACE_DIR)/bench-raw.json
BENCH_CMD ?= $(testpace_bench_detected)
# test-select: the base to compare with (empty: the upstream branch, else origin/HEAD, else HEAD~1).
BASE ?=
# test-shard: which shard of how many (1-based).
SHARD ?= 1
SHARDS ?= 2
# test-memory-profile: fail when the process tree's peak RSS exceeds this (e.g. 2G); empty: no limit.
MAX_RSS ?=
# test-optimize and test-shard: the test paths to read (empty: the tool's default, the suite's tests).
TEST_PATHS ?=
# Extra arguments for each tool.
PROFILE_ARGS ?=
MEM_PROFILE_ARGS ?=
OPTIMIZE_ARGS ?=
SELECT_ARGS ?=
REPORT_ARGS ?=
# Prerequisites of every target (testpace's Makefile sets `build`).
TESTPACE_PREREQS ?=

# $(call testpace_tool,NAME): the command that runs testpace-NAME. Expanded when a recipe runs,
# after its prerequisites (a build may have just written dist/).
testpace_tool = $(if $(wildcard $(TESTPACE_MK_DIR)/dist/testpace-$(1).cjs),$(TESTPACE_MK_DIR)/dist/testpace-$(1).cjs,testpace-$(1))
TESTPACE_PROFILE = $(call testpace_tool,profile)
TESTPACE_MEM_PROFILE = $(call testpace_tool,mem-profile)
TESTPACE_OPTIMIZE = $(call testpace_tool,optimize)
TESTPACE_SELECT = $(call testpace_tool,select)
TESTPACE_REPORT = $(call testpace_tool,report)

# Micro-benchmarks found in SUITE_DIR (expanded only by the recipes that use them).
testpace_pytest_benchmarks = $(shell cd '$(SUITE_DIR)' 2>/dev/null && grep -rlE --include='*.py' --exclude-dir=node_modules --exclude-dir=.venv --exclude-dir=.git 'def test_[A-Za-z0-9_]*\(([^)]*[ ,])?benchmark\b' . 2>/dev/null | head -n 1)
testpace_vitest_benches = $(shell cd '$(SUITE_DIR)' 2>/dev/null && find . \( -name node_modules -o -name .git \) -prune -o -type f -name '*.bench.*' -print 2>/dev/null | head -n 1)
testpace_bench_detected = $(if $(testpace_pytest_benchmarks),python3 -m pytest -q -p no:cacheprovider --benchmark-only --benchmark-json='$(BENCH_JSON)',$(if $(testpace_vitest_benches),npx vitest bench --run --outputJson '$(BENCH_JSON)'))
# Runs the micro-benchmarks and imports their results as the benchmark document $(1).
testpace_run_benchmarks = cd '$(SUITE_DIR)' && rm -f '$(BENCH_JSON)' && $(BENCH_CMD) && $(TESTPACE_REPORT) import '$(BENCH_JSON)' --out '$(1)'

# The newest profile document (test-profile, test-benchmark or test-baseline wrote it), or empty.
testpace_profiles = $(wildcard $(addprefix $(TESTPACE_DIR)/,profile.json benchmark.json baseline.json))
testpace_latest_profile = $(if $(testpace_profiles),$(firstword $(shell ls -t $(testpace_profiles))))
testpace_need_profile = if [ -z '$(testpace_latest_profile)' ]; then echo "$@: no profile in $(TESTPACE_DIR): run 'make test-profile' first" >&2; exit 2; fi
# Runs a pipe `A | B` and fails with A's status when A fails (POSIX sh has no pipefail).
# $(call testpace_pipe,A,B)
testpace_pipe = status=$$(mktemp) && { { $(1) || echo $$? > "$$status"; } | $(2); rc=$$?; if [ -s "$$status" ]; then rc=$$(cat "$$status"); fi; rm -f "$$status"; exit $$rc; }

.PHONY: test-profile test-benchmark test-baseline test-memory-profile test-optimize test-select test-shard test-report

test-profile: $(TESTPACE_PREREQS) ## Profile the suite (TEST_CMD in SUITE_DIR) into .testpace/profile.json and print the summary
	@mkdir -p '$(TESTPACE_DIR)'
	cd '$(SUITE_DIR)' && $(TESTPACE_PROFILE) --out '$(TESTPACE_DIR)/profile.json' $(PROFILE_ARGS) -- $(TEST_CMD)

test-benchmark: $(TESTPACE_PREREQS) ## Profile RUNS times and run the micro-benchmarks (BENCH_CMD); compare with the baselines; fail on a regression or a budget
	@if [ ! -f '$(TESTPACE_DIR)/baseline.json' ]; then echo "$@: no baseline at $(TESTPACE_DIR)/baseline.json: record one with 'make test-baseline'" >&2; exit 2; fi
	cd '$(SUITE_DIR)' && $(TESTPACE_PROFILE) --runs $(RUNS) --out '$(TESTPACE_DIR)/benchmark.json' $(PROFILE_ARGS) -- $(TEST_CMD)
	$(if $(BENCH_CMD),$(call testpace_run_benchmarks,$(TESTPACE_DIR)/bench.json))
	cd '$(SUITE_DIR)' && $(TESTPACE_REPORT) '$(TESTPACE_DIR)/benchmark.json' --baseline '$(TESTPACE_DIR)/baseline.json' \
	  $(if $(BENCH_CMD),'$(TESTPACE_DIR)/bench.json' $(if $(wildcard $(TESTPACE_DIR)/bench-baseline.json),--baseline '$(TESTPACE_DIR)/bench-baseline.json')) \
	  --fail-on-regression $(REPORT_ARGS)

test-baseline: $(TESTPACE_PREREQS) ## Profile RUNS times and run the micro-benchmarks; record them as .testpace/baseline.json and bench-baseline.json
	@mkdir -p '$(TESTPACE_DIR)'
	cd '$(SUITE_DIR)' && $(TESTPACE_PROFILE) --runs $(RUNS) --out '$(TESTPACE_DIR)/baseline.json' $(PROFILE_ARGS) -- $(TEST_CMD)
	$(if $(BENCH_CMD),$(call testpace_run_benchmarks,$(TESTPACE_DIR)/bench-baseline.json))

test-memory-profile: $(TESTPACE_PREREQS) ## Measure the suite's memory (whole process tree) into .testpace/memory.json; MAX_RSS=2G fails above a peak
	@mkdir -p '$(TESTPACE_DIR)'
	cd '$(SUITE_DIR)' && $(TESTPACE_MEM_PROFILE) --out '$(TESTPACE_DIR)/memory.json' $(if $(MAX_RSS),--max-rss $(MAX_RSS)) $(MEM_PROFILE_ARGS) -- $(TEST_CMD)

test-optimize: $(TESTPACE_PREREQS) ## Find what to fix, with the latest profile, into .testpace/optimization.json
	@$(testpace_need_profile)
	cd '$(SUITE_DIR)' && $(TESTPACE_OPTIMIZE) $(TEST_PATHS) --profile '$(testpace_latest_profile)' --out '$(TESTPACE_DIR)/optimization.json' $(OPTIMIZE_ARGS)

test-select: $(TESTPACE_PREREQS) ## Run only the tests affected since BASE (default: the upstream branch), piped into TEST_CMD
	cd '$(SUITE_DIR)' && $(call testpace_pipe,$(TESTPACE_SELECT) $(if $(BASE),--since '$(BASE)') -0 $(SELECT_ARGS),xargs -0 -r $(TEST_CMD))

test-shard: $(TESTPACE_PREREQS) ## Run shard SHARD of SHARDS (1-based), balanced by the latest profile's timings
	@$(testpace_need_profile)
	cd '$(SUITE_DIR)' && $(call testpace_pipe,$(TESTPACE_OPTIMIZE) $(TEST_PATHS) --profile '$(testpace_latest_profile)' --shard $(SHARD)/$(SHARDS) --format list -0 $(OPTIMIZE_ARGS),xargs -0 -r $(TEST_CMD))

test-report: $(TESTPACE_PREREQS) ## Write .testpace/report.html from the latest documents (profile, memory, optimization, benchmarks; baselines when there are)
	@$(testpace_need_profile)
	$(TESTPACE_REPORT) '$(testpace_latest_profile)' $(wildcard $(TESTPACE_DIR)/memory.json $(TESTPACE_DIR)/optimization.json $(TESTPACE_DIR)/bench.json) \
	  $(if $(and $(wildcard $(TESTPACE_DIR)/baseline.json),$(filter-out $(TESTPACE_DIR)/baseline.json,$(testpace_latest_profile))),--baseline '$(TESTPACE_DIR)/baseline.json') \
	  $(if $(wildcard $(TESTPACE_DIR)/bench.json),$(if $(wildcard $(TESTPACE_DIR)/bench-baseline.json),--baseline '$(TESTPACE_DIR)/bench-baseline.json')) \
	  --format html --out '$(TESTPACE_DIR)/report.html' $(REPORT_ARGS)
	@echo "$@: wrote $(TESTPACE_DIR)/report.html" >&2

# `make help` lists the targets of the including Makefile and these (TESTPACE_HELP= leaves a help
# target of the project's own alone; TESTPACE_HELP=testpace-help names this one differently).
TESTPACE_HELP ?= help
ifneq ($(TESTPACE_HELP),)
.PHONY: $(TESTPACE_HELP)
$(TESTPACE_HELP):
	@printf '  %-22s %s\n' '$@' 'List the targets'
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-22s %s\n", $$1, $$2}'
endif

.DEFAULT_GOAL := $(TESTPACE_SAVED_GOAL)

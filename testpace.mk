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
# Where the documents go (profile.json, baseline.json, benchmark.json, memory.json,
# optimization.json, report.html).
TESTPACE_DIR ?= $(CURDIR)/.testpace
# test-benchmark and test-baseline: how many measured runs.
RUNS ?= 5
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

test-benchmark: $(TESTPACE_PREREQS) ## Profile RUNS times (default 5), compare with .testpace/baseline.json, fail on a regression
	@if [ ! -f '$(TESTPACE_DIR)/baseline.json' ]; then echo "$@: no baseline at $(TESTPACE_DIR)/baseline.json: record one with 'make test-baseline'" >&2; exit 2; fi
	cd '$(SUITE_DIR)' && $(TESTPACE_PROFILE) --runs $(RUNS) --out '$(TESTPACE_DIR)/benchmark.json' $(PROFILE_ARGS) -- $(TEST_CMD)
	$(TESTPACE_REPORT) '$(TESTPACE_DIR)/benchmark.json' --baseline '$(TESTPACE_DIR)/baseline.json' --fail-on-regression $(REPORT_ARGS)

test-baseline: $(TESTPACE_PREREQS) ## Profile RUNS times (default 5) and record the result as .testpace/baseline.json
	@mkdir -p '$(TESTPACE_DIR)'
	cd '$(SUITE_DIR)' && $(TESTPACE_PROFILE) --runs $(RUNS) --out '$(TESTPACE_DIR)/baseline.json' $(PROFILE_ARGS) -- $(TEST_CMD)

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

test-report: $(TESTPACE_PREREQS) ## Write .testpace/report.html from the latest documents (profile, memory, optimization; baseline when there is one)
	@$(testpace_need_profile)
	$(TESTPACE_REPORT) '$(testpace_latest_profile)' $(wildcard $(TESTPACE_DIR)/memory.json $(TESTPACE_DIR)/optimization.json) \
	  $(if $(and $(wildcard $(TESTPACE_DIR)/baseline.json),$(filter-out $(TESTPACE_DIR)/baseline.json,$(testpace_latest_profile))),--baseline '$(TESTPACE_DIR)/baseline.json') \
	  --format html --out '$(TESTPACE_DIR)/report.html' $(REPORT_ARGS)
	@echo "$@: wrote $(TESTPACE_DIR)/report.html" >&2

.DEFAULT_GOAL := $(TESTPACE_SAVED_GOAL)

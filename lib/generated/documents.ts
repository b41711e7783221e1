// Generated from schemas/ by scripts/generate.mjs (make generate): do not edit.
/* eslint-disable */

export type AnyDocument =
  ProfileDocument | MemoryDocument | OptimizationDocument | SelectionDocument | ComparisonDocument | BenchmarkDocument;
/**
 * The test runner a document speaks of; 'junit' for any runner read through its JUnit XML, 'command' for a plain command.
 */
export type Runner = 'pytest' | 'vitest' | 'jest' | 'node-test' | 'mocha' | 'bats' | 'junit' | 'command';
export type Outcome = 'passed' | 'failed' | 'skipped' | 'error';
export type Rule =
  | 'sleep'
  | 'real-network'
  | 'real-database'
  | 'subprocess'
  | 'costly-fixture'
  | 'parallel-unsafe'
  | 'duplicate-test'
  | 'slow-collection'
  | 'slow-test';
export type EdgeKind =
  | 'import'
  | 'type-import'
  | 'dynamic-import'
  | 'require'
  | 'require-resolve'
  | 'mock'
  | 'mocks-dir'
  | 'url'
  | 'python-import'
  | 'conftest'
  | 'bats-load'
  | 'exec'
  | 'data-file'
  | 'snapshot'
  | 'config'
  | 'package-init'
  | 'build-output'
  | 'symbol'
  | 'self';
export type ComparisonStatus = 'regressed' | 'improved' | 'unchanged' | 'inconclusive';
export type Harness = 'pytest-benchmark' | 'hyperfine' | 'vitest-bench';

/**
 * Where the time of a test run goes, test by test and phase by phase, over one or more runs.
 */
export interface ProfileDocument {
  kind: 'profile';
  schemaVersion: 1;
  tool: Tool;
  createdAt: string;
  environment: Environment;
  /**
   * @minItems 1
   */
  command: string[];
  /**
   * Directory the command ran in, relative to the git root when inside one, else absolute.
   */
  cwd: string;
  runner: Runner;
  /**
   * passed: every measured run exited 0; failed: a run exited non-zero; interrupted: stopped by a signal or --timeout (partial data); error: the runner's results could not be read.
   */
  status: 'passed' | 'failed' | 'interrupted' | 'error';
  /**
   * Present on a profile merged from CI shards: one entry per source profile.
   */
  shards?: {
    source: string;
    wallMs: number;
    tests: number;
  }[];
  runs: Run[];
  /**
   * One entry per test, statistics over the measured (non-warm-up) runs.
   */
  tests: TestSummary[];
  summary: ProfileSummary;
  cpuProfile?: CpuProfile;
  warnings?: string[];
}
/**
 * The tool and version that wrote the document.
 */
export interface Tool {
  name: 'testpace-profile' | 'testpace-mem-profile' | 'testpace-optimize' | 'testpace-select' | 'testpace-report';
  version: string;
}
/**
 * Where a document was made.
 */
export interface Environment {
  os: {
    platform: string;
    release: string;
    arch: string;
  };
  cpus: {
    count: number;
    model: string;
  };
  memoryBytes: number;
  /**
   * Versions of the runtimes involved, e.g. {"node": "20.20.2", "python": "3.11.7"}.
   */
  runtimes: {
    [k: string]: string | undefined;
  };
  git: null | {
    commit: string;
    branch: string | null;
    dirty: boolean;
  };
  /**
   * Whether CI=true was set.
   */
  ci?: boolean;
}
export interface Run {
  index: number;
  /**
   * Warm-up runs are recorded but left out of the statistics.
   */
  warmup: boolean;
  startedAt?: string;
  wallMs: number;
  /**
   * User and system CPU of the whole process tree (children's rusage).
   */
  cpu?: {
    userMs: number;
    systemMs: number;
  };
  exitCode: number | null;
  signal: string | null;
  interrupted: boolean;
  /**
   * Process start to first test start (start-up and collection).
   */
  collectionMs?: number | null;
  /**
   * When the runner's session began (pytest: pytest_sessionstart), from the process start: interpreter start-up, plugins and conftest before it, collection after.
   */
  sessionStartMs?: number;
  /**
   * Last test end to process exit.
   */
  tailMs?: number | null;
  workers?: Worker[];
  /**
   * CPU / (wall × cores).
   */
  parallelEfficiency?: number | null;
  counts?: Counts;
  /**
   * Per-file timings where the runner reports them (vitest, jest, node:test).
   */
  files?: FileTiming[];
  tests: TestResult[];
}
export interface Worker {
  id: string;
  tests: number;
  /**
   * Sum of test durations on this worker.
   */
  busyMs: number;
  /**
   * busyMs / run wall time.
   */
  utilisation: number;
}
export interface Counts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  error: number;
}
/**
 * One test file in one run: its whole time in its worker and the runner's set-up phases.
 */
export interface FileTiming {
  file: string;
  /**
   * The file's whole time, set-up phases included.
   */
  durationMs: number;
  /**
   * Relative to the start of the run's process.
   */
  startMs?: number;
  endMs?: number;
  /**
   * Test environment set-up (vitest environment, jest testEnvironment).
   */
  environmentMs?: number;
  /**
   * Runner harness preparation (vitest).
   */
  prepareMs?: number;
  /**
   * Importing the file and collecting its tests (vitest).
   */
  collectMs?: number;
  /**
   * Setup files (vitest setupFiles; jest setupFiles and setupFilesAfterEach).
   */
  setupMs?: number;
}
/**
 * One test in one run.
 */
export interface TestResult {
  file: string;
  name: string;
  id?: string;
  outcome: Outcome;
  /**
   * Total time of the test including its phases; absent when the runner's report gave no readable time (a JUnit time="abc"): unknown, not 0.
   */
  durationMs?: number;
  phases?: Phases;
  /**
   * Start, relative to the start of the run's process.
   */
  startMs?: number;
  endMs?: number;
  /**
   * Worker that ran it (xdist gw0, vitest pool id, pid), when known.
   */
  worker?: string;
  retries?: number;
  /**
   * First line of the failure message, for failed tests.
   */
  message?: string;
}
/**
 * Per-phase durations in ms where the runner reports them (pytest: setup/call/teardown).
 */
export interface Phases {
  setupMs?: number;
  callMs?: number;
  teardownMs?: number;
}
/**
 * One test over all measured runs.
 */
export interface TestSummary {
  file: string;
  name: string;
  id?: string;
  outcome: Outcome;
  /**
   * Outcome in each measured run, in order.
   */
  outcomes?: Outcome[];
  durationMs: TimingStats;
  setupMs?: TimingStats;
  callMs?: TimingStats;
  teardownMs?: TimingStats;
  worker?: string;
  /**
   * The outcome differed between measured runs.
   */
  flaky: boolean;
  /**
   * With 10 measured runs or more: runs whose duration lies over 5 scaled MADs (1.4826 × MAD) and over 1 ms from the median; flagged, still counted.
   */
  outlierRuns?: number[];
  /**
   * No measured run gave a readable time (the runs' tests have no durationMs): durationMs is a placeholder of zeros, not a measurement.
   */
  durationUnknown?: boolean;
}
/**
 * Statistics of one duration over repeated runs, in milliseconds. MAD is the median absolute deviation.
 */
export interface TimingStats {
  /**
   * How many measured runs the statistics rest on.
   */
  runs: number;
  min: number;
  median: number;
  max: number;
  mad: number;
  mean?: number;
  /**
   * The measured values, in run order (kept for significance tests).
   */
  values?: number[];
}
export interface ProfileSummary {
  /**
   * Measured runs (warm-up runs not counted).
   */
  runs: number;
  warmup: number;
  wallMs: TimingStats;
  cpuMs?: TimingStats;
  collectionMs?: TimingStats;
  testsMs?: TimingStats;
  counts: Counts;
  flaky: number;
  /**
   * Distinct workers seen in the last measured run.
   */
  workers?: number;
  parallelEfficiency?: number | null;
}
/**
 * Function-level hotspots from the runtime's own profiler (cProfile, V8 --cpu-prof).
 */
export interface CpuProfile {
  profiler: 'cProfile' | 'v8';
  functions: {
    name: string;
    file: string;
    line: number;
    calls?: number;
    selfMs: number;
    cumulativeMs: number;
  }[];
}
/**
 * Memory of a whole process tree over a run: timeline, peaks, processes, leak verdict, per-test attribution.
 */
export interface MemoryDocument {
  kind: 'memory';
  schemaVersion: 1;
  tool: Tool;
  createdAt: string;
  environment: Environment;
  /**
   * @minItems 1
   */
  command: string[];
  cwd: string;
  runner: Runner;
  status: 'passed' | 'failed' | 'interrupted' | 'limit-exceeded' | 'error';
  exitCode: number | null;
  signal: string | null;
  wallMs: number;
  intervalMs: number;
  /**
   * How samples were taken.
   */
  sampler?: 'procfs' | 'ps';
  /**
   * Columnar samples of the whole tree. Downsampled to a bounded size for long runs (min/max kept), full resolution kept around peaks.
   */
  timeline: {
    samplesTaken: number;
    tMs: number[];
    rssBytes: number[];
    processes: number[];
  };
  peak: {
    /**
     * Highest total RSS of the tree among samples.
     */
    sampledRssBytes: number;
    atMs: number;
    /**
     * Highest per-process high-water mark (VmHWM while alive, ru_maxrss at exit).
     */
    largestProcessHwmBytes?: number | null;
    /**
     * ru_maxrss of the waited-for children, from the kernel, through a python3 wrapper: written by earlier versions only.
     */
    childrenMaxRssBytes?: number | null;
    averageRssBytes?: number;
  };
  processes: {
    pid: number;
    ppid: number;
    command: string;
    firstSeenMs: number;
    lastSeenMs: number;
    peakRssBytes: number;
    hwmBytes?: number | null;
    leak?: Leak;
  }[];
  leak: Leak;
  tests: {
    file: string;
    name: string;
    id?: string;
    worker?: string;
    pid?: number;
    startMs: number;
    endMs: number;
    rssStartBytes?: number;
    rssEndBytes?: number;
    /**
     * Time between the two readings growthBytes is the difference of: a growth over readings far longer than the test may be its neighbours'.
     */
    resolutionMs?: number;
    /**
     * RSS growth of the test's worker process during the test (negative when it freed memory).
     */
    growthBytes: number;
    peakRssBytes: number;
    /**
     * Node heapUsed at the end of the test, as the runner reports it (vitest/jest --logHeapUsage).
     */
    heapUsedBytes?: number;
    tracemallocPeakBytes?: number;
  }[];
  limit?: {
    maxRssBytes: number;
    exceeded: boolean;
    atMs?: number;
    rssBytes?: number;
    testInFlight?: string | null;
  };
  warnings?: string[];
}
/**
 * Least-squares fit of RSS against time after the warm-up.
 */
export interface Leak {
  verdict: 'suspected-leak' | 'no-leak' | 'insufficient-data';
  slopeMbPerMin?: number;
  r2?: number;
  /**
   * Growth from the mean of the first tenth to the mean of the last tenth.
   */
  growthPct?: number;
  samples?: number;
  warmupMs?: number;
  thresholds?: {
    growthPct: number;
    r2: number;
  };
  /**
   * What the verdict rests on, in words.
   */
  basis: string;
}
/**
 * Findings from static analysis of test code and a measured profile, their savings with basis, a parallel plan and balanced shards.
 */
export interface OptimizationDocument {
  kind: 'optimization';
  schemaVersion: 1;
  tool: Tool;
  createdAt: string;
  environment: Environment;
  inputs: {
    paths: string[];
    profile: null | {
      source: string;
      runs: number;
      runner: Runner;
    };
  };
  files: {
    analysed: number;
    /**
     * Files that did not parse: reported, never skipped silently.
     */
    failed: {
      file: string;
      line?: number;
      error: string;
    }[];
  };
  findings: Finding[];
  /**
   * Null without a profile.
   */
  parallel: null | ParallelPlan;
  shards: null | ShardPlan;
  summary: {
    findings: number;
    byRule: {
      [k: string]:
        | {
            count: number;
            savingsMs: number;
            basis?: string;
          }
        | undefined;
    };
    /**
     * Savings of the findings, each test's time counted at most once.
     */
    totalSavingsMs?: number;
    /**
     * Predicted gain of the recommended parallel plan, shown apart from the findings.
     */
    parallelGainMs?: number | null;
    parallelSafeTests?: number;
    serialTests?: number;
  };
  warnings?: string[];
}
export interface Finding {
  rule: Rule;
  file: string;
  /**
   * 1-based; 0 when the finding is about the whole suite.
   */
  line: number;
  column?: number;
  test?: TestId;
  /**
   * Every test the finding applies to (fixture users, duplicate group).
   */
  tests?: TestId[];
  message: string;
  fix: string;
  savings: Savings;
  severity?: 'high' | 'medium' | 'low';
  /**
   * parallel-unsafe only. shared-resource: tests in different workers collide (fixed paths, ports); order-dependent: state left behind for later tests of the same process (environment, globals, module state, cwd).
   */
  hazard?: 'shared-resource' | 'order-dependent';
}
/**
 * Identity of one test, so that the same test joins across tools and runs: join on (file, name).
 */
export interface TestId {
  /**
   * Repo-relative POSIX path of the file that defines the test.
   */
  file: string;
  /**
   * The runner's full test name (class/suite path and test name, with parameters).
   */
  name: string;
  /**
   * The runner-native id (pytest nodeid, vitest task id, JUnit classname::name).
   */
  id?: string;
  [k: string]: unknown | undefined;
}
/**
 * What fixing something would save, and what that figure rests on.
 */
export interface Savings {
  /**
   * Milliseconds saved per run, or null when there is no basis for a figure.
   */
  ms: number | null;
  /**
   * measured: from a profile (say over how many runs in detail); static: from literals in the code; none: no figure.
   */
  basis: 'measured' | 'static' | 'none';
  detail: string;
}
export interface ParallelPlan {
  /**
   * The runner's scheduling policy simulated (xdist load, worksteal, loadfile, vitest/jest per-file pool).
   */
  policy: string;
  workerStartupMs?: number;
  serialTests?: TestId[];
  predictions: {
    workers: number;
    /**
     * The profiled command on this many workers, as a POSIX shell runs it.
     */
    command?: string;
    predictedWallMs: number;
    speedup?: number;
    /**
     * Lower bound, where the prediction assumes part of its basis.
     */
    lowMs?: number;
    /**
     * Upper bound, where the prediction assumes part of its basis.
     */
    highMs?: number;
    /**
     * What the prediction assumes (absent when its basis was measured).
     */
    assumed?: string;
  }[];
  recommended: {
    workers: number;
    command: string;
    reason?: string;
  };
  /**
   * What the prediction rests on (profile, runs, policy).
   */
  basis: string;
}
export interface ShardPlan {
  count: number;
  unit: 'file' | 'test';
  groups: {
    index: number;
    items: string[];
    predictedMs: number;
  }[];
  /**
   * max / mean of predicted shard durations.
   */
  imbalance: number;
  /**
   * Items with no measured duration, counted at the median.
   */
  unknownItems?: number;
  basis: string;
}
/**
 * Which tests a change can break: changed files, the dependency chains that reach each selected test, and why everything runs when it must.
 */
export interface SelectionDocument {
  kind: 'selection';
  schemaVersion: 1;
  tool: Tool;
  createdAt: string;
  environment: Environment;
  /**
   * Null when the changed files were given with --files.
   */
  base: null | {
    ref: string;
    commit: string | null;
    mergeBase?: string | null;
  };
  /**
   * Commit of HEAD.
   */
  head: string | null;
  /**
   * Whether staged, unstaged and untracked files were included.
   */
  workingTree?: boolean;
  changed: {
    path: string;
    status: 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'untracked' | 'type-changed' | 'unknown';
    oldPath?: string;
  }[];
  selected: {
    /**
     * Repo-relative test file.
     */
    file: string;
    /**
     * @minItems 1
     */
    reasons: Reason[];
    /**
     * Edges from the nearest changed file (0: the test itself changed).
     */
    distance?: number;
    /**
     * Measured duration from --timings, when given.
     */
    estimatedMs?: number | null;
  }[];
  /**
   * Affected tests left out by --budget or --shard, with why.
   */
  skipped?: {
    file: string;
    why: string;
  }[];
  /**
   * Changed files the ignore list (the defaults, or the testpace config) leaves out, with why.
   */
  ignored?: {
    file: string;
    why: string;
  }[];
  unresolved: {
    file: string;
    line?: number;
    specifier: string;
    why?: string;
  }[];
  runAll: null | {
    reason: string;
    files: string[];
  };
  counts: {
    changed: number;
    /**
     * Test files discovered.
     */
    tests: number;
    selected: number;
    filesInGraph?: number;
    /**
     * Files parsed in this run (the rest came from the cache).
     */
    parsed?: number;
  };
  warnings?: string[];
}
/**
 * A chain from a changed file to the test: chain[0] is the changed file, the last element the test.
 */
export interface Reason {
  changed: string;
  /**
   * @minItems 1
   */
  chain: string[];
  /**
   * Kind of each link of the chain (length = chain length − 1).
   */
  edges?: EdgeKind[];
}
/**
 * A profile compared with a baseline (a profile or a rolling history baseline), or a benchmark document with a baseline benchmark document: per test or benchmark and in total, with a verdict that respects noise.
 */
export interface ComparisonDocument {
  kind: 'comparison';
  schemaVersion: 1;
  tool: Tool;
  createdAt: string;
  environment?: Environment;
  /**
   * tests (the default when absent): a profile's tests and total; benchmarks: a benchmark document's benchmarks (no total).
   */
  subject?: 'tests' | 'benchmarks';
  baseline: Side;
  current: Side;
  /**
   * What the verdicts rest on: mann-whitney (the rank test on runs or samples), summary (a side kept no samples: Welch's t on the medians, weaker), threshold-only (single runs, or too few to reach alpha), mixed (items differ; each says its basis).
   */
  method: 'mann-whitney' | 'threshold-only' | 'summary' | 'mixed';
  thresholds: {
    /**
     * e.g. 0.10 for 10%.
     */
    relative: number;
    /**
     * Per-test absolute change needed.
     */
    absoluteMs: number;
    /**
     * Total absolute threshold as a share of the baseline total.
     */
    totalRelative: number;
    alpha: number;
    /**
     * A change must be at least this many times the item's spread (1.4826 × MAD of the noisier side).
     */
    minEffect?: number;
  };
  verdict: 'regression' | 'improvement' | 'no-change' | 'inconclusive';
  total?: Delta & {
    status?: ComparisonStatus;
    [k: string]: unknown | undefined;
  };
  tests: (Delta & {
    /**
     * Empty for a benchmark without a file (hyperfine).
     */
    file: string;
    name: string;
    id?: string;
    status: 'regressed' | 'improved' | 'unchanged' | 'inconclusive' | 'new' | 'removed';
    newlyFlaky?: boolean;
    [k: string]: unknown | undefined;
  })[];
  warnings?: string[];
  correction?: {
    method: 'holm';
    /**
     * Items whose pooled measurements could show a change of the size that counts: the p-values corrected together.
     */
    family: number;
  };
  /**
   * Each phase summed over the tests, run by run, judged like the total.
   */
  phases?: (Delta & {
    phase: 'setup' | 'call' | 'teardown';
    status: ComparisonStatus;
    tests: {
      slower: number;
      faster: number;
      of: number;
      medianShiftMs: number;
    };
    [k: string]: unknown | undefined;
  })[];
  budgets?: BudgetResult[];
}
export interface Side {
  /**
   * File name, 'stdin', or 'history:<file> (median of last N)'.
   */
  source: string;
  runs: number;
  createdAt?: string;
  commit?: string | null;
}
export interface Delta {
  /**
   * Median of the baseline.
   */
  baselineMs: number | null;
  /**
   * Median of the current runs.
   */
  currentMs: number | null;
  ratio: number | null;
  deltaMs: number | null;
  /**
   * Two-sided p-value of the item's own test (the rank test, or Welch's t on summary statistics); null when threshold-only.
   */
  pValue: number | null;
  regressed: boolean;
  /**
   * After Holm's correction over the family; null outside it.
   */
  pAdjusted?: number | null;
  /**
   * 1.4826 × MAD of the noisier side (or its estimate from summary statistics).
   */
  spreadMs?: number | null;
  basis?: 'mann-whitney' | 'summary' | 'threshold-only';
  /**
   * Inconclusive items: runs (or samples) per side that would detect a change of this size with 80% power.
   */
  runsNeeded?: number;
  [k: string]: unknown | undefined;
}
export interface BudgetResult {
  limit: string;
  /**
   * Where the limit was set: a config file (testpace.config.json, package.json, pyproject.toml) or --budget.
   */
  from: string;
  measured: string | null;
  value: number | null;
  basis: string;
  status: 'ok' | 'breached' | 'not-checked';
  over?: {
    file: string;
    name: string;
    value: number;
  }[];
  /**
   * The line of the config file that sets it, when known.
   */
  line?: number;
}
/**
 * Micro-benchmark results read from a harness's own JSON (pytest-benchmark, hyperfine, vitest bench), in milliseconds, with the raw samples where the harness kept them.
 */
export interface BenchmarkDocument {
  kind: 'benchmark';
  schemaVersion: 1;
  tool: Tool;
  createdAt: string;
  environment: Environment;
  /**
   * The harness files the benchmarks were read from.
   *
   * @minItems 1
   */
  sources: {
    harness: Harness;
    /**
     * The file as named when it was read, or 'stdin'.
     */
    file: string;
    /**
     * The harness's version, when its JSON says.
     */
    version?: string;
    /**
     * When the harness wrote it, when its JSON says.
     */
    createdAt?: string;
    benchmarks: number;
    /**
     * pytest-benchmark's machine_info, carried over as written (CPU flags left out).
     */
    machineInfo?: {
      [k: string]: unknown | undefined;
    };
    /**
     * pytest-benchmark's commit_info, carried over as written.
     */
    commitInfo?: {
      [k: string]: unknown | undefined;
    };
  }[];
  benchmarks: BenchmarkEntry[];
  warnings?: string[];
}
/**
 * One benchmark. It joins across runs on (file, name); file is absent where the harness has none (hyperfine).
 */
export interface BenchmarkEntry {
  /**
   * Repo-relative POSIX path of the file defining it.
   */
  file?: string;
  /**
   * pytest-benchmark: the test's name with its parameters; hyperfine: the command (or its --command-name); vitest: the describe path and the bench's name.
   */
  name: string;
  /**
   * The harness's own id (pytest fullname, vitest id).
   */
  id?: string;
  group?: string;
  /**
   * Parameters as the harness records them (pytest-benchmark params, hyperfine parameters).
   */
  params?: {
    [k: string]: unknown | undefined;
  };
  harness: Harness;
  stats: BenchmarkStats;
  /**
   * The raw samples in milliseconds (per iteration), in the order measured; absent when the harness kept none.
   */
  samplesMs?: number[];
  /**
   * Iterations per sample (pytest-benchmark).
   */
  iterations?: number;
}
/**
 * Summary statistics in milliseconds per iteration, as the harness computed them or from the samples. rounds: how many samples they rest on.
 */
export interface BenchmarkStats {
  rounds: number;
  min: number;
  median: number;
  max: number;
  mean: number;
  stddev?: number | null;
  /**
   * First quartile, when known.
   */
  q1?: number | null;
  /**
   * Third quartile (vitest: p75), when known.
   */
  q3?: number | null;
  /**
   * Median absolute deviation, from the samples.
   */
  mad?: number | null;
}

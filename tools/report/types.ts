// The parts of each document kind the report reads, typed after schemas/*.schema.json.
// Documents are validated against the schemas before they reach these types.
// The profile document's types are shared (lib/profile-document.ts); the other kinds are mirrored here.
import type { ProfileDocument } from '../../lib/profile-document.ts';
import type { BenchmarkDocument } from './benchmark-document.ts';
import type { Basis, Status, Thresholds } from './verdict.ts';

export type { Thresholds } from './verdict.ts';

export interface Header {
  kind: string;
  schemaVersion: 1;
  tool: { name: string; version: string };
  createdAt: string;
  environment?: {
    os: { platform: string; release: string; arch: string };
    cpus: { count: number; model: string };
    git: { commit: string; branch: string | null; dirty: boolean } | null;
    [key: string]: unknown;
  };
  warnings?: string[];
}

export interface Leak {
  verdict: 'suspected-leak' | 'no-leak' | 'insufficient-data';
  slopeMbPerMin?: number;
  r2?: number;
  growthPct?: number;
  samples?: number;
  basis: string;
}

export interface MemoryDocument extends Header {
  kind: 'memory';
  command: string[];
  runner: string;
  status: string;
  wallMs: number;
  intervalMs: number;
  timeline: { samplesTaken: number; tMs: number[]; rssBytes: number[]; processes: number[] };
  peak: { sampledRssBytes: number; atMs: number; largestProcessHwmBytes?: number | null; childrenMaxRssBytes?: number | null; averageRssBytes?: number };
  processes: { pid: number; ppid: number; command: string; peakRssBytes: number; hwmBytes?: number | null; leak?: Leak }[];
  leak: Leak;
  tests: {
    file: string;
    name: string;
    worker?: string;
    startMs: number;
    endMs: number;
    growthBytes: number;
    peakRssBytes: number;
    heapUsedBytes?: number;
  }[];
  limit?: { maxRssBytes: number; exceeded: boolean; atMs?: number; rssBytes?: number; testInFlight?: string | null };
}

export interface Savings {
  ms: number | null;
  basis: 'measured' | 'static' | 'none';
  detail: string;
}

export interface OptimizationDocument extends Header {
  kind: 'optimization';
  inputs: { paths: string[]; profile: { source: string; runs: number; runner: string } | null };
  files: { analysed: number; failed: { file: string; line?: number; error: string }[] };
  findings: {
    rule: string;
    file: string;
    line: number;
    test?: { file: string; name: string };
    tests?: { file: string; name: string }[];
    message: string;
    fix: string;
    savings: Savings;
    severity?: 'high' | 'medium' | 'low';
  }[];
  parallel: {
    policy: string;
    workerStartupMs?: number;
    predictions: { workers: number; predictedWallMs: number; speedup?: number }[];
    recommended: { workers: number; command: string; reason?: string };
    basis: string;
  } | null;
  shards: { count: number; unit: string; groups: { index: number; items: string[]; predictedMs: number }[]; imbalance: number; basis: string } | null;
  summary: { findings: number; totalSavingsMs?: number; parallelGainMs?: number | null };
}

export interface SelectionDocument extends Header {
  kind: 'selection';
  base: { ref: string; commit: string | null; mergeBase?: string | null } | null;
  head: string | null;
  changed: { path: string; status: string; oldPath?: string }[];
  selected: { file: string; distance?: number; estimatedMs?: number | null; reasons: { changed: string; chain: string[] }[] }[];
  skipped?: { file: string; why: string }[];
  unresolved: { file: string; line?: number; specifier: string; why?: string }[];
  runAll: { reason: string; files: string[] } | null;
  counts: { changed: number; tests: number; selected: number };
}

export interface Delta {
  baselineMs: number | null;
  currentMs: number | null;
  ratio: number | null;
  deltaMs: number | null;
  pValue: number | null;
  regressed: boolean;
  /** After Holm's correction over the comparison's family; null outside it. */
  pAdjusted?: number | null;
  /** 1.4826 × MAD of the noisier side, in ms. */
  spreadMs?: number | null;
  /** What the verdict rests on: the rank test, the weaker test on summary statistics, or thresholds alone. */
  basis?: Basis;
  /** Inconclusive: runs per side that would detect a change of this size. */
  runsNeeded?: number;
}

export type TestStatus = Status | 'new' | 'removed';

export interface TestDelta extends Delta {
  /** Empty for a benchmark without a file (hyperfine). */
  file: string;
  name: string;
  id?: string;
  status: TestStatus;
  newlyFlaky: boolean;
}

export interface TotalDelta extends Delta {
  status?: Status;
}

export type Phase = 'setup' | 'call' | 'teardown';

/** A phase summed over the tests, run by run: which phase moved the total. */
export interface PhaseDelta extends Delta {
  phase: Phase;
  status: Status;
  /** Tests whose median in this phase moved by at least a millisecond, up and down, of those compared. */
  tests: { slower: number; faster: number; of: number; medianShiftMs: number };
}

export interface Side {
  source: string;
  runs: number;
  createdAt?: string;
  commit?: string | null;
}

/** One absolute limit, checked against the documents. */
export interface BudgetResult {
  /** As written: `total <= 180s`. */
  limit: string;
  /** Where it was set: a config file, or `--budget`. */
  from: string;
  /** What was measured, for people (`190 s`), and the raw figure. */
  measured: string | null;
  value: number | null;
  /** What the measured figure rests on (median of 5 runs). */
  basis: string;
  status: 'ok' | 'breached' | 'not-checked';
  /** The line of the config file that sets it, when known. */
  line?: number;
  /** For a per-test limit: the tests over it. */
  over?: { file: string; name: string; value: number }[];
}

export interface ComparisonDocument extends Header {
  kind: 'comparison';
  /** tests: a profile against a baseline profile or history; benchmarks: micro-benchmarks. */
  subject?: 'tests' | 'benchmarks';
  baseline: Side;
  current: Side;
  method: 'mann-whitney' | 'threshold-only' | 'summary' | 'mixed';
  correction?: { method: 'holm'; family: number };
  thresholds: Thresholds;
  verdict: 'regression' | 'improvement' | 'no-change' | 'inconclusive';
  total?: TotalDelta;
  phases?: PhaseDelta[];
  tests: TestDelta[];
  budgets?: BudgetResult[];
}

export type ReportDocument = ProfileDocument | MemoryDocument | OptimizationDocument | SelectionDocument | ComparisonDocument | BenchmarkDocument;

/** A document together with where it was read from. */
export interface Loaded<D = ReportDocument> {
  source: string;
  document: D;
}

// The parts of each document kind the report reads, typed after schemas/*.schema.json.
// Documents are validated against the schemas before they reach these types.
// The profile document's types are shared (lib/profile-document.ts); the other kinds are mirrored here.
import type { ProfileDocument } from '../../lib/profile-document.ts';

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
}

export type TestStatus = 'regressed' | 'improved' | 'unchanged' | 'new' | 'removed';

export interface TestDelta extends Delta {
  file: string;
  name: string;
  id?: string;
  status: TestStatus;
  newlyFlaky: boolean;
}

export interface Side {
  source: string;
  runs: number;
  createdAt?: string;
  commit?: string | null;
}

export interface ComparisonDocument extends Header {
  kind: 'comparison';
  baseline: Side;
  current: Side;
  method: 'mann-whitney' | 'threshold-only';
  thresholds: Thresholds;
  verdict: 'regression' | 'improvement' | 'no-change';
  total: Delta;
  tests: TestDelta[];
}

export interface Thresholds {
  relative: number;
  absoluteMs: number;
  totalRelative: number;
  alpha: number;
}

export type ReportDocument = ProfileDocument | MemoryDocument | OptimizationDocument | SelectionDocument | ComparisonDocument;

/** A document together with where it was read from. */
export interface Loaded<D = ReportDocument> {
  source: string;
  document: D;
}

// What optimize takes from a profile document: per-test medians, the start-up and tail of a run,
// per-file overheads and per-worker start-up, each with the number of runs it rests on.
import type { ProfileDocument, TestResult } from '../../lib/profile-document.ts';
import { median } from '../../lib/stats.ts';
import { testKey } from '../../lib/test-id.ts';
import type { Runner } from './file-analysis.ts';
import { baseName } from './names.ts';

/** The parts of a profile document optimize reads (validated against schemas/profile first). */
export type ProfileInput = Pick<ProfileDocument, 'command' | 'runner' | 'runs' | 'tests' | 'summary'> & { environment?: { cpus: { count: number } } };

export interface MeasuredTest {
  file: string;
  name: string;
  /** The id a runner can select it by (pytest nodeid). */
  id: string;
  /** testKey of (file, name), made once: big profiles look tests up by it many times. */
  key: string;
  durationMs: number;
  setupMs: number | undefined;
  callMs: number | undefined;
  /** Position in the runner's own order (first measured run). */
  order: number;
}

/** A test the runner collected but did not run (skipped here, perhaps run on another platform). */
export interface CollectedTest {
  file: string;
  id: string;
}

export interface Measured {
  runner: Runner | 'other';
  command: string[];
  runs: number;
  wallMs: number;
  tests: MeasuredTest[];
  /** Collected but skipped in every measured run: no duration, still in exactly one shard. */
  skipped: CollectedTest[];
  byKey: Map<string, MeasuredTest[]>;
  /** Process start to first test, median over measured runs. */
  startupMs: number;
  /** Process start to the runner's session start (pytest: interpreter and plugins), median; undefined when not recorded. */
  sessionStartMs: number | undefined;
  /** Last test end to process exit, median. */
  tailMs: number;
  /** Wall time between tests not inside any test, per test (reporting, collection of later files). */
  gapPerTestMs: number;
  /** Per-file overhead of per-file runners: the gap before a file's first test, median over files. */
  fileOverheadMs: number;
  /** Per-file wall time where the runner reports it (vitest, jest, node:test), median over runs, and its environment set-up. */
  files: Map<string, { durationMs: number; environmentMs: number; setupMs: number }>;
  /** Worker start-up measured from a run with several workers; undefined when the profile ran on one. */
  workerStartupMs: number | undefined;
  /** Tail of the run with several workers (shutting workers down), when the profile has one. */
  workerTailMs: number | undefined;
  workersSeen: number;
  /** CPUs of the machine the profile was recorded on. */
  cpus: number;
  /** CPU time of the process tree over wall time × the processes that could run at once (0..1), median; undefined without CPU figures. */
  cpuShare: number | undefined;
}

const runnerOf = (runner: string): Runner | 'other' =>
  (['pytest', 'vitest', 'jest', 'node-test', 'mocha', 'bats'] as const).find((r) => r === runner) ?? 'other';

/**
 * `rebase` maps a profile's test file (relative to the directory the runner ran in) to the path the
 * analysis uses (relative to optimize's working directory), so the two join on (file, name). Linear in
 * the profile's size: each file is rebased once, and no test is copied more than once.
 */
export function readMeasured(profile: ProfileInput, rebase: (file: string) => string = (file) => file): Measured {
  const rebased = new Map<string, string>();
  const fileOf = (file: string) => {
    let out = rebased.get(file);
    if (out === undefined) rebased.set(file, (out = rebase(file)));
    return out;
  };
  const measuredRuns = profile.runs.filter((run) => !run.warmup);
  const firstRun = measuredRuns[0] ?? profile.runs[0];
  // Keyed by the runner's id where it has one (a string the document already holds), else by (file, name).
  const orderKey = (test: { file: string; name: string; id?: string }) => test.id ?? testKey(test);
  const orderOf = new Map<string, number>();
  if (firstRun) {
    const ordered = firstRun.tests.map((test) => ({ key: orderKey(test), start: test.startMs ?? 0 }));
    ordered.sort((a, b) => a.start - b.start);
    ordered.forEach((test, index) => orderOf.set(test.key, index));
  }
  const tests: MeasuredTest[] = [];
  const skipped: CollectedTest[] = [];
  profile.tests.forEach((test, index) => {
    const file = fileOf(test.file);
    const id = test.id ? (test.id.startsWith(test.file + '::') ? file + test.id.slice(test.file.length) : test.id) : `${file}::${test.name}`;
    if (test.outcome === 'skipped') {
      skipped.push({ file, id });
      return;
    }
    tests.push({
      file,
      name: test.name,
      id,
      key: testKey({ file, name: test.name }),
      durationMs: test.durationMs.median,
      setupMs: test.setupMs?.median,
      callMs: test.callMs?.median,
      order: orderOf.get(orderKey(test)) ?? 1e9 + index,
    });
  });
  tests.sort((a, b) => a.order - b.order);
  const byKey = new Map<string, MeasuredTest[]>();
  const put = (key: string, test: MeasuredTest) => {
    const list = byKey.get(key);
    if (list) list.push(test);
    else byKey.set(key, [test]);
  };
  for (const test of tests) {
    put(test.key, test);
    const base = baseName(test.name);
    if (base !== test.name) put(testKey({ file: test.file, name: base }), test);
  }
  const medianOf = (values: number[], fallback = 0) => (values.length ? median(values) : fallback);
  const startupMs = profile.summary.collectionMs?.median ?? medianOf(measuredRuns.flatMap((run) => (run.collectionMs == null ? [] : [run.collectionMs])));
  const sessionStarts = measuredRuns.flatMap((run) => (run.sessionStartMs == null ? [] : [run.sessionStartMs]));
  const tailMs = medianOf(measuredRuns.flatMap((run) => (run.tailMs == null ? [] : [run.tailMs])));
  let sumMs = 0;
  for (const test of tests) sumMs += test.durationMs;
  const workersSeen = profile.summary.workers ?? 1;
  // Gaps between consecutive tests on the same worker: within a file (reporting, hooks outside tests)
  // and before a file's first test (the per-file overhead: a fresh worker, imports, environment).
  const gaps: number[] = [];
  const fileGaps: number[] = [];
  for (const run of measuredRuns) {
    const byWorker = new Map<string, TestResult[]>();
    for (const test of run.tests) {
      if (test.startMs === undefined || test.endMs === undefined) continue;
      const worker = test.worker ?? 'main';
      const list = byWorker.get(worker);
      if (list) list.push(test);
      else byWorker.set(worker, [test]);
    }
    for (const list of byWorker.values()) {
      list.sort((a, b) => a.startMs! - b.startMs!);
      for (let i = 1; i < list.length; i++) {
        const gap = Math.max(0, list[i]!.startMs! - list[i - 1]!.endMs!);
        (list[i]!.file === list[i - 1]!.file ? gaps : fileGaps).push(gap);
      }
    }
  }
  const wallMs = profile.summary.wallMs.median;
  let gapPerTestMs = 0;
  let fileOverheadMs = 0;
  if (gaps.length || fileGaps.length) {
    gapPerTestMs = medianOf(gaps);
    fileOverheadMs = Math.max(0, medianOf(fileGaps) - gapPerTestMs);
  } else if (workersSeen <= 1 && tests.length) {
    gapPerTestMs = Math.max(0, (wallMs - startupMs - tailMs - sumMs) / tests.length);
  }
  const fileRuns = new Map<string, Array<{ durationMs: number; environmentMs: number; setupMs: number }>>();
  for (const run of measuredRuns) {
    for (const file of run.files ?? []) {
      const list = fileRuns.get(fileOf(file.file)) ?? [];
      list.push({ durationMs: file.durationMs, environmentMs: file.environmentMs ?? 0, setupMs: file.setupMs ?? 0 });
      fileRuns.set(fileOf(file.file), list);
    }
  }
  const files = new Map(
    [...fileRuns].map(([file, list]) => [
      file,
      { durationMs: median(list.map((f) => f.durationMs)), environmentMs: median(list.map((f) => f.environmentMs)), setupMs: median(list.map((f) => f.setupMs)) },
    ]),
  );
  let workerStartupMs: number | undefined;
  let workerTailMs: number | undefined;
  const parallelRuns = measuredRuns.filter((run) => new Set(run.tests.map((t) => t.worker ?? 'main')).size > 1);
  if (parallelRuns.length) {
    const starts: number[] = [];
    for (const run of parallelRuns) {
      const firstStart = new Map<string, number>();
      for (const test of run.tests) {
        if (test.startMs === undefined) continue;
        const worker = test.worker ?? 'main';
        firstStart.set(worker, Math.min(firstStart.get(worker) ?? Infinity, test.startMs));
      }
      if (firstStart.size) starts.push(median([...firstStart.values()]));
    }
    if (starts.length) workerStartupMs = median(starts);
    const tails = parallelRuns.flatMap((run) => (run.tailMs == null ? [] : [run.tailMs]));
    if (tails.length) workerTailMs = median(tails);
  }
  const cpus = profile.environment?.cpus.count ?? 1;
  const shares = measuredRuns.flatMap((run) => (run.cpu && run.wallMs > 0 ? [(run.cpu.userMs + run.cpu.systemMs) / (run.wallMs * Math.min(cpus, Math.max(1, workersSeen)))] : []));
  return {
    runner: runnerOf(profile.runner),
    command: profile.command,
    runs: profile.summary.runs,
    wallMs,
    tests,
    skipped,
    byKey,
    startupMs,
    sessionStartMs: sessionStarts.length ? median(sessionStarts) : undefined,
    tailMs,
    gapPerTestMs,
    fileOverheadMs,
    files,
    workerStartupMs,
    workerTailMs,
    workersSeen,
    cpus,
    cpuShare: shares.length ? Math.min(1, median(shares)) : undefined,
  };
}

/** Measured tests matching a static test (parametrized cases included). */
export function measuredFor(measured: Measured | undefined, file: string, name: string): MeasuredTest[] {
  if (!measured) return [];
  return measured.byKey.get(testKey({ file, name })) ?? [];
}

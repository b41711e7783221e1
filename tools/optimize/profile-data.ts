// What optimize takes from a profile document: per-test medians, the start-up and tail of a run,
// per-file overheads and per-worker start-up, each with the number of runs it rests on.
import type { ProfileDocument, TestResult } from '../../lib/profile-document.ts';
import { median } from '../../lib/stats.ts';
import { testKey } from '../../lib/test-id.ts';
import type { Runner } from './model.ts';
import { baseName } from './names.ts';

/** The parts of a profile document optimize reads (validated against schemas/profile first). */
export type ProfileInput = Pick<ProfileDocument, 'command' | 'runner' | 'runs' | 'tests' | 'summary'>;

export interface MeasuredTest {
  file: string;
  name: string;
  /** The id a runner can select it by (pytest nodeid). */
  id: string;
  durationMs: number;
  setupMs: number | undefined;
  callMs: number | undefined;
  /** Position in the runner's own order (first measured run). */
  order: number;
}

export interface Measured {
  runner: Runner | 'other';
  command: string[];
  runs: number;
  wallMs: number;
  tests: MeasuredTest[];
  byKey: Map<string, MeasuredTest[]>;
  /** Process start to first test, median over measured runs. */
  startupMs: number;
  /** Last test end to process exit, median. */
  tailMs: number;
  /** Wall time between tests not inside any test, per test (reporting, collection of later files). */
  gapPerTestMs: number;
  /** Per-file overhead of per-file runners: the gap before a file's first test, median over files. */
  fileOverheadMs: number;
  /** Worker start-up measured from a run with several workers; undefined when the profile ran on one. */
  workerStartupMs: number | undefined;
  /** Tail of the run with several workers (shutting workers down), when the profile has one. */
  workerTailMs: number | undefined;
  workersSeen: number;
}

const runnerOf = (runner: string): Runner | 'other' =>
  (['pytest', 'vitest', 'jest', 'node-test', 'mocha', 'bats'] as const).find((r) => r === runner) ?? 'other';

/**
 * `rebase` maps a profile's test file (relative to the directory the runner ran in) to the path the
 * analysis uses (relative to optimize's working directory), so the two join on (file, name).
 */
export function readMeasured(profile: ProfileInput, rebase: (file: string) => string = (file) => file): Measured {
  profile = {
    ...profile,
    runs: profile.runs.map((run) => ({ ...run, tests: run.tests.map((t) => ({ ...t, file: rebase(t.file) })) })),
    tests: profile.tests.map((t) => ({ ...t, file: rebase(t.file), ...(t.id && t.id.startsWith(t.file + '::') ? { id: rebase(t.file) + t.id.slice(t.file.length) } : {}) })),
  };
  const measuredRuns = profile.runs.filter((run) => !run.warmup);
  const firstRun = measuredRuns[0] ?? profile.runs[0];
  const orderOf = new Map<string, number>();
  if (firstRun) {
    const ordered = [...firstRun.tests].sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
    ordered.forEach((test, index) => orderOf.set(testKey(test), index));
  }
  const tests: MeasuredTest[] = profile.tests
    .filter((test) => test.outcome !== 'skipped')
    .map((test, index) => ({
      file: test.file,
      name: test.name,
      id: test.id ?? `${test.file}::${test.name}`,
      durationMs: test.durationMs.median,
      setupMs: test.setupMs?.median,
      callMs: test.callMs?.median,
      order: orderOf.get(testKey(test)) ?? 100000 + index,
    }))
    .sort((a, b) => a.order - b.order);
  const byKey = new Map<string, MeasuredTest[]>();
  for (const test of tests) {
    for (const key of new Set([testKey(test), testKey({ file: test.file, name: baseName(test.name) })])) {
      const list = byKey.get(key) ?? [];
      list.push(test);
      byKey.set(key, list);
    }
  }
  const medianOf = (values: number[], fallback = 0) => (values.length ? median(values) : fallback);
  const startupMs = profile.summary.collectionMs?.median ?? medianOf(measuredRuns.flatMap((run) => (run.collectionMs == null ? [] : [run.collectionMs])));
  const tailMs = medianOf(measuredRuns.flatMap((run) => (run.tailMs == null ? [] : [run.tailMs])));
  const sumMs = tests.reduce((sum, test) => sum + test.durationMs, 0);
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
      byWorker.set(worker, [...(byWorker.get(worker) ?? []), test]);
    }
    for (const tests of byWorker.values()) {
      tests.sort((a, b) => a.startMs! - b.startMs!);
      for (let i = 1; i < tests.length; i++) {
        const gap = Math.max(0, tests[i]!.startMs! - tests[i - 1]!.endMs!);
        (tests[i]!.file === tests[i - 1]!.file ? gaps : fileGaps).push(gap);
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
  let workerStartupMs: number | undefined;
  let workerTailMs: number | undefined;
  const parallelRun = measuredRuns.find((run) => new Set(run.tests.map((t) => t.worker ?? 'main')).size > 1);
  if (parallelRun) {
    const firstStart = new Map<string, number>();
    for (const test of parallelRun.tests) {
      if (test.startMs === undefined) continue;
      const worker = test.worker ?? 'main';
      firstStart.set(worker, Math.min(firstStart.get(worker) ?? Infinity, test.startMs));
    }
    if (firstStart.size) workerStartupMs = median([...firstStart.values()]);
    if (parallelRun.tailMs != null) workerTailMs = parallelRun.tailMs;
  }
  return {
    runner: runnerOf(profile.runner),
    command: profile.command,
    runs: profile.summary.runs,
    wallMs,
    tests,
    byKey,
    startupMs,
    tailMs,
    gapPerTestMs,
    fileOverheadMs,
    workerStartupMs,
    workerTailMs,
    workersSeen,
  };
}

/** Measured tests matching a static test (parametrized cases included). */
export function measuredFor(measured: Measured | undefined, file: string, name: string): MeasuredTest[] {
  if (!measured) return [];
  return measured.byKey.get(testKey({ file, name })) ?? [];
}

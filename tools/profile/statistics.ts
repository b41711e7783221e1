// Statistics over the measured runs: per test (median, MAD, outliers, flaky) and for the whole run.
import type { TestResult } from '../../lib/profile-document.ts';
import type { TestOutcome } from '../../lib/runners/events.ts';
import { type TimingStats, median, outliers, summarize } from '../../lib/stats.ts';
import { testKey } from '../../lib/test-id.ts';
import type { ProfileSummary, RunRecord, TestSummary } from './built-document.ts';

/** Outliers must also lie this far from the median. */
const OUTLIER_FLOOR_MS = 1;

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * summarize(), with one value (a single run, the usual case) spelled out: a suite of thousands of
 * tests otherwise spends most of the tool's work after the run sorting arrays of one.
 */
function stats(values: readonly number[], keepValues: boolean): TimingStats {
  if (values.length !== 1) return summarize(values, keepValues);
  const value = round3(values[0]!);
  return keepValues ? { runs: 1, min: value, median: value, max: value, mad: 0, mean: value, values: [value] } : { runs: 1, min: value, median: value, max: value, mad: 0, mean: value };
}

interface Seen {
  run: number;
  result: TestResult;
}

/**
 * The runs statistics rest on: the measured runs that completed; when a stop cut every measured run
 * short, the measured runs anyway; when it came during warm-up, all runs (the document says interrupted).
 */
export function measuredRuns(runs: readonly RunRecord[]): RunRecord[] {
  const measured = runs.filter((run) => !run.warmup);
  const complete = measured.filter((run) => !run.interrupted);
  if (complete.length) return complete;
  return measured.length ? measured : [...runs];
}

export function summariseTests(runs: readonly RunRecord[]): TestSummary[] {
  const byTest = new Map<string, Seen[]>();
  for (const run of runs) {
    for (const result of run.tests) {
      // The runner's id tells apart tests of one name in one file (twins, a failing one among them).
      const key = `${testKey(result)}\u0000${result.id ?? ''}`;
      const seen = byTest.get(key) ?? [];
      seen.push({ run: run.index, result });
      byTest.set(key, seen);
    }
  }
  const keepValues = runs.length > 1;
  const summaries: TestSummary[] = [];
  for (const seen of byTest.values()) {
    const last = seen[seen.length - 1]!.result;
    const outcomes: TestOutcome[] = seen.map((s) => s.result.outcome);
    // Runs whose time was unreadable (a JUnit time="abc") are left out, not counted as 0.
    const timed = seen.filter((s) => s.result.durationMs !== undefined);
    const durations = timed.map((s) => s.result.durationMs!);
    const summary: TestSummary = {
      file: last.file,
      name: last.name,
      ...(last.id ? { id: last.id } : {}),
      outcome: last.outcome,
      outcomes,
      durationMs: stats(durations.length ? durations : [0], keepValues),
      flaky: new Set(outcomes).size > 1,
    };
    if (durations.length === 0) summary.durationUnknown = true;
    for (const phase of ['setupMs', 'callMs', 'teardownMs'] as const) {
      const values = seen.flatMap((s) => (typeof s.result.phases?.[phase] === 'number' ? [s.result.phases[phase]!] : []));
      if (values.length === seen.length && values.length > 0) summary[phase] = stats(values, keepValues);
    }
    if (last.worker) summary.worker = last.worker;
    // Over 3 scaled MADs from the median, and by more than a millisecond: sub-millisecond tests jitter
    // by microseconds, which is no news to anyone.
    if (durations.length >= 3) {
      const middle = median(durations);
      const flagged = outliers(durations)
        .filter((i) => Math.abs(durations[i]! - middle) > OUTLIER_FLOOR_MS)
        .map((i) => timed[i]!.run);
      if (flagged.length) summary.outlierRuns = flagged;
    }
    summaries.push(summary);
  }
  // Slowest first: what a reader looks for.
  // Plain comparison rather than localeCompare: a deterministic order, and fast over 100k tests.
  const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return summaries.sort((a, b) => b.durationMs.median - a.durationMs.median || byText(a.file, b.file) || byText(a.name, b.name));
}

export function summariseRuns(all: readonly RunRecord[], measured: readonly RunRecord[], tests: readonly TestSummary[]): ProfileSummary {
  const keepValues = measured.length > 1;
  const last = measured[measured.length - 1]!;
  const summary: ProfileSummary = {
    runs: measured.filter((r) => !r.warmup).length,
    warmup: all.filter((r) => r.warmup).length,
    wallMs: summarize(measured.map((r) => r.wallMs), keepValues),
    counts: last.counts,
    flaky: tests.filter((t) => t.flaky).length,
    workers: last.workers.length,
    parallelEfficiency: null,
  };
  const cpu = measured.flatMap((r) => (r.cpu ? [r.cpu.userMs + r.cpu.systemMs] : []));
  if (cpu.length === measured.length) summary.cpuMs = summarize(cpu, keepValues);
  const collection = measured.flatMap((r) => (r.collectionMs === null ? [] : [r.collectionMs]));
  if (collection.length) summary.collectionMs = summarize(collection, keepValues);
  const sums = measured.filter((r) => r.tests.length > 0).map((r) => r.tests.reduce((sum, t) => sum + (t.durationMs ?? 0), 0));
  if (sums.length) summary.testsMs = summarize(sums, keepValues);
  const efficiencies = measured.flatMap((r) => (r.parallelEfficiency === null ? [] : [r.parallelEfficiency]));
  if (efficiencies.length) summary.parallelEfficiency = Math.round(median(efficiencies) * 1000) / 1000;
  return summary;
}

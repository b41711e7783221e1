// Comparing measurements with a baseline: a profile's tests and total, or a benchmark document's
// benchmarks. Both reduce to sides of items with values, judged by verdict.ts in one family.
import { documentHeader } from '../../lib/document-header.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import { type BenchmarkDocument, benchmarkKey } from './benchmark-document.ts';
import { median } from '../../lib/stats.ts';
import { testKey } from '../../lib/test-id.ts';
import { formatRatio } from '../../lib/format.ts';
import { smallestPValue } from './mann-whitney.ts';
import type { Summary } from './statistics.ts';
import type { ComparisonDocument, Delta, Phase, PhaseDelta, TestDelta, Thresholds, TotalDelta } from './types.ts';
import { type Basis, type Item, type Judgement, type Measured, DEFAULT_MIN_EFFECT, judgeAll, summarySigma } from './verdict.ts';

/** One test (or benchmark) on one side of a comparison. */
export interface SideTest {
  file: string;
  name: string;
  id?: string;
  /** The figure compared: the median of the runs (or the rolling statistic of a history). */
  ms: number;
  /** The measurements behind it, for the rank test; null when the document kept none. */
  values: number[] | null;
  /** Summary statistics, for the weaker test when there are no values. */
  summary?: Summary | null;
  flaky: boolean;
  /** Medians of the test's phases, where the runner reports them. */
  phaseMs?: Partial<Record<Phase, number>>;
}

/** What a comparison needs of each side: a profile, a history baseline and a benchmark document all reduce to this. */
export interface SideData {
  source: string;
  runs: number;
  createdAt?: string;
  commit?: string | null;
  /** The total (wall time of the runs); absent for benchmarks. */
  totalMs?: number;
  totalValues?: number[] | null;
  /** Each phase summed over the tests, run by run. */
  phases?: Partial<Record<Phase, number[]>>;
  tests: Map<string, SideTest>;
}

export const defaultThresholds: Thresholds = { relative: 0.1, absoluteMs: 50, totalRelative: 0.02, alpha: 0.05, minEffect: DEFAULT_MIN_EFFECT };

const PHASES: Phase[] = ['setup', 'call', 'teardown'];
const phaseField = { setup: 'setupMs', call: 'callMs', teardown: 'teardownMs' } as const;

/** The measured wall times of a profile's runs (warm-ups left out). */
export function measuredWalls(profile: ProfileDocument): number[] {
  const walls = profile.runs.filter((run) => !run.warmup).map((run) => run.wallMs);
  if (walls.length) return walls;
  return profile.summary.wallMs.values ?? [profile.summary.wallMs.median];
}

/** Each phase summed over the tests of each measured run; absent when no test reports phases. */
export function phaseSums(profile: ProfileDocument): Partial<Record<Phase, number[]>> {
  const runs = profile.runs.filter((run) => !run.warmup);
  const sums: Partial<Record<Phase, number[]>> = {};
  for (const phase of PHASES) {
    const field = phaseField[phase];
    if (!runs.some((run) => run.tests.some((test) => typeof test.phases?.[field] === 'number'))) continue;
    sums[phase] = runs.map((run) => run.tests.reduce((sum, test) => sum + (test.phases?.[field] ?? 0), 0));
  }
  return sums;
}

/** A profile as one side of a comparison. */
export function profileSide(profile: ProfileDocument, source: string): SideData {
  const tests = new Map<string, SideTest>();
  for (const test of profile.tests) {
    const stats = test.durationMs;
    const values = stats.values && stats.values.length === stats.runs ? stats.values : stats.runs === 1 ? [stats.median] : null;
    const phaseMs: Partial<Record<Phase, number>> = {};
    for (const phase of PHASES) {
      const phaseStats = test[phaseField[phase]];
      if (phaseStats) phaseMs[phase] = phaseStats.median;
    }
    tests.set(testKey(test), {
      file: test.file,
      name: test.name,
      id: test.id,
      ms: stats.median,
      values,
      summary: stats.runs > 1 ? { n: stats.runs, median: stats.median, sigma: 1.4826 * stats.mad } : null,
      flaky: test.flaky,
      ...(Object.keys(phaseMs).length ? { phaseMs } : {}),
    });
  }
  const walls = measuredWalls(profile);
  return {
    source,
    runs: profile.summary.runs || walls.length,
    createdAt: profile.createdAt,
    commit: profile.environment?.git?.commit ?? null,
    totalMs: median(walls),
    totalValues: walls,
    phases: phaseSums(profile),
    tests,
  };
}

/** A benchmark document as one side of a comparison: each benchmark's samples, else its summary. */
export function benchmarkSide(document: BenchmarkDocument, source: string): SideData {
  const tests = new Map<string, SideTest>();
  for (const bench of document.benchmarks) {
    const sigma = summarySigma(bench.stats);
    tests.set(benchmarkKey(bench), {
      file: bench.file ?? '',
      name: bench.name,
      ...(bench.id ? { id: bench.id } : {}),
      ms: bench.samplesMs?.length ? median(bench.samplesMs) : bench.stats.median,
      values: bench.samplesMs?.length ? bench.samplesMs : null,
      summary: sigma === null ? null : { n: bench.stats.rounds, median: bench.stats.median, sigma },
      flaky: false,
    });
  }
  const rounds = document.benchmarks.map((b) => b.stats.rounds);
  return {
    source,
    runs: rounds.length ? Math.round(median(rounds)) : 0,
    createdAt: document.createdAt,
    commit: document.environment.git?.commit ?? null,
    tests,
  };
}

const measured = (test: SideTest): Measured => ({ ms: test.ms, values: test.values, summary: test.summary ?? null });

function delta(judgement: Judgement): Delta {
  return {
    baselineMs: judgement.baselineMs,
    currentMs: judgement.currentMs,
    ratio: judgement.ratio,
    deltaMs: judgement.deltaMs,
    pValue: judgement.pValue,
    pAdjusted: judgement.pAdjusted,
    spreadMs: judgement.spreadMs,
    basis: judgement.basis,
    regressed: judgement.status === 'regressed',
    ...(judgement.runsNeeded !== undefined ? { runsNeeded: judgement.runsNeeded } : {}),
  };
}

/** The method of the whole comparison, from the bases of its items. */
function methodOf(bases: readonly Basis[]): ComparisonDocument['method'] {
  const tested = new Set(bases.filter((b) => b !== 'threshold-only'));
  if (tested.size === 0) return 'threshold-only';
  if (tested.size === 1 && bases.every((b) => b !== 'threshold-only')) return [...tested][0] as 'mann-whitney' | 'summary';
  return 'mixed';
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Each phase summed over the tests, judged like the total: which phase moved, and in how many tests. */
function comparePhases(baseline: SideData, current: SideData, common: readonly [SideTest, SideTest][], thresholds: Thresholds, floorMs: number): PhaseDelta[] {
  const phases = PHASES.filter((phase) => baseline.phases?.[phase] && current.phases?.[phase]);
  if (phases.length === 0) return [];
  const items: Item[] = phases.map((phase) => {
    const before = baseline.phases![phase]!;
    const after = current.phases![phase]!;
    return { base: { ms: median(before), values: before }, current: { ms: median(after), values: after }, floorMs };
  });
  const judged = judgeAll(items, thresholds);
  return phases.map((phase, i) => {
    const shifts = common.flatMap(([before, after]) => {
      const a = before.phaseMs?.[phase];
      const b = after.phaseMs?.[phase];
      return a === undefined || b === undefined ? [] : [b - a];
    });
    return {
      phase,
      status: judged[i]!.status,
      ...delta(judged[i]!),
      tests: {
        slower: shifts.filter((s) => s >= 1).length,
        faster: shifts.filter((s) => s <= -1).length,
        of: shifts.length,
        medianShiftMs: shifts.length ? round(median(shifts)) : 0,
      },
    };
  });
}

/** Compares `current` with `baseline` and returns a comparison document. */
export function compare(
  baseline: SideData,
  current: SideData,
  thresholds: Thresholds,
  now: Date = new Date(),
  subject: 'tests' | 'benchmarks' = 'tests',
): ComparisonDocument {
  const warnings: string[] = [];
  const thresholdsUsed = { ...thresholds, minEffect: thresholds.minEffect ?? DEFAULT_MIN_EFFECT };
  // Benchmarks have no absolute floor: they run for microseconds, and their spread guards them.
  const testFloor = subject === 'benchmarks' ? 0 : thresholds.absoluteMs;
  const common: [SideTest, SideTest][] = [];
  for (const [key, after] of current.tests) {
    const before = baseline.tests.get(key);
    if (before) common.push([before, after]);
  }
  const hasTotal = baseline.totalMs !== undefined && current.totalMs !== undefined;
  const items: Item[] = common.map(([before, after]) => ({ base: measured(before), current: measured(after), floorMs: testFloor }));
  if (hasTotal) {
    const currentTotal = current.totalValues?.length ? median(current.totalValues) : current.totalMs!;
    items.unshift({
      base: { ms: baseline.totalMs!, values: baseline.totalValues ?? null },
      current: { ms: currentTotal, values: current.totalValues ?? null },
      floorMs: thresholds.totalRelative * baseline.totalMs!,
    });
  }
  const judged = judgeAll(items, thresholdsUsed);
  const family = judged.filter((j) => j.pAdjusted !== null).length;
  const totalJudgement = hasTotal ? judged.shift()! : undefined;

  const tests: TestDelta[] = [];
  common.forEach(([before, after], i) => {
    const judgement = judged[i]!;
    const identity = { file: after.file, name: after.name, ...(after.id ? { id: after.id } : {}) };
    tests.push({ ...identity, status: judgement.status, ...delta(judgement), newlyFlaky: after.flaky && !before.flaky });
  });
  for (const [key, after] of current.tests) {
    if (baseline.tests.has(key)) continue;
    const identity = { file: after.file, name: after.name, ...(after.id ? { id: after.id } : {}) };
    tests.push({ ...identity, status: 'new', baselineMs: null, currentMs: round(after.ms, 6), ratio: null, deltaMs: null, pValue: null, regressed: false, newlyFlaky: after.flaky });
  }
  for (const [key, before] of baseline.tests) {
    if (current.tests.has(key)) continue;
    const identity = { file: before.file, name: before.name, ...(before.id ? { id: before.id } : {}) };
    tests.push({ ...identity, status: 'removed', baselineMs: round(before.ms, 6), currentMs: null, ratio: null, deltaMs: null, pValue: null, regressed: false, newlyFlaky: false });
  }

  const bases = [...(totalJudgement ? [totalJudgement.basis] : []), ...judged.map((j) => j.basis)];
  const method = methodOf(bases);
  if (subject === 'tests' && hasTotal) {
    const baseRuns = baseline.totalValues?.length ?? 1;
    const currentRuns = current.totalValues?.length ?? 1;
    if (baseRuns < 2 || currentRuns < 2) warnings.push(`single runs (${baseRuns} vs ${currentRuns}): the verdict rests on thresholds only; use --runs 5 for a significance test`);
    else if (smallestPValue(baseRuns, currentRuns) >= thresholds.alpha) {
      let enough = 2;
      while (smallestPValue(enough, enough) >= thresholds.alpha) enough++;
      warnings.push(`${baseRuns} vs ${currentRuns} runs cannot reach p < ${thresholds.alpha} (at best p = ${round(smallestPValue(baseRuns, currentRuns), 4)}): changes of the size that counts are inconclusive; ${enough} runs per side can tell`);
    }
  }
  const summaryOnly = judged.filter((j) => j.basis === 'summary').length;
  if (summaryOnly) warnings.push(`${summaryOnly} ${subject === 'benchmarks' ? 'benchmarks' : 'tests'} compared on summary statistics (a side kept no samples): a weaker test than the rank test on samples`);
  // A machine busier or slower as a whole moves every benchmark alike: say so, rather than let it
  // pass for the change (one session a side cannot tell the two apart).
  const ratios = judged.flatMap((j) => (j.ratio === null ? [] : [j.ratio]));
  if (subject === 'benchmarks' && ratios.length >= 3 && Math.abs(median(ratios) - 1) >= thresholds.relative) {
    warnings.push(
      `the ${ratios.length} benchmarks moved together (median ${formatRatio(median(ratios))}): a machine slower or busier as a whole moves them all alike; measure both sides on one machine at one time, or compare with a history pooled over several runs`,
    );
  }
  const untested = judged.filter((j) => j.basis === 'threshold-only').length;
  if (subject === 'benchmarks' && untested) warnings.push(`${untested} benchmarks have too few samples for a significance test: judged on thresholds only`);

  const phases = hasTotal ? comparePhases(baseline, current, common, thresholdsUsed, thresholds.totalRelative * baseline.totalMs!) : [];
  const total: TotalDelta | undefined = totalJudgement ? { ...delta(totalJudgement), status: totalJudgement.status } : undefined;
  const statuses = [...(totalJudgement ? [totalJudgement.status] : []), ...tests.map((t) => t.status)];
  const inconclusive = subject === 'benchmarks' ? statuses.includes('inconclusive') : totalJudgement?.status === 'inconclusive';
  const verdict = statuses.includes('regressed') ? 'regression' : statuses.includes('improved') ? 'improvement' : inconclusive ? 'inconclusive' : 'no-change';
  const side = (data: SideData) => ({
    source: data.source,
    runs: data.runs,
    ...(data.createdAt ? { createdAt: data.createdAt } : {}),
    ...(data.commit !== undefined ? { commit: data.commit } : {}),
  });
  return {
    ...documentHeader('comparison', 'report', now),
    subject,
    baseline: side(baseline),
    current: side(current),
    method,
    correction: { method: 'holm', family },
    thresholds: thresholdsUsed,
    verdict,
    ...(total ? { total } : {}),
    ...(phases.length ? { phases } : {}),
    tests: tests.sort(byChange),
    ...(warnings.length ? { warnings } : {}),
  } as ComparisonDocument;
}

const statusOrder: Record<TestDelta['status'], number> = { regressed: 0, improved: 1, inconclusive: 2, new: 3, removed: 4, unchanged: 5 };

// Regressions first, then by the size of the change, then by name: a stable order for goldens.
function byChange(a: TestDelta, b: TestDelta): number {
  return (
    statusOrder[a.status] - statusOrder[b.status] ||
    Math.abs(b.deltaMs ?? 0) - Math.abs(a.deltaMs ?? 0) ||
    a.file.localeCompare(b.file) ||
    a.name.localeCompare(b.name)
  );
}

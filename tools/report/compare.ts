// Comparing a profile with a baseline: per test and in total, with a verdict that respects noise.
// A change counts only when it passes a relative threshold, an absolute one and, with enough
// runs on both sides, a Mann-Whitney U test on the measured runs.
import { documentHeader } from '../../lib/document.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import { median } from '../../lib/stats.ts';
import { testKey } from '../../lib/test-id.ts';
import { mannWhitney, smallestPValue } from './mann-whitney.ts';
import type { ComparisonDocument, Delta, TestDelta, Thresholds } from './types.ts';

/** One test on one side of a comparison. */
export interface SideTest {
  file: string;
  name: string;
  id?: string;
  /** The figure compared: the median of the runs (or the rolling statistic of a history). */
  ms: number;
  /** The measurements behind it, for the significance test; null when the document kept none. */
  values: number[] | null;
  flaky: boolean;
}

/** What a comparison needs of each side: a profile and a history baseline both reduce to this. */
export interface SideData {
  source: string;
  runs: number;
  createdAt?: string;
  commit?: string | null;
  totalMs: number;
  totalValues: number[] | null;
  tests: Map<string, SideTest>;
}

export const defaultThresholds: Thresholds = { relative: 0.1, absoluteMs: 50, totalRelative: 0.02, alpha: 0.05 };

/** The measured wall times of a profile's runs (warm-ups left out). */
export function measuredWalls(profile: ProfileDocument): number[] {
  const walls = profile.runs.filter((run) => !run.warmup).map((run) => run.wallMs);
  if (walls.length) return walls;
  return profile.summary.wallMs.values ?? [profile.summary.wallMs.median];
}

/** A profile as one side of a comparison. */
export function profileSide(profile: ProfileDocument, source: string): SideData {
  const tests = new Map<string, SideTest>();
  for (const test of profile.tests) {
    const stats = test.durationMs;
    const values = stats.values && stats.values.length === stats.runs ? stats.values : stats.runs === 1 ? [stats.median] : null;
    tests.set(testKey(test), { file: test.file, name: test.name, id: test.id, ms: stats.median, values, flaky: test.flaky });
  }
  const walls = measuredWalls(profile);
  return {
    source,
    runs: profile.summary.runs || walls.length,
    createdAt: profile.createdAt,
    commit: profile.environment?.git?.commit ?? null,
    totalMs: median(walls),
    totalValues: walls,
    tests,
  };
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Judged {
  delta: Delta;
  improved: boolean;
}

function judge(
  baseMs: number,
  currentMs: number,
  baseValues: number[] | null,
  currentValues: number[] | null,
  absoluteMs: number,
  thresholds: Thresholds,
  useSignificance: boolean,
): Judged {
  const deltaMs = currentMs - baseMs;
  const ratio = baseMs > 0 ? currentMs / baseMs : null;
  let pValue: number | null = null;
  if (useSignificance && baseValues && currentValues && baseValues.length > 1 && currentValues.length > 1) {
    pValue = mannWhitney(currentValues, baseValues).pValue;
  }
  // Threshold-only comparisons (single runs) rest on the thresholds; otherwise the runs must differ significantly.
  const significant = useSignificance ? pValue !== null && pValue < thresholds.alpha : true;
  const relative = ratio === null ? (deltaMs > 0 ? Infinity : 0) : ratio - 1;
  const regressed = significant && deltaMs >= absoluteMs && relative >= thresholds.relative;
  const improved = significant && -deltaMs >= absoluteMs && -relative >= thresholds.relative;
  return {
    delta: {
      baselineMs: round(baseMs),
      currentMs: round(currentMs),
      ratio: ratio === null ? null : round(ratio, 4),
      deltaMs: round(deltaMs),
      pValue: pValue === null ? null : round(pValue, 6),
      regressed,
    },
    improved,
  };
}

/** Compares `current` with `baseline` and returns a comparison document. */
export function compare(baseline: SideData, current: SideData, thresholds: Thresholds, now: Date = new Date()): ComparisonDocument {
  const warnings: string[] = [];
  const baseRuns = baseline.totalValues?.length ?? 1;
  const currentRuns = current.totalValues?.length ?? 1;
  const reachable = smallestPValue(baseRuns, currentRuns);
  const method = baseRuns > 1 && currentRuns > 1 && reachable < thresholds.alpha ? 'mann-whitney' : 'threshold-only';
  if (method === 'threshold-only') {
    warnings.push(
      baseRuns < 2 || currentRuns < 2
        ? `single runs (${baseRuns} vs ${currentRuns}): the verdict rests on thresholds only; use --runs 5 for a significance test`
        : `${baseRuns} vs ${currentRuns} runs cannot reach p < ${thresholds.alpha} (at best p = ${round(reachable, 4)}): the verdict rests on thresholds only; use more runs`,
    );
  }
  const useSignificance = method === 'mann-whitney';

  const tests: TestDelta[] = [];
  let improvedTests = 0;
  let withoutValues = 0;
  for (const [key, after] of current.tests) {
    const before = baseline.tests.get(key);
    const identity = { file: after.file, name: after.name, ...(after.id ? { id: after.id } : {}) };
    if (!before) {
      tests.push({ ...identity, status: 'new', baselineMs: null, currentMs: round(after.ms), ratio: null, deltaMs: null, pValue: null, regressed: false, newlyFlaky: after.flaky });
      continue;
    }
    if (useSignificance && (!before.values || !after.values)) withoutValues++;
    const { delta, improved } = judge(before.ms, after.ms, before.values, after.values, thresholds.absoluteMs, thresholds, useSignificance);
    if (improved) improvedTests++;
    tests.push({ ...identity, status: delta.regressed ? 'regressed' : improved ? 'improved' : 'unchanged', ...delta, newlyFlaky: after.flaky && !before.flaky });
  }
  for (const [key, before] of baseline.tests) {
    if (current.tests.has(key)) continue;
    const identity = { file: before.file, name: before.name, ...(before.id ? { id: before.id } : {}) };
    tests.push({ ...identity, status: 'removed', baselineMs: round(before.ms), currentMs: null, ratio: null, deltaMs: null, pValue: null, regressed: false, newlyFlaky: false });
  }
  if (withoutValues) warnings.push(`${withoutValues} tests kept no per-run values: they cannot pass the significance test`);

  const total = judge(
    baseline.totalMs,
    median(current.totalValues ?? [current.totalMs]),
    baseline.totalValues,
    current.totalValues,
    thresholds.totalRelative * baseline.totalMs,
    thresholds,
    useSignificance,
  );
  const regressed = total.delta.regressed || tests.some((test) => test.regressed);
  const verdict = regressed ? 'regression' : total.improved || improvedTests > 0 ? 'improvement' : 'no-change';
  const side = (data: SideData) => ({
    source: data.source,
    runs: data.runs,
    ...(data.createdAt ? { createdAt: data.createdAt } : {}),
    ...(data.commit !== undefined ? { commit: data.commit } : {}),
  });
  return {
    ...documentHeader('comparison', 'report', now),
    baseline: side(baseline),
    current: side(current),
    method,
    thresholds,
    verdict,
    total: total.delta,
    tests: tests.sort(byChange),
    ...(warnings.length ? { warnings } : {}),
  } as ComparisonDocument;
}

const statusOrder: Record<TestDelta['status'], number> = { regressed: 0, improved: 1, new: 2, removed: 3, unchanged: 4 };

// Regressions first, then by the size of the change, then by name: a stable order for goldens.
function byChange(a: TestDelta, b: TestDelta): number {
  return (
    statusOrder[a.status] - statusOrder[b.status] ||
    Math.abs(b.deltaMs ?? 0) - Math.abs(a.deltaMs ?? 0) ||
    a.file.localeCompare(b.file) ||
    a.name.localeCompare(b.name)
  );
}

// Verdicts a CI can trust (issue 19): the correction for many comparisons, the minimum effect
// relative to a test's own spread, `inconclusive` with what would settle it, the total's own
// verdict, and the phase that moved. The statistics are checked against known values, and the
// gate's error rates on simulated suites drawn from a fixed seed.
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import { compare, defaultThresholds, profileSide } from '../../tools/report/compare.ts';
import { holm, incompleteBeta, normalQuantile, runsToDetect, studentTwoSidedP, summaryTest } from '../../tools/report/statistics.ts';
import type { ComparisonDocument } from '../../tools/report/types.ts';
import { type Item, judgeAll } from '../../tools/report/verdict.ts';
import { around, buildProfile } from './builders.ts';

const now = new Date('2026-11-24T06:00:00.000Z');

/** A small, seeded generator (mulberry32) and normal draws from it: simulations that repeat exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normal = (next: () => number) => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
/** n timings around `centre` with a log-normal spread `cv` (timings have a long right tail). */
const timings = (next: () => number, centre: number, cv: number, n: number) => Array.from({ length: n }, () => centre * Math.exp(cv * normal(next)));

const comparison = (before: ReturnType<typeof buildProfile>, after: ReturnType<typeof buildProfile>) =>
  validateDocument<ComparisonDocument>(compare(profileSide(before, 'base.json'), profileSide(after, 'new.json'), defaultThresholds, now), 'comparison', ['comparison']);

describe('the statistics behind a verdict', () => {
  it("Holm's adjustment matches its definition on known p-values", () => {
    expect(holm([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02]);
    expect(holm([0.5])).toEqual([0.5]);
    expect(holm([])).toEqual([]);
  });

  it("Student's t and the normal quantile agree with their tables", () => {
    expect(studentTwoSidedP(2.776, 4)).toBeCloseTo(0.05, 3);
    expect(studentTwoSidedP(12.706, 1)).toBeCloseTo(0.05, 3);
    expect(studentTwoSidedP(1.96, 1e6)).toBeCloseTo(0.05, 3);
    expect(studentTwoSidedP(0, 7)).toBeCloseTo(1, 9);
    expect(incompleteBeta(0.3, 2, 2)).toBeCloseTo(0.216, 9); // 3x² − 2x³
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 5);
  });

  it('says how many runs would detect a change: about 17 per side for a shift of one standard deviation', () => {
    // t-test: 2 (1.96 + 0.84)² = 15.7 per side; the rank test needs π/3 times as many.
    expect(runsToDetect(10, 10, 0.05)).toBe(17);
    // A shift of ten spreads: the exact test's floor (4 per side reach p < 0.05 at best 0.029).
    expect(runsToDetect(100, 10, 0.05)).toBe(4);
    // With 20 comparisons corrected together, each needs p < 0.0025: 6 per side at the least.
    expect(runsToDetect(100, 10, 0.05 / 20)).toBe(6);
  });

  it('tests summaries with Welch’s t on the medians: a clear shift is significant, the same figures are not', () => {
    expect(summaryTest({ n: 100, median: 10, sigma: 1 }, { n: 100, median: 12, sigma: 1 })).toBeLessThan(1e-6);
    expect(summaryTest({ n: 100, median: 10, sigma: 1 }, { n: 100, median: 10, sigma: 1 })).toBe(1);
  });
});

describe('verdicts a CI can trust', () => {
  it('calls a −20% total at p = 0.548 inconclusive, with the spread and the runs that would tell, not "no-change"', () => {
    // Three runs a side whose totals overlap widely: the median fell by a fifth, the runs cannot tell.
    const items: Item[] = [{ base: { ms: 1000, values: [1000, 700, 1300] }, current: { ms: 800, values: [800, 1250, 690] }, floorMs: 20 }];
    const [judged] = judgeAll(items, { ...defaultThresholds, alpha: 0.05 });
    expect(judged).toMatchObject({ status: 'inconclusive', basis: 'mann-whitney', ratio: 0.8, pAdjusted: null });
    expect(judged!.runsNeeded).toBeGreaterThanOrEqual(4);
    const [withFive] = judgeAll([{ base: { ms: 1000, values: [1000, 700, 1300, 1100, 900] }, current: { ms: 800, values: [800, 1250, 690, 760, 1010] }, floorMs: 20 }], defaultThresholds);
    expect(withFive!.pValue).toBeCloseTo(0.548, 3);
    expect(withFive).toMatchObject({ status: 'inconclusive', basis: 'mann-whitney' });
    expect(withFive!.spreadMs).toBeCloseTo(1.4826 * 110, 3);
    expect(withFive!.runsNeeded).toBeGreaterThan(5);
  });

  it('does not call a noisy test a regression when its change is within its own spread', () => {
    // 28 ms → 108 ms in the medians, but the runs spread over 25–150 ms on both sides.
    const before = buildProfile([{ file: 't.py', name: 'allocates_64mib', durations: [28, 25, 150, 31, 140] }, { file: 't.py', name: 'steady', durations: around(300, 1) }]);
    const after = buildProfile([{ file: 't.py', name: 'allocates_64mib', durations: [108, 27, 145, 30, 112] }, { file: 't.py', name: 'steady', durations: around(300, 1, 5, 2) }]);
    const result = comparison(before, after);
    const noisy = result.tests.find((t) => t.name === 'allocates_64mib')!;
    expect(noisy.ratio!).toBeGreaterThan(1.1);
    expect(noisy.status).toBe('inconclusive');
    expect(result.verdict).not.toBe('regression');
  });

  it('gives the total row a verdict of its own', () => {
    const suite = (extra: number, phase: number) => buildProfile([{ file: 'a.py', name: 'a', durations: around(400 + extra, 3, 5, phase) }, { file: 'a.py', name: 'b', durations: around(300 + extra, 3, 5, phase + 1) }]);
    expect(comparison(suite(0, 0), suite(0, 3)).total).toMatchObject({ status: 'unchanged', regressed: false });
    expect(comparison(suite(0, 0), suite(120, 3)).total).toMatchObject({ status: 'regressed', regressed: true });
    expect(comparison(suite(120, 0), suite(0, 3)).total).toMatchObject({ status: 'improved', regressed: false });
  });

  it('finds one slower test among 300 steady ones: the correction counts only the tests that could have changed', () => {
    const tests = (slow: number, phase: number) => [
      { file: 'tests/test_x.py', name: 'test_planted', durations: around(300 + slow, 4, 5, phase) },
      ...Array.from({ length: 300 }, (_, k) => ({ file: `tests/test_${k % 30}.py`, name: `test_${k}`, durations: around(20 + (k % 50) * 8, 1 + (k % 7) * 0.3, 5, phase + k) })),
    ];
    const result = comparison(buildProfile(tests(0, 0)), buildProfile(tests(90, 2)));
    expect(result.tests.filter((t) => t.status === 'regressed').map((t) => t.name)).toEqual(['test_planted']);
    expect(result.correction!.family).toBeLessThan(5);
    const planted = result.tests.find((t) => t.name === 'test_planted')!;
    expect(planted.pAdjusted!).toBeLessThan(0.05);
    expect(planted.pAdjusted!).toBeGreaterThanOrEqual(planted.pValue!);
  });

  it('keeps the false alarms of the gate on the same code measured twice under alpha (1000 simulated suites of 100 noisy tests)', () => {
    const next = random(19);
    let alarms = 0;
    let naiveAlarms = 0;
    const trials = 1000;
    for (let trial = 0; trial < trials; trial++) {
      const items: Item[] = Array.from({ length: 100 }, (_, k) => {
        const centre = 100 + k * 10;
        const before = timings(next, centre, 0.15, 5);
        const after = timings(next, centre, 0.15, 5);
        return { base: { ms: median(before), values: before }, current: { ms: median(after), values: after }, floorMs: 5 };
      });
      const judged = judgeAll(items, { ...defaultThresholds, absoluteMs: 5 });
      if (judged.some((j) => j.status === 'regressed' || j.status === 'improved')) alarms++;
      // Without the correction and the spread rule: each test at alpha on its own.
      if (judged.some((j) => j.pValue !== null && j.pValue < 0.05 && Math.abs(j.ratio! - 1) >= 0.1 && Math.abs(j.deltaMs) >= 5)) naiveAlarms++;
    }
    expect(alarms / trials).toBeLessThanOrEqual(0.05);
    expect(naiveAlarms / trials).toBeGreaterThan(0.3);
  });

  it('detects a planted 20% slowdown of one benchmark of three, 5 rounds each side, in at least 9 of 10 simulated runs', () => {
    const next = random(21);
    let detected = 0;
    let falseAlarms = 0;
    const trials = 500;
    for (let trial = 0; trial < trials; trial++) {
      const items: Item[] = [1, 1, 1.2].map((factor, k) => {
        const before = timings(next, 10 * (k + 1), 0.03, 5);
        const after = timings(next, 10 * (k + 1) * factor, 0.03, 5);
        return { base: { ms: median(before), values: before }, current: { ms: median(after), values: after }, floorMs: 0 };
      });
      const judged = judgeAll(items, defaultThresholds);
      if (judged[2]!.status === 'regressed') detected++;
      if (judged[0]!.status !== 'unchanged' || judged[1]!.status !== 'unchanged') falseAlarms++;
    }
    expect(detected / trials).toBeGreaterThanOrEqual(0.9);
    expect(falseAlarms / trials).toBeLessThanOrEqual(0.05);
  });

  it('names the phase that moved: a slower autouse fixture adds 3 ms of setup to each of 920 tests', () => {
    const suite = (setup: number, phase: number) =>
      buildProfile(
        Array.from({ length: 920 }, (_, k) => {
          const durations = around(12 + (k % 9), 0.3, 5, phase + k);
          return { file: `tests/test_${k % 40}.py`, name: `test_${k}`, durations: durations.map((d) => d + setup), setup: durations.map(() => 1 + setup), worker: `gw${k % 4}` };
        }),
      );
    const result = comparison(suite(0, 0), suite(3, 1));
    expect(result.tests.filter((t) => t.status === 'regressed')).toEqual([]);
    expect(result.total).toMatchObject({ status: 'regressed' });
    const setup = result.phases!.find((p) => p.phase === 'setup')!;
    expect(setup).toMatchObject({ status: 'regressed', tests: { slower: 920, faster: 0, of: 920, medianShiftMs: 3 } });
    expect(setup.deltaMs).toBeCloseTo(2760, 0);
    expect(result.phases!.find((p) => p.phase === 'call')!.status).toBe('unchanged');
  }, 60_000);
});

describe('benchmarks that moved together', () => {
  it('warns that a machine slower as a whole moves every benchmark alike', () => {
    const side = (factor: number, source: string) => ({
      source,
      runs: 5,
      tests: new Map(
        ['parse', 'render', 'index'].map((name, k) => {
          const values = [1, 1.01, 0.99, 1.02, 0.98].map((v) => v * 10 * (k + 1) * factor);
          return [name, { file: 'b.py', name, ms: median(values), values, flaky: false }] as const;
        }),
      ),
    });
    const together = compare(side(1, 'a.json'), side(1.35, 'b.json'), defaultThresholds, now, 'benchmarks');
    expect(together.warnings).toContain(
      'the 3 benchmarks moved together (median +35%): a machine slower or busier as a whole moves them all alike; measure both sides on one machine at one time, or compare with a history pooled over several runs',
    );
    expect(compare(side(1, 'a.json'), side(1, 'b.json'), defaultThresholds, now, 'benchmarks').warnings).toBeUndefined();
  });
});

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

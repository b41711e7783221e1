import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import { compare, defaultThresholds, profileSide } from '../../tools/report/compare.ts';
import { historyRecord, rollingBaseline } from '../../tools/report/history.ts';
import type { ComparisonDocument } from '../../tools/report/types.ts';
import { around, buildProfile } from './builders.ts';

const now = new Date('2026-11-24T06:00:00.000Z');

function suite(slowMs: number, options: { phase?: number; runs?: number; jitter?: number } = {}) {
  const { phase = 0, runs = 5, jitter = 8 } = options;
  return buildProfile([
    { file: 'tests/test_slow.py', name: 'test_sleeps', durations: around(slowMs, jitter, runs, phase) },
    { file: 'tests/test_db.py', name: 'TestDb::test_query', durations: around(400, jitter, runs, phase + 1) },
    { file: 'tests/test_fast.py', name: 'test_fast', durations: around(3, 0.5, runs, phase + 2) },
  ]);
}

const run = (before: ReturnType<typeof suite>, after: ReturnType<typeof suite>, thresholds = defaultThresholds) =>
  validateDocument<ComparisonDocument>(compare(profileSide(before, 'base.json'), profileSide(after, 'new.json'), thresholds, now), 'comparison', ['comparison']);

describe('comparing profiles', () => {
  it('flags a 30% slowdown of one test over 5 runs, with its p-value, as a regression', () => {
    const result = run(suite(300), suite(390, { phase: 3 }));
    expect(result.method).toBe('mann-whitney');
    expect(result.verdict).toBe('regression');
    const slow = result.tests.find((t) => t.name === 'test_sleeps')!;
    expect(slow).toMatchObject({ status: 'regressed', regressed: true });
    expect(slow.ratio!).toBeGreaterThan(1.25);
    expect(slow.pValue!).toBeLessThan(0.05);
    expect(result.tests.filter((t) => t.regressed).map((t) => t.name)).toEqual(['test_sleeps']);
  });

  it('does not flag run-to-run noise of the same suite', () => {
    const result = run(suite(300, { jitter: 25 }), suite(300, { phase: 2, jitter: 25 }));
    expect(result.verdict).toBe('no-change');
    expect(result.tests.every((t) => t.status === 'unchanged')).toBe(true);
  });

  it('needs the absolute threshold as well as the relative one: +50% of a 3 ms test is not a regression', () => {
    const before = buildProfile([{ file: 't.py', name: 'tiny', durations: [3, 3.1, 2.9, 3, 3.05] }]);
    const after = buildProfile([{ file: 't.py', name: 'tiny', durations: [4.5, 4.6, 4.4, 4.5, 4.55] }]);
    const result = run(before, after);
    expect(result.tests[0]).toMatchObject({ status: 'unchanged', regressed: false });
    // With the per-test floor lowered by flag, the same change counts.
    expect(run(before, after, { ...defaultThresholds, absoluteMs: 1 }).tests[0]!.status).toBe('regressed');
  });

  it('calls a shifted median whose runs overlap inconclusive, with its spread and the runs that would tell', () => {
    const before = buildProfile([{ file: 't.py', name: 'noisy', durations: [200, 320, 210, 330, 205] }]);
    const after = buildProfile([{ file: 't.py', name: 'noisy', durations: [325, 215, 335, 240, 310] }]);
    const result = run(before, after);
    const test = result.tests[0]!;
    expect(test.deltaMs!).toBeGreaterThan(50);
    expect(test.ratio!).toBeGreaterThan(1.1);
    expect(test.pValue!).toBeGreaterThan(0.05);
    expect(test).toMatchObject({ status: 'inconclusive', regressed: false, basis: 'mann-whitney' });
    // The noisier side's spread: 1.4826 × MAD of [325, 215, 335, 240, 310].
    expect(test.spreadMs).toBeCloseTo(1.4826 * 25, 3);
    expect(test.runsNeeded!).toBeGreaterThanOrEqual(6);
    // The total moved as much, and is as unsure.
    expect(result.total).toMatchObject({ status: 'inconclusive' });
    expect(result.verdict).toBe('inconclusive');
  });

  it('says the verdict is threshold-only with single runs', () => {
    const result = run(suite(300, { runs: 1 }), suite(390, { runs: 1 }));
    expect(result.method).toBe('threshold-only');
    expect(result.warnings?.[0]).toMatch(/single runs \(1 vs 1\).*thresholds only/);
    expect(result.tests.find((t) => t.name === 'test_sleeps')).toMatchObject({ status: 'regressed', pValue: null });
  });

  it('reports new, removed and newly flaky tests', () => {
    const before = buildProfile([
      { file: 'a.py', name: 'kept', durations: [100, 101, 99] },
      { file: 'a.py', name: 'gone', durations: [50, 50, 50] },
    ]);
    const after = buildProfile([
      { file: 'a.py', name: 'kept', durations: [100, 102, 98], outcomes: ['passed', 'failed', 'passed'] },
      { file: 'b.py', name: 'added', durations: [70, 71, 69] },
    ]);
    const result = run(before, after);
    expect(result.tests.map((t) => [t.name, t.status, t.newlyFlaky])).toEqual([
      ['added', 'new', false],
      ['gone', 'removed', false],
      ['kept', 'unchanged', true],
    ]);
    expect(result.method).toBe('mann-whitney');
    expect(result.warnings?.[0]).toBe('3 vs 3 runs cannot reach p < 0.05 (at best p = 0.1): changes of the size that counts are inconclusive; 4 runs per side can tell');
  });

  it('compares with a rolling baseline: the median of the last N history records', () => {
    const history = [280, 900, 300, 310, 295, 305, 290].map((ms, i) =>
      historyRecord(buildProfile([{ file: 't.py', name: 'x', durations: around(ms, 5, 3, i) }], { createdAt: `2026-11-2${i}T00:00:00.000Z` })),
    );
    const all = rollingBaseline(history, { window: 7, statistic: 'median', file: 'h.jsonl' });
    expect(all.source).toBe('history:h.jsonl (median of last 7)');
    expect(all.runs).toBe(7);
    // The 900 ms outlier does not move the median of the medians, and does move the p90.
    expect(all.tests.values().next().value!.ms).toBeGreaterThan(290);
    expect(all.tests.values().next().value!.ms).toBeLessThan(310);
    expect(rollingBaseline(history, { window: 7, statistic: 'p90', file: 'h.jsonl' }).tests.values().next().value!.ms).toBeGreaterThan(500);
    const baseline = rollingBaseline(history, { window: 5, statistic: 'median', file: 'h.jsonl' });
    expect(baseline.runs).toBe(5);
    const slower = buildProfile([{ file: 't.py', name: 'x', durations: around(420, 5, 5) }]);
    const result = compare(baseline, profileSide(slower, 'new.json'), defaultThresholds, now);
    expect(result.method).toBe('mann-whitney');
    expect(result.verdict).toBe('regression');
  });

  it('writes documents the comparison schema holds tight: an unknown property of a test is named', () => {
    const document = JSON.parse(JSON.stringify(run(suite(300), suite(390, { phase: 3 })))) as ComparisonDocument & { tests: Record<string, unknown>[] };
    document.tests[0]!.speedup = 2;
    expect(() => validateDocument(document, 'doc.json')).toThrow('doc.json at $.tests[0]: not a valid comparison document: unexpected property "speedup"');
  });
});

// From events to a run record: timeline, retries, inferred worker lanes, and outliers over runs.
import { describe, expect, it } from 'vitest';
import type { TestResult } from '../../lib/profile-document.ts';
import type { TestEndEvent } from '../../lib/runners/events.ts';
import { inferLanes, testsFromEvents } from '../../tools/profile/assemble.ts';
import type { RunRecord } from '../../tools/profile/built-document.ts';
import { summariseTests } from '../../tools/profile/statistics.ts';

const end = (file: string, name: string, t: number, durationMs: number, extra: Partial<TestEndEvent> = {}): TestEndEvent => ({
  event: 'end',
  file,
  name,
  id: `${file}::${name}`,
  worker: null,
  pid: 1,
  t,
  outcome: 'passed',
  durationMs,
  ...extra,
});

describe('testsFromEvents', () => {
  it('puts each test on the run timeline (start = end − duration) and counts repeated reports as retries', () => {
    const tests = testsFromEvents(
      [end('a.js', 'x', 1_000_500, 100, { outcome: 'failed' }), end('a.js', 'x', 1_000_800, 200), end('a.js', 'y', 1_000_300, 50, { retries: 1 })],
      1_000_000,
    );
    // In start order; x keeps its last result and counts the first as a retry.
    expect(tests).toEqual([
      { file: 'a.js', name: 'y', id: 'a.js::y', outcome: 'passed', durationMs: 50, startMs: 250, endMs: 300, retries: 1 },
      { file: 'a.js', name: 'x', id: 'a.js::x', outcome: 'passed', durationMs: 200, startMs: 600, endMs: 800, retries: 1 },
    ]);
  });
});

describe('inferLanes', () => {
  const test = (file: string, startMs: number, endMs: number): TestResult => ({ file, name: `${file}@${startMs}`, outcome: 'passed', durationMs: endMs - startMs, startMs, endMs });

  it('puts files whose spans overlap on different lanes and reuses a lane once it is free', () => {
    const tests = [test('a', 0, 100), test('a', 100, 300), test('b', 50, 150), test('c', 310, 400), test('d', 160, 250)];
    inferLanes(tests);
    expect(tests.map((t) => `${t.file}:${t.worker}`)).toEqual(['a:lane-1', 'a:lane-1', 'b:lane-2', 'c:lane-1', 'd:lane-2']);
  });

  it('leaves named workers alone', () => {
    const tests = [{ ...test('a', 0, 10), worker: 'gw0' }];
    inferLanes(tests);
    expect(tests[0]!.worker).toBe('gw0');
  });
});

describe('summariseTests', () => {
  const run = (index: number, durationMs: number, outcome: TestResult['outcome'] = 'passed'): RunRecord => ({
    index,
    warmup: false,
    startedAt: '2026-11-24T05:00:00.000Z',
    wallMs: 1000,
    exitCode: 0,
    signal: null,
    interrupted: false,
    collectionMs: 0,
    tailMs: 0,
    workers: [],
    parallelEfficiency: null,
    counts: { total: 1, passed: 1, failed: 0, skipped: 0, error: 0 },
    tests: [{ file: 'a.py', name: 't', outcome, durationMs }],
  });

  it('flags a run far from the median as an outlier, with enough runs, but not microsecond jitter', () => {
    const durations = [100, 101, 99, 100, 102, 98, 100, 101, 99, 400];
    const [slow] = summariseTests(durations.map((d, i) => run(i, d)));
    expect(slow!.outlierRuns).toEqual([9]);
    expect(slow!.durationMs).toMatchObject({ runs: 10, median: 100, min: 98, max: 400 });
    // The same slow run among 5 is not flagged: 5 runs cannot tell an outlier.
    expect(summariseTests(durations.slice(5).map((d, i) => run(i, d)))[0]!.outlierRuns).toBeUndefined();
    const [tiny] = summariseTests([0.2, 0.21, 0.2, 0.2, 0.21, 0.2, 0.19, 0.2, 0.21, 0.9].map((d, i) => run(i, d)));
    expect(tiny!.outlierRuns).toBeUndefined();
  });

  it('marks a test flaky when its outcome differs between runs', () => {
    const [test] = summariseTests([run(0, 10), run(1, 10, 'failed')]);
    expect(test).toMatchObject({ flaky: true, outcomes: ['passed', 'failed'], outcome: 'failed' });
  });
});

// The schedulers the parallel plan replays and the shard balancer, on small cases worked out by hand.
import { describe, expect, it } from 'vitest';
import { simulateLoad, simulatePool, simulateWorksteal } from '../../tools/optimize/parallel.ts';
import { countShards, imbalanceOf, planShards } from '../../tools/optimize/shards.ts';

const units = (...costs: number[]) => costs.map((cost, i) => ({ label: `t${i}`, cost }));

describe('simulated schedulers', () => {
  it('a pool hands the next unit to the first free worker', () => {
    // w0: 5, 2 → 7; w1: 3, 3 → 6.
    expect(simulatePool(units(5, 3, 3, 2), 2)).toBe(7);
    expect(simulatePool(units(5, 3, 3, 2), 1)).toBe(13);
    expect(simulatePool(units(5, 3, 3, 2), 8)).toBe(5);
  });

  it('xdist load with fewer than two tests per worker deals them round robin', () => {
    // w0: 4, 1 → 5; w1: 2 → 2 (three tests, two workers: round robin, no refills).
    expect(simulateLoad(units(4, 2, 1), 2)).toBe(5);
  });

  it('xdist load sends chunks, so a worker can hold tests another could have run', () => {
    // 8 tests on 2 workers: chunks of 2 up front (t0,t1 | t2,t3), then top-ups of max(2, pending/2/2).
    const makespan = simulateLoad(units(1, 1, 1, 1, 1, 1, 1, 9), 2);
    expect(makespan).toBeGreaterThanOrEqual(9);
    expect(makespan).toBeLessThanOrEqual(16);
    // Never better than the ideal split, never worse than serial.
    const many = units(...Array.from({ length: 40 }, (_, i) => (i % 7) + 1));
    const total = many.reduce((sum, u) => sum + u.cost, 0);
    for (const n of [2, 3, 4]) {
      const span = simulateLoad(many, n);
      expect(span).toBeGreaterThanOrEqual(total / n);
      expect(span).toBeLessThan(total);
    }
  });

  it('worksteal cannot steal the test a worker is already running', () => {
    // Slices [1, 1] and [1, 10]: once w1 runs its 10, w0 finds nothing left to steal.
    expect(simulateWorksteal(units(1, 1, 1, 10), 2)).toBe(11);
    // Slices [1, 1, 1] and [1, 8]: w1 ends at 9; w0, idle at 3, finds only the 8 queued alone.
    expect(simulateWorksteal(units(1, 1, 1, 1, 8), 2)).toBe(9);
    // Slices [5, 1, 1, 1] and [1, 1, 1, 1]: w1, idle at 4, steals half of w0's two waiting tests.
    expect(simulateWorksteal(units(5, 1, 1, 1, 1, 1, 1, 1), 2)).toBe(7);
  });
});

describe('shards', () => {
  it('assign longest first onto the least-loaded shard, unknown items at the median', () => {
    const plan = planShards(
      [
        { item: 'a', ms: 8 },
        { item: 'b', ms: 7 },
        { item: 'c', ms: 6 },
        { item: 'd', ms: 5 },
        { item: 'e', ms: 4 },
        { item: 'f', ms: undefined },
      ],
      2,
      'file',
      'test',
    );
    // Median of the known is 6: a(8) → 1; b(7) → 2; c(6), f(6) → 2 (7 < 8) then 1; d(5) → ...
    expect(plan.groups.map((g) => g.predictedMs).reduce((a, b) => a + b, 0)).toBe(36);
    expect(plan.unknownItems).toBe(1);
    expect(Math.max(...plan.groups.map((g) => g.predictedMs))).toBe(18);
    expect(plan.imbalance).toBe(1);
    expect(plan.basis).toContain('1 item not in the profile counted at the median (6 ms)');
  });

  it('report max/mean, and splitting by count for comparison', () => {
    expect(imbalanceOf([10, 10, 10])).toBe(1);
    expect(imbalanceOf([30, 10, 20])).toBe(1.5);
    expect(countShards([{ item: 'a', ms: 9 }, { item: 'b', ms: 1 }, { item: 'c', ms: 1 }, { item: 'd', ms: 1 }], 2)).toEqual([10, 2]);
  });
});

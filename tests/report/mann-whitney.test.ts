import { describe, expect, it } from 'vitest';
import { mannWhitney, midRanks, normalCdf, smallestPValue } from '../../tools/report/mann-whitney.ts';

// An independent reference: enumerate every way of splitting the pooled values into two groups of
// the original sizes and count those whose rank sum is at least as far from its mean as observed.
function bruteForceP(a: number[], b: number[]): number {
  const pooled = [...a, ...b];
  const { ranks } = midRanks(pooled);
  const n = pooled.length;
  const mean = (a.length * (n + 1)) / 2;
  const observed = Math.abs(a.reduce((sum, _, i) => sum + ranks[i]!, 0) - mean);
  let extreme = 0;
  let all = 0;
  const choose = (start: number, left: number, sum: number) => {
    if (left === 0) {
      all++;
      if (Math.abs(sum - mean) >= observed - 1e-9) extreme++;
      return;
    }
    for (let i = start; i <= n - left; i++) choose(i + 1, left - 1, sum + ranks[i]!);
  };
  choose(0, a.length, 0);
  return extreme / all;
}

describe('Mann-Whitney U', () => {
  it('gives the exact p-value of completely separated samples: 2 of C(10,5) arrangements', () => {
    const result = mannWhitney([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);
    expect(result.exact).toBe(true);
    expect(result.u).toBe(25);
    expect(result.pValue).toBeCloseTo(2 / 252, 10);
    expect(smallestPValue(5, 5)).toBeCloseTo(2 / 252, 10);
  });

  it('matches a brute-force permutation test, ties included', () => {
    const cases: [number[], number[]][] = [
      [[1, 2, 2, 3, 5], [2, 3, 3, 4, 6]],
      [[10, 10, 10, 11], [10, 11, 11, 12, 12]],
      [[100.5, 101.2, 99.8, 130, 100.9], [100.1, 100.7, 101.5, 99.9, 100.2]],
      [[5, 5, 5], [5, 5, 6]],
      [[1, 4, 4, 4, 7, 9], [2, 4, 8]],
    ];
    for (const [a, b] of cases) expect(mannWhitney(a, b).pValue).toBeCloseTo(bruteForceP(a, b), 10);
  });

  it('is symmetric in its samples and says p = 1 when all values are equal', () => {
    const a = [3, 1, 4, 1, 5, 9];
    const b = [2, 6, 5, 3, 5];
    expect(mannWhitney(a, b).pValue).toBeCloseTo(mannWhitney(b, a).pValue, 12);
    expect(mannWhitney([7, 7, 7], [7, 7]).pValue).toBe(1);
  });

  it('uses the normal approximation with tie correction for large samples, within 0.01 of the exact value', () => {
    const a = Array.from({ length: 40 }, (_, i) => Math.round(100 + 10 * Math.sin(i)));
    const b = Array.from({ length: 40 }, (_, i) => Math.round(104 + 10 * Math.cos(i * 1.3)));
    const approximate = mannWhitney(a, b);
    const exact = mannWhitney(a, b, 100);
    expect(approximate.exact).toBe(false);
    expect(exact.exact).toBe(true);
    expect(exact.pValue).toBeGreaterThan(0.001);
    expect(exact.pValue).toBeLessThan(0.9);
    expect(Math.abs(approximate.pValue - exact.pValue)).toBeLessThan(0.01);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
  });

  it('cannot reach 5% with three runs a side, and can with four', () => {
    expect(smallestPValue(3, 3)).toBeCloseTo(0.1, 10);
    expect(smallestPValue(4, 4)).toBeLessThan(0.05);
  });
});

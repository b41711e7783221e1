// The verdict on compared measurements, one implementation for tests, totals, phases and
// benchmarks. An item is judged by four things together:
//   size: the change is at least the relative threshold and the absolute floor;
//   spread: it is at least `minEffect` times the item's own spread (1.4826 × MAD of the noisier side);
//   significance: the rank test (or, without samples, the weaker summary test) gives p < alpha after
//     Holm's correction over the family of items that could have counted;
//   enough data: an item whose change has the size that counts but fails the other two is
//     `inconclusive`, with the runs per side that would detect a change of that size.
// The family counts only items whose pooled measurements could show a change of the size that
// counts whatever the split between the sides: that depends on the pooled values alone, which are
// independent of the rank statistic when nothing changed, so leaving the others out keeps the
// correction valid while a suite of hundreds of steady tests does not drown a real change.
import { mad, median } from '../../lib/stats.ts';
import { mannWhitney, smallestPValue } from './mann-whitney.ts';
import { type Summary, holm, runsToDetect, summaryTest } from './statistics.ts';

export interface Thresholds {
  /** Relative change needed (0.1 = 10%). */
  relative: number;
  /** Absolute change of a test's median needed, in ms. */
  absoluteMs: number;
  /** The total's absolute floor, as a share of the baseline total. */
  totalRelative: number;
  /** Significance level, for the family as a whole. */
  alpha: number;
  /** The change must be at least this many times the item's own spread. */
  minEffect?: number;
}

/** One side of one item: the figure compared, and what a test can be run on. */
export interface Measured {
  /** The figure compared (a median, or a rolling statistic of a history). */
  ms: number;
  /** Runs or samples, for the rank test; null when the side kept none. */
  values: number[] | null;
  /** Summary statistics, for the weaker test when there are no values. */
  summary?: Summary | null;
}

export interface Item {
  base: Measured;
  current: Measured;
  /** The absolute floor of this item (ms). */
  floorMs: number;
}

export type Status = 'regressed' | 'improved' | 'unchanged' | 'inconclusive';
export type Basis = 'mann-whitney' | 'summary' | 'threshold-only';

export interface Judgement {
  baselineMs: number;
  currentMs: number;
  ratio: number | null;
  deltaMs: number;
  /** The test's own p-value (null without a test). */
  pValue: number | null;
  /** After Holm's correction over the family (null outside it). */
  pAdjusted: number | null;
  /** 1.4826 × MAD of the noisier side (the standard deviation of normal samples), in ms. */
  spreadMs: number | null;
  basis: Basis;
  status: Status;
  /** For an inconclusive item: runs per side that would detect a change of this size. */
  runsNeeded?: number;
}

/** Spread multiple by default: a change within one standard deviation of the item's own runs is noise. */
export const DEFAULT_MIN_EFFECT = 1;

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const scaledMad = (values: readonly number[]) => 1.4826 * mad(values);

/** Single runs have no spread and no test: only then does a verdict rest on the thresholds alone. */
function basisOf(item: Item): Basis {
  const { base, current } = item;
  if (base.values && current.values) return base.values.length < 2 || current.values.length < 2 ? 'threshold-only' : 'mann-whitney';
  return base.summary && current.summary && base.summary.n > 1 && current.summary.n > 1 ? 'summary' : 'threshold-only';
}

function spreadOf(item: Item, basis: Basis): number | null {
  const { base, current } = item;
  if (basis === 'mann-whitney') return Math.max(scaledMad(base.values!), scaledMad(current.values!));
  if (basis === 'summary') return Math.max(base.summary!.sigma, current.summary!.sigma);
  return null;
}

/** Whether the change has the size that counts, upwards (1), downwards (-1) or neither (0). */
function sizeOf(baseMs: number, currentMs: number, floorMs: number, relative: number): 1 | -1 | 0 {
  const delta = currentMs - baseMs;
  const change = baseMs > 0 ? delta / baseMs : delta > 0 ? Infinity : delta < 0 ? -Infinity : 0;
  if (delta >= floorMs && change >= relative && delta > 0) return 1;
  if (-delta >= floorMs && -change >= relative && delta < 0) return -1;
  return 0;
}

/** Whether some split of the pooled values between the sides would show a change of the size that counts. */
function couldCount(item: Item, relative: number): boolean {
  const n1 = item.base.values!.length;
  const pooled = [...item.base.values!, ...item.current.values!].sort((a, b) => a - b);
  const up = sizeOf(median(pooled.slice(0, n1)), median(pooled.slice(n1)), item.floorMs, relative) === 1;
  const n2 = pooled.length - n1;
  const down = sizeOf(median(pooled.slice(n2)), median(pooled.slice(0, n2)), item.floorMs, relative) === -1;
  return up || down;
}

/** Judges every item of one comparison together (they are one family for the correction). */
export function judgeAll(items: readonly Item[], thresholds: Thresholds): Judgement[] {
  const minEffect = thresholds.minEffect ?? DEFAULT_MIN_EFFECT;
  const prepared = items.map((item) => {
    const basis = basisOf(item);
    let pValue: number | null = null;
    if (basis === 'mann-whitney') pValue = mannWhitney(item.current.values!, item.base.values!).pValue;
    else if (basis === 'summary') pValue = summaryTest(item.base.summary!, item.current.summary!);
    const size = sizeOf(item.base.ms, item.current.ms, item.floorMs, thresholds.relative);
    // Items whose runs are too few to ever reach alpha stay out of the family: they cannot count anyway.
    const reachable = basis !== 'mann-whitney' || smallestPValue(item.base.values!.length, item.current.values!.length) < thresholds.alpha;
    const inFamily = pValue !== null && reachable && (size !== 0 || basis === 'summary' || couldCount(item, thresholds.relative));
    return { item, basis, pValue, size, inFamily, spread: spreadOf(item, basis) };
  });
  const family = prepared.filter((p) => p.inFamily);
  const adjusted = holm(family.map((p) => p.pValue!));
  const adjustedOf = new Map(family.map((p, i) => [p, adjusted[i]!]));

  return prepared.map((p) => {
    const { item, basis, pValue, size, spread } = p;
    const deltaMs = item.current.ms - item.base.ms;
    const pAdjusted = adjustedOf.get(p) ?? null;
    let status: Status = 'unchanged';
    let runsNeeded: number | undefined;
    if (size !== 0) {
      const direction = size > 0 ? 'regressed' : 'improved';
      if (basis === 'threshold-only') status = direction;
      else {
        const significant = pAdjusted !== null && pAdjusted < thresholds.alpha;
        const beyondSpread = Math.abs(deltaMs) >= minEffect * (spread ?? 0);
        if (significant && beyondSpread) status = direction;
        else {
          status = 'inconclusive';
          // These runs did not tell: at least one more than now, whatever the power calculation says.
          const now = Math.max(item.base.values?.length ?? item.base.summary?.n ?? 1, item.current.values?.length ?? item.current.summary?.n ?? 1);
          runsNeeded = Math.max(now + 1, runsToDetect(deltaMs, spread ?? 0, thresholds.alpha / Math.max(1, family.length)));
        }
      }
    }
    return {
      baselineMs: round(item.base.ms, 6),
      currentMs: round(item.current.ms, 6),
      ratio: item.base.ms > 0 ? round(item.current.ms / item.base.ms, 4) : null,
      deltaMs: round(deltaMs, 6),
      pValue: pValue === null ? null : round(pValue, 6),
      pAdjusted: pAdjusted === null ? null : round(pAdjusted, 6),
      spreadMs: spread === null ? null : round(spread, 6),
      basis,
      status,
      ...(runsNeeded !== undefined ? { runsNeeded } : {}),
    };
  });
}

/** The spread of summary statistics: from the MAD, the quartiles, the upper quartile or the standard deviation, the first known. */
export function summarySigma(stats: { median: number; mad?: number | null; q1?: number | null; q3?: number | null; stddev?: number | null }): number | null {
  if (stats.mad !== undefined && stats.mad !== null) return 1.4826 * stats.mad;
  if (stats.q1 !== undefined && stats.q1 !== null && stats.q3 !== undefined && stats.q3 !== null) return (stats.q3 - stats.q1) / 1.349;
  if (stats.q3 !== undefined && stats.q3 !== null && stats.q3 > stats.median) return (stats.q3 - stats.median) / 0.6745;
  return stats.stddev ?? null;
}

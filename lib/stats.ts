// Robust statistics for repeated measurements: median and MAD rather than mean and deviation,
// because test timings have long tails.

/** Timing statistics as stored in documents (schemas/common: timingStats). */
import type { TimingStats } from './generated/documents.ts';

export type { TimingStats };

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median absolute deviation from the median (unscaled). */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/** The q-quantile (0..1) by linear interpolation between closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** Summarises measured values; keeps the values themselves when `keepValues` (for significance tests). */
export function summarize(values: readonly number[], keepValues = true): TimingStats {
  if (values.length === 0) throw new RangeError('statistics of no values');
  const stats: TimingStats = {
    runs: values.length,
    min: round3(Math.min(...values)),
    median: round3(median(values)),
    max: round3(Math.max(...values)),
    mad: round3(mad(values)),
    mean: round3(values.reduce((sum, v) => sum + v, 0) / values.length),
  };
  if (keepValues) stats.values = values.map(round3);
  return stats;
}

/**
 * Runs needed before a run is called an outlier. With few runs the MAD is itself too noisy: at 3
 * scaled MADs, 20-33% of normal samples of 3 to 10 values have an "outlier" (a third of a suite's
 * tests flagged at 3 runs). From 10 runs at 5 scaled MADs, about 4% of normal samples do (1% from
 * 20 runs); of long-tailed ones (log-normal, 30% spread) about 7%, the tail's real slow runs.
 */
export const OUTLIER_MIN_RUNS = 10;

/**
 * Indices of outliers: values more than `k` scaled MADs from the median (1.4826 × MAD estimates
 * the standard deviation of normal data), among at least OUTLIER_MIN_RUNS values. With a zero MAD
 * nothing is an outlier.
 */
export function outliers(values: readonly number[], k = 5): number[] {
  if (values.length < OUTLIER_MIN_RUNS) return [];
  const m = median(values);
  const spread = 1.4826 * mad(values);
  if (spread === 0) return [];
  return values.flatMap((v, i) => (Math.abs(v - m) > k * spread ? [i] : []));
}

// Bounding the timeline of long runs: every sample near the peaks is kept; elsewhere each bucket keeps
// its lowest and highest sample, so the shape (and every extreme) survives at a fraction of the size.

/**
 * Indices of `values` to keep: all of them when there are at most `maxPoints`; else the first and last,
 * `window` samples either side of each index in `around`, and the min and max of equal buckets.
 */
export function downsampleIndices(values: readonly number[], maxPoints: number, around: readonly number[], window: number): number[] {
  const n = values.length;
  if (n <= maxPoints) return values.map((_, i) => i);
  const keep = new Set<number>([0, n - 1]);
  for (const centre of around) {
    for (let i = Math.max(0, centre - window); i <= Math.min(n - 1, centre + window); i++) keep.add(i);
  }
  const buckets = Math.max(1, Math.floor((maxPoints - keep.size) / 2));
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let low = from;
    let high = from;
    for (let i = from; i < to; i++) {
      if (values[i]! < values[low]!) low = i;
      if (values[i]! > values[high]!) high = i;
    }
    if (to > from) keep.add(low).add(high);
  }
  return [...keep].sort((a, b) => a - b);
}

/** Index of the largest value (the first, on ties); -1 for none. */
export function argMax(values: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (best === -1 || values[i]! > values[best]!) best = i;
  return best;
}

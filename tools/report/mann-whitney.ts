// The Mann-Whitney U test (Wilcoxon rank-sum): is one sample of timings shifted against another?
// Rank-based, so it does not assume normal timings and one slow outlier run cannot carry it.
//
// Small samples (the usual 3-10 runs per side) get the exact permutation distribution of the rank
// sum, computed over the actual mid-ranks, so ties are handled exactly rather than approximated.
// Large samples use the normal approximation with tie and continuity corrections.

export interface MannWhitneyResult {
  /** U statistic of the first sample. */
  u: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Whether the p-value comes from the exact permutation distribution. */
  exact: boolean;
}

/** Combined sizes up to which the exact distribution is computed (cost ~ N * n1 * N²). */
const EXACT_LIMIT = 60;

/** Mid-ranks (1-based; tied values share the mean of their ranks) of `values`, and the tie groups' sizes. */
export function midRanks(values: readonly number[]): { ranks: number[]; ties: number[] } {
  const order = values.map((value, index) => ({ value, index })).sort((x, y) => x.value - y.value);
  const ranks = new Array<number>(values.length);
  const ties: number[] = [];
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    const rank = (start + end + 2) / 2;
    for (let k = start; k <= end; k++) ranks[order[k]!.index] = rank;
    if (end > start) ties.push(end - start + 1);
    start = end + 1;
  }
  return { ranks, ties };
}

/** The smallest two-sided p-value an exact test on samples of these sizes can reach (no ties). */
export function smallestPValue(n1: number, n2: number): number {
  // Only the two most extreme arrangements out of C(n1+n2, n1) are as extreme as the observed one.
  let combinations = 1;
  for (let k = 1; k <= n1; k++) combinations = (combinations * (n2 + k)) / k;
  return Math.min(1, 2 / combinations);
}

/** The test; `exactLimit` (combined size up to which the exact distribution is used) is for tests. */
export function mannWhitney(first: readonly number[], second: readonly number[], exactLimit = EXACT_LIMIT): MannWhitneyResult {
  const n1 = first.length;
  const n2 = second.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('Mann-Whitney U needs two non-empty samples');
  const { ranks, ties } = midRanks([...first, ...second]);
  const rankSum = ranks.slice(0, n1).reduce((sum, r) => sum + r, 0);
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const total = n1 + n2;
  if (ties.length === 1 && ties[0] === total) return { u, pValue: 1, exact: true };
  if (total <= exactLimit) return { u, pValue: exactPValue(ranks, n1, rankSum), exact: true };
  return { u, pValue: normalPValue(u, n1, n2, ties), exact: false };
}

// Counts, for every possible rank sum, the ways of choosing n1 of the N (mid-)ranks: the null
// distribution of the first sample's rank sum. Ranks are doubled so that mid-ranks are integers.
// The null distribution depends only on the multiset of ranks and n1, so suites of many tests
// with the same run counts share a handful of them (one, without ties).
const distributions = new Map<string, Float64Array>();

function exactPValue(ranks: readonly number[], n1: number, rankSum: number): number {
  const doubled = ranks.map((r) => Math.round(r * 2));
  const key = `${n1}:${[...doubled].sort((a, b) => a - b).join(',')}`;
  let counts = distributions.get(key);
  if (!counts) {
    counts = nullDistribution(doubled, n1);
    if (distributions.size > 1000) distributions.clear();
    distributions.set(key, counts);
  }
  const mean = (n1 * (ranks.length + 1)) / 2;
  const observed = Math.abs(rankSum - mean);
  let extreme = 0;
  let all = 0;
  for (let s = 0; s < counts.length; s++) {
    const count = counts[s]!;
    if (!count) continue;
    all += count;
    // A small tolerance: sums that are equally far from the mean count as equally extreme.
    if (Math.abs(s / 2 - mean) >= observed - 1e-9) extreme += count;
  }
  return Math.min(1, extreme / all);
}

/** counts[s]: the ways of choosing n1 of the doubled ranks with sum s. */
function nullDistribution(doubled: readonly number[], n1: number): Float64Array {
  const maxSum = doubled.reduce((sum, r) => sum + r, 0);
  // ways[k][s]: subsets of size k among the ranks seen so far with doubled sum s.
  const ways = Array.from({ length: n1 + 1 }, () => new Float64Array(maxSum + 1));
  ways[0]![0] = 1;
  for (const r of doubled) {
    for (let k = Math.min(n1, doubled.length) - 1; k >= 0; k--) {
      const from = ways[k]!;
      const to = ways[k + 1]!;
      for (let s = maxSum - r; s >= 0; s--) if (from[s]) to[s + r]! += from[s]!;
    }
  }
  return ways[n1]!;
}

function normalPValue(u: number, n1: number, n2: number, ties: readonly number[]): number {
  const total = n1 + n2;
  const tieTerm = ties.reduce((sum, t) => sum + (t ** 3 - t), 0) / (total * (total - 1));
  const variance = ((n1 * n2) / 12) * (total + 1 - tieTerm);
  if (variance <= 0) return 1;
  const z = Math.max(0, Math.abs(u - (n1 * n2) / 2) - 0.5) / Math.sqrt(variance);
  return Math.min(1, 2 * (1 - normalCdf(z)));
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

// The statistics behind a verdict, besides the rank test itself (mann-whitney.ts): Holm's
// correction for many comparisons, the weaker test on summary statistics when a side kept no
// samples, and how many runs would detect a change of a given size.
import { normalCdf, smallestPValue } from './mann-whitney.ts';

/**
 * Holm's step-down adjustment: adjusted p-values that keep the chance of any false alarm among
 * the whole family at alpha, whatever the dependence between the tests.
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/** The z with normalCdf(z) = q, by bisection (|error| below 1e-9). */
export function normalQuantile(q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`normal quantile of ${q}`);
  let low = -40;
  let high = 40;
  for (let i = 0; i < 100 && high - low > 1e-10; i++) {
    const mid = (low + high) / 2;
    if (normalCdf(mid) < q) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

// log Γ(x) for x > 0 (Lanczos, g = 7, nine coefficients): enough for the t distribution's tails.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let k = 1; k < LANCZOS.length; k++) sum += LANCZOS[k]! / (z + k);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

// The continued fraction of the regularised incomplete beta function, evaluated by the modified
// Lentz method; converges quickly for x < (a + 1) / (a + b + 2).
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= 300; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + even * d;
    c = 1 + even / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    result *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + odd * d;
    c = 1 + odd / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    const step = d * c;
    result *= step;
    if (Math.abs(step - 1) < 1e-14) break;
  }
  return result;
}

/** The regularised incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom. */
export function studentTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, incompleteBeta(df / (df + t * t), df / 2, 0.5));
}

/** A side known only by its summary: n samples, their median and a robust estimate of their spread. */
export interface Summary {
  n: number;
  median: number;
  sigma: number;
}

/**
 * The fallback when a side kept no samples: Welch's t on the difference of the medians, each
 * median's standard error taken as 1.2533 σ/√n (its large-sample value for near-normal samples).
 * Weaker than the rank test: it leans on that normality and on a spread estimated from quartiles.
 */
export function summaryTest(base: Summary, current: Summary): number {
  const se = (s: Summary) => (1.2533 * s.sigma) / Math.sqrt(s.n);
  const b = se(base) ** 2;
  const c = se(current) ** 2;
  const delta = current.median - base.median;
  if (b + c === 0) return delta === 0 ? 1 : 0;
  const t = delta / Math.sqrt(b + c);
  const df = (b + c) ** 2 / (b ** 2 / Math.max(1, base.n - 1) + c ** 2 / Math.max(1, current.n - 1));
  return studentTwoSidedP(t, df);
}

/** The most runs `runsToDetect` reports; beyond it the answer is "more than this". */
export const MAX_RUNS = 1000;

/**
 * Runs per side at which the rank test would detect a shift of `deltaMs` with 80% power at level
 * `alpha` (two-sided), for samples of spread `sigmaMs`: the t-test's sample size divided by the rank
 * test's efficiency against it (3/π for normal samples), and never fewer than the exact test needs
 * to reach alpha at all.
 */
export function runsToDetect(deltaMs: number, sigmaMs: number, alpha: number): number {
  let floor = 2;
  while (floor < MAX_RUNS && smallestPValue(floor, floor) >= alpha) floor++;
  if (!(Math.abs(deltaMs) > 0)) return MAX_RUNS;
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(0.8);
  const needed = Math.ceil((2 * (z * sigmaMs) ** 2) / deltaMs ** 2 / (3 / Math.PI));
  return Math.min(MAX_RUNS, Math.max(floor, needed));
}

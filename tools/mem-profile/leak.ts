// The leak check: a least-squares line through RSS against time after the warm-up. A leak is suspected
// only when memory both grew a lot (first tenth → last tenth) and grew steadily (R² of the line), so a
// one-off jump (a cache filled once) or a sawtooth (garbage collection) is not called a leak.

export interface LeakThresholds {
  /** Minimum growth from the first to the last tenth, in percent. */
  growthPct: number;
  /** Minimum R² of the fitted line. */
  r2: number;
}

export interface LeakVerdict {
  verdict: 'suspected-leak' | 'no-leak' | 'insufficient-data';
  slopeMbPerMin?: number;
  r2?: number;
  growthPct?: number;
  samples: number;
  warmupMs: number;
  thresholds: LeakThresholds;
  basis: string;
}

/** Fewer samples than this after the warm-up give no verdict: a tenth would be a single point. */
export const MIN_LEAK_SAMPLES = 10;

/**
 * Less time than this after the warm-up gives no verdict: over a few seconds a heap's ordinary
 * growth (jest's and mocha's runs of 3 to 9 s in issue 19) looks like a line.
 */
export const MIN_LEAK_SPAN_MS = 20_000;

/** A rise within a tenth of the span holding at least this share of the whole growth is a step, not a slope. */
const STEP_SHARE = 0.6;

/** The largest rise within `windowMs` (a sample minus the lowest one at most `windowMs` before it), and where it ends. */
export function largestRise(tMs: readonly number[], y: readonly number[], windowMs: number): { rise: number; atMs: number } {
  let best = { rise: 0, atMs: tMs[0] ?? 0 };
  const lows: number[] = []; // indices, their values increasing: the window's minimum first
  for (let j = 0; j < y.length; j++) {
    while (lows.length && tMs[j]! - tMs[lows[0]!]! > windowMs) lows.shift();
    while (lows.length && y[lows.at(-1)!]! >= y[j]!) lows.pop();
    lows.push(j);
    const rise = y[j]! - y[lows[0]!]!;
    if (rise > best.rise) best = { rise, atMs: tMs[j]! };
  }
  return best;
}

const MB = 1024 * 1024;
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
const seconds = (ms: number) => `${round(ms / 1000, 1)} s`;

export interface Fit {
  slope: number;
  intercept: number;
  r2: number;
}

/** Ordinary least squares of y on x. R² is 1 for a perfect line; a flat constant series has R² 0. */
export function leastSquares(x: readonly number[], y: readonly number[]): Fit {
  const n = x.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i]!;
    sy += y[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const r2 = sxx === 0 || syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2 };
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * Judges one RSS series (`tMs` from the start of the run). `what` names it in the basis sentence
 * ("total RSS", "pid 1234 (node)").
 */
export function checkLeak(what: string, tMs: readonly number[], rssBytes: readonly number[], warmupMs: number, thresholds: LeakThresholds, minSpanMs = MIN_LEAK_SPAN_MS): LeakVerdict {
  const start = tMs.findIndex((t) => t >= warmupMs);
  const t = start === -1 ? [] : tMs.slice(start);
  const y = start === -1 ? [] : rssBytes.slice(start);
  const base = { samples: t.length, warmupMs: round(warmupMs, 1), thresholds };
  if (t.length < MIN_LEAK_SAMPLES) {
    return {
      verdict: 'insufficient-data',
      ...base,
      basis: `${what}: ${t.length} samples after the ${seconds(warmupMs)} warm-up; at least ${MIN_LEAK_SAMPLES} are needed`,
    };
  }
  const spanMs = t.at(-1)! - t[0]!;
  if (spanMs < minSpanMs) {
    return {
      verdict: 'insufficient-data',
      ...base,
      basis: `${what}: ${t.length} samples over ${seconds(spanMs)} after the ${seconds(warmupMs)} warm-up; a trend needs at least ${seconds(minSpanMs)} (--leak-min-duration)`,
    };
  }
  const fit = leastSquares(
    t.map((ms) => ms / 60_000),
    y.map((bytes) => bytes / MB),
  );
  const tenth = Math.max(1, Math.floor(t.length / 10));
  const first = mean(y.slice(0, tenth));
  const last = mean(y.slice(-tenth));
  const growthPct = first === 0 ? (last === 0 ? 0 : 100) : ((last - first) / first) * 100;
  const grew = growthPct >= thresholds.growthPct;
  const steady = fit.r2 >= thresholds.r2;
  // One allocation held to the end (a cache filled once) is a step: most of the growth within a tenth of the span.
  const step = largestRise(t, y, spanMs / 10);
  const isStep = grew && last > first && step.rise >= STEP_SHARE * (last - first);
  const verdict = grew && steady && !isStep ? 'suspected-leak' : 'no-leak';
  const because =
    verdict === 'suspected-leak'
      ? 'both thresholds met'
      : isStep
        ? `a step, not a slope: +${round(step.rise / MB, 1)} MB within a tenth of the span, ending at ${seconds(step.atMs)}, is ${Math.round((step.rise / (last - first)) * 100)}% of the growth`
        : !grew && !steady
          ? 'neither threshold met'
          : grew
            ? `grew, but not steadily (R² < ${thresholds.r2})`
            : `steady, but grew less than ${thresholds.growthPct}%`;
  return {
    verdict,
    slopeMbPerMin: round(fit.slope, 3),
    r2: round(fit.r2, 3),
    growthPct: round(growthPct, 1),
    ...base,
    basis:
      `${what}: least-squares fit over ${t.length} samples from ${seconds(t[0]!)} to ${seconds(t.at(-1)!)} (after a ${seconds(warmupMs)} warm-up): ` +
      `slope ${round(fit.slope, 2)} MB/min, R² ${round(fit.r2, 2)}, growth ${growthPct >= 0 ? '+' : ''}${round(growthPct, 1)}% from the first to the last tenth ` +
      `(${round(first / MB, 1)} → ${round(last / MB, 1)} MB); a leak is suspected when growth >= ${thresholds.growthPct}% and R² >= ${thresholds.r2}: ${because}`,
  };
}

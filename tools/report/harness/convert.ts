// What every harness reader returns, and the conversions they share.
import type { Environment } from '../../../lib/environment.ts';
import { mad, median } from '../../../lib/stats.ts';
import type { Benchmark, BenchmarkSource, BenchmarkStats } from '../benchmark-document.ts';

export interface HarnessResult {
  source: BenchmarkSource;
  benchmarks: Benchmark[];
  /** What the harness's JSON says of the machine it ran on (pytest-benchmark's machine_info). */
  environment?: Partial<Pick<Environment, 'os' | 'cpus' | 'git'>> & { runtimes?: Record<string, string> };
  warnings: string[];
}

/** Milliseconds from seconds, to 9 significant digits (nanoseconds of a microsecond benchmark survive). */
export const secondsToMs = (seconds: number): number => Number((seconds * 1000).toPrecision(9));
export const tidyMs = (ms: number): number => Number(ms.toPrecision(9));

/** The MAD of the samples, when there are any. */
export function samplesMad(samples: readonly number[] | undefined): number | null {
  return samples && samples.length ? tidyMs(mad(samples)) : null;
}

/** Statistics from the samples alone (for harnesses that give samples but not all of the figures). */
export function statsOfSamples(samples: readonly number[]): BenchmarkStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => {
    const position = (sorted.length - 1) * q;
    const low = Math.floor(position);
    return sorted[low]! + (sorted[Math.ceil(position)]! - sorted[low]!) * (position - low);
  };
  const mean = samples.reduce((sum, v) => sum + v, 0) / samples.length;
  const variance = samples.length > 1 ? samples.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (samples.length - 1) : 0;
  return {
    rounds: samples.length,
    min: tidyMs(sorted[0]!),
    median: tidyMs(median(samples)),
    max: tidyMs(sorted.at(-1)!),
    mean: tidyMs(mean),
    stddev: tidyMs(Math.sqrt(variance)),
    q1: tidyMs(at(0.25)),
    q3: tidyMs(at(0.75)),
    mad: samplesMad(samples),
  };
}

/**
 * Names made unique: a harness may give two results the same name (hyperfine's --command-name with
 * a parameter list). The parameters are added to the name, then a counter.
 */
export function uniqueNames(benchmarks: Benchmark[], warnings: string[]): void {
  const seen = new Map<string, number>();
  const key = (b: Benchmark) => `${b.file ?? ''}\u0000${b.name}`;
  const counts = new Map<string, number>();
  for (const b of benchmarks) counts.set(key(b), (counts.get(key(b)) ?? 0) + 1);
  let renamed = 0;
  for (const b of benchmarks) {
    if ((counts.get(key(b)) ?? 0) < 2) continue;
    if (b.params && Object.keys(b.params).length) b.name = `${b.name} [${Object.entries(b.params).map(([k, v]) => `${k}=${String(v)}`).join(', ')}]`;
    const n = (seen.get(key(b)) ?? 0) + 1;
    seen.set(key(b), n);
    if (n > 1) b.name = `${b.name} #${n}`;
    renamed++;
  }
  if (renamed) warnings.push(`${renamed} benchmarks shared a name; parameters or a number were added to tell them apart`);
}

// hyperfine's --export-json: one result per command, in seconds, with every run's time in `times`.
// It records nothing of the machine, so the environment is that of the machine that reads it.
import type { Benchmark } from '../benchmark-document.ts';
import { type HarnessResult, samplesMad, secondsToMs, uniqueNames } from './convert.ts';
import { type Json, reader } from './read-json.ts';

export const isHyperfine = (value: Json): boolean =>
  Array.isArray(value.results) && value.results.every((r) => typeof r === 'object' && r !== null && 'command' in r && 'times' in r);

export function readHyperfine(value: Json, file: string): HarnessResult {
  const read = reader(file, 'hyperfine JSON');
  const warnings: string[] = [];
  let failedRuns = 0;
  const benchmarks: Benchmark[] = read.array(value.results, '$.results').map((item, i) => {
    const at = `$.results[${i}]`;
    const result = read.object(item, at);
    const samplesMs = read.numbers(result.times, `${at}.times`).map(secondsToMs);
    const seconds = (key: string) => secondsToMs(read.number(result[key], `${at}.${key}`));
    const stddev = read.optionalNumber(result.stddev, `${at}.stddev`);
    if (Array.isArray(result.exit_codes)) failedRuns += result.exit_codes.filter((code) => code !== 0).length;
    const sorted = [...samplesMs].sort((a, b) => a - b);
    const quartile = (q: number) => {
      if (!sorted.length) return null;
      const position = (sorted.length - 1) * q;
      const low = Math.floor(position);
      return Number((sorted[low]! + (sorted[Math.ceil(position)]! - sorted[low]!) * (position - low)).toPrecision(9));
    };
    const params = result.parameters && typeof result.parameters === 'object' ? (result.parameters as Record<string, unknown>) : undefined;
    return {
      name: read.string(result.command, `${at}.command`),
      ...(params && Object.keys(params).length ? { params } : {}),
      harness: 'hyperfine',
      stats: {
        rounds: Math.max(1, samplesMs.length),
        min: seconds('min'),
        median: seconds('median'),
        max: seconds('max'),
        mean: seconds('mean'),
        stddev: stddev === null ? null : secondsToMs(stddev),
        q1: quartile(0.25),
        q3: quartile(0.75),
        mad: samplesMad(samplesMs),
      },
      ...(samplesMs.length ? { samplesMs } : {}),
    } satisfies Benchmark;
  });
  uniqueNames(benchmarks, warnings);
  if (failedRuns) warnings.push(`${file}: ${failedRuns} runs exited non-zero (hyperfine's -i let them through): their times are compared like the others`);
  return { source: { harness: 'hyperfine', file, benchmarks: benchmarks.length }, benchmarks, warnings };
}

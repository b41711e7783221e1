// pytest-benchmark's JSON (--benchmark-json, or a file it saved under .benchmarks/): seconds per
// iteration; `stats.data` holds the raw samples (always with --benchmark-json, and in saved files
// only with --benchmark-save-data).
import type { Benchmark } from '../benchmark-document.ts';
import { type HarnessResult, samplesMad, secondsToMs } from './convert.ts';
import { type Json, reader } from './read-json.ts';

export const isPytestBenchmark = (value: Json): boolean =>
  Array.isArray(value.benchmarks) && typeof value.machine_info === 'object' && value.machine_info !== null;

const ARCH: Record<string, string> = { x86_64: 'x64', amd64: 'x64', aarch64: 'arm64', arm64: 'arm64', i686: 'ia32', i386: 'ia32' };

export function readPytestBenchmark(value: Json, file: string): HarnessResult {
  const read = reader(file, 'pytest-benchmark JSON');
  const warnings: string[] = [];
  const benchmarks: Benchmark[] = read.array(value.benchmarks, '$.benchmarks').map((item, i) => {
    const at = `$.benchmarks[${i}]`;
    const bench = read.object(item, at);
    const stats = read.object(bench.stats, `${at}.stats`);
    const fullname = read.string(bench.fullname ?? bench.name, `${at}.fullname`);
    const split = fullname.indexOf('::');
    const seconds = (key: string) => secondsToMs(read.number(stats[key], `${at}.stats.${key}`));
    const optional = (key: string) => {
      const v = read.optionalNumber(stats[key], `${at}.stats.${key}`);
      return v === null ? null : secondsToMs(v);
    };
    const data = stats.data === undefined || stats.data === null ? [] : read.numbers(stats.data, `${at}.stats.data`);
    const samplesMs = data.length ? data.map(secondsToMs) : undefined;
    const iterations = read.optionalNumber(stats.iterations, `${at}.stats.iterations`);
    return {
      ...(split > 0 ? { file: fullname.slice(0, split), name: fullname.slice(split + 2) } : { name: fullname }),
      id: fullname,
      ...(typeof bench.group === 'string' ? { group: bench.group } : {}),
      ...(bench.params && typeof bench.params === 'object' ? { params: bench.params as Record<string, unknown> } : {}),
      harness: 'pytest-benchmark',
      stats: {
        rounds: Math.max(1, Math.round(read.number(stats.rounds, `${at}.stats.rounds`))),
        min: seconds('min'),
        median: seconds('median'),
        max: seconds('max'),
        mean: seconds('mean'),
        stddev: optional('stddev'),
        q1: optional('q1'),
        q3: optional('q3'),
        mad: samplesMad(samplesMs),
      },
      ...(samplesMs ? { samplesMs } : {}),
      ...(iterations ? { iterations: Math.max(1, Math.round(iterations)) } : {}),
    } satisfies Benchmark;
  });
  const withoutSamples = benchmarks.filter((b) => !b.samplesMs).length;
  if (withoutSamples) warnings.push(`${file}: ${withoutSamples} of ${benchmarks.length} benchmarks kept no samples (save them with --benchmark-save-data): they are compared on their summary statistics, a weaker test`);

  const machine = read.object(value.machine_info, '$.machine_info');
  const cpu = typeof machine.cpu === 'object' && machine.cpu !== null ? (machine.cpu as Json) : {};
  const commit = typeof value.commit_info === 'object' && value.commit_info !== null ? (value.commit_info as Json) : undefined;
  // The CPU flags run to hundreds of entries and say nothing a comparison uses.
  const { flags: _flags, ...cpuInfo } = cpu;
  const machineInfo = { ...machine, cpu: cpuInfo };
  const environment: HarnessResult['environment'] = {};
  if (typeof machine.system === 'string' && typeof machine.release === 'string' && typeof machine.machine === 'string') {
    environment.os = { platform: machine.system.toLowerCase(), release: machine.release, arch: ARCH[machine.machine.toLowerCase()] ?? machine.machine };
  }
  if (typeof cpu.count === 'number' && cpu.count >= 1) environment.cpus = { count: cpu.count, model: typeof cpu.brand_raw === 'string' ? cpu.brand_raw.trim() : 'unknown' };
  if (typeof machine.python_version === 'string') environment.runtimes = { python: machine.python_version };
  if (commit && typeof commit.id === 'string' && /^[0-9a-f]{40,64}$/.test(commit.id)) {
    environment.git = { commit: commit.id, branch: typeof commit.branch === 'string' && commit.branch !== '(unknown)' ? commit.branch : null, dirty: commit.dirty === true };
  }
  return {
    source: {
      harness: 'pytest-benchmark',
      file,
      ...(typeof value.version === 'string' ? { version: value.version } : {}),
      ...(typeof value.datetime === 'string' ? { createdAt: value.datetime } : {}),
      benchmarks: benchmarks.length,
      machineInfo,
      ...(commit ? { commitInfo: commit } : {}),
    },
    benchmarks,
    environment,
    warnings,
  };
}

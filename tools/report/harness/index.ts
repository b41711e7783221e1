// Benchmark results in a harness's own JSON, turned into a benchmark document. A file is told
// apart by its shape: pytest-benchmark has machine_info and benchmarks, hyperfine results with
// times, vitest bench files with groups.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { documentHeader } from '../../../lib/document-header.ts';
import { validateDocument } from '../../../lib/read-document.ts';
import { type Environment, collectEnvironment } from '../../../lib/environment.ts';
import { InputError } from '../../../lib/errors.ts';
import type { BenchmarkDocument } from '../benchmark-document.ts';
import type { HarnessResult } from './convert.ts';
import { isHyperfine, readHyperfine } from './hyperfine.ts';
import { isPytestBenchmark, readPytestBenchmark } from './pytest-benchmark.ts';
import type { Json } from './read-json.ts';
import { isVitestBench, readVitestBench } from './vitest-bench.ts';

export const harnessFormats = 'pytest-benchmark (--benchmark-json), hyperfine (--export-json) or vitest bench (--outputJson)';

/** The git root above `dir`, else `dir`: where repo-relative paths start. */
export function projectRoot(dir: string): string {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return path.resolve(dir);
  }
}

/** Whether a parsed JSON value is a harness's output, and which. */
export function harnessOf(value: unknown): 'pytest-benchmark' | 'hyperfine' | 'vitest-bench' | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'kind' in value) return undefined;
  const json = value as Json;
  if (isPytestBenchmark(json)) return 'pytest-benchmark';
  if (isHyperfine(json)) return 'hyperfine';
  if (isVitestBench(json)) return 'vitest-bench';
  return undefined;
}

/** Reads one harness file (already parsed); `file` names it in messages and in the document. */
export function readHarness(value: unknown, file: string, cwd: string): HarnessResult {
  const harness = harnessOf(value);
  const json = value as Json;
  switch (harness) {
    case 'pytest-benchmark':
      return readPytestBenchmark(json, file);
    case 'hyperfine':
      return readHyperfine(json, file);
    case 'vitest-bench':
      return readVitestBench(json, file, projectRoot(cwd));
    default: {
      const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value).slice(0, 6) : [];
      const received = keys.length ? `an object with ${keys.map((k) => JSON.stringify(k)).join(', ')}` : Array.isArray(value) ? 'an array' : typeof value;
      throw new InputError(file, `expected a testpace document (with "kind") or the JSON of ${harnessFormats}; received ${received}`);
    }
  }
}

/**
 * One benchmark document from the results of one or more harness files. The environment is the
 * reading machine's, with what a harness recorded of its own machine put over it; when the two
 * differ, the document says so.
 */
export async function benchmarkDocument(results: readonly HarnessResult[], cwd: string, env: NodeJS.ProcessEnv, now: Date): Promise<BenchmarkDocument> {
  const here = await collectEnvironment(cwd, env);
  const warnings = results.flatMap((r) => r.warnings);
  const environment: Environment = { ...here, runtimes: { ...here.runtimes } };
  for (const result of results) {
    const recorded = result.environment;
    if (!recorded) continue;
    if (recorded.cpus && (recorded.cpus.model !== here.cpus.model || recorded.cpus.count !== here.cpus.count)) {
      warnings.push(`${result.source.file} was measured on ${recorded.cpus.count} × ${recorded.cpus.model}, not on this machine (${here.cpus.count} × ${here.cpus.model}): its environment is kept`);
    }
    if (recorded.os) environment.os = recorded.os;
    if (recorded.cpus) environment.cpus = recorded.cpus;
    if (recorded.git) environment.git = recorded.git;
    Object.assign(environment.runtimes, recorded.runtimes ?? {});
  }
  const document = {
    ...documentHeader('benchmark', 'report', now),
    environment,
    sources: results.map((r) => r.source),
    benchmarks: results.flatMap((r) => r.benchmarks),
    ...(warnings.length ? { warnings } : {}),
  };
  return validateDocument<BenchmarkDocument>(document, 'the benchmark document', ['benchmark']);
}

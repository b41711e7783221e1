// The benchmark document (schemas/benchmark.schema.json): micro-benchmark results read from a
// harness's JSON, in milliseconds per iteration, with the raw samples where the harness kept them.
import type { DocumentHeader } from '../../lib/document-header.ts';
import type { Environment } from '../../lib/environment.ts';

export type Harness = 'pytest-benchmark' | 'hyperfine' | 'vitest-bench';

/** Summary statistics in ms per iteration; `rounds` is how many samples they rest on. */
export interface BenchmarkStats {
  rounds: number;
  min: number;
  median: number;
  max: number;
  mean: number;
  stddev?: number | null;
  q1?: number | null;
  q3?: number | null;
  mad?: number | null;
}

export interface Benchmark {
  file?: string;
  name: string;
  id?: string;
  group?: string;
  params?: Record<string, unknown>;
  harness: Harness;
  stats: BenchmarkStats;
  samplesMs?: number[];
  iterations?: number;
}

export interface BenchmarkSource {
  harness: Harness;
  file: string;
  version?: string;
  createdAt?: string;
  benchmarks: number;
  machineInfo?: Record<string, unknown>;
  commitInfo?: Record<string, unknown>;
}

export interface BenchmarkDocument extends DocumentHeader<'benchmark'> {
  environment: Environment;
  sources: BenchmarkSource[];
  benchmarks: Benchmark[];
  warnings?: string[];
}

/** The name a benchmark is known by: file::name (pytest-benchmark, vitest) or the command (hyperfine). */
export function benchmarkLabel(benchmark: Pick<Benchmark, 'file' | 'name'>): string {
  return benchmark.file ? `${benchmark.file}::${benchmark.name}` : benchmark.name;
}

/** The key that joins the same benchmark across documents. */
export function benchmarkKey(benchmark: Pick<Benchmark, 'file' | 'name' | 'params'>): string {
  return `${benchmark.file ?? ''}\u0000${benchmark.name}`;
}

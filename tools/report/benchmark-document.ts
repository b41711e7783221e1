// The benchmark document (schemas/benchmark.schema.json): micro-benchmark results read from a
// harness's JSON, in milliseconds per iteration, with the raw samples where the harness kept them.
import type { BenchmarkDocument, BenchmarkEntry } from '../../lib/generated/documents.ts';

export type { BenchmarkDocument, BenchmarkStats, Harness } from '../../lib/generated/documents.ts';
export type Benchmark = BenchmarkEntry;
export type BenchmarkSource = BenchmarkDocument['sources'][number];

/** The name a benchmark is known by: file::name (pytest-benchmark, vitest) or the command (hyperfine). */
export function benchmarkLabel(benchmark: Pick<Benchmark, 'file' | 'name'>): string {
  return benchmark.file ? `${benchmark.file}::${benchmark.name}` : benchmark.name;
}

/** The key that joins the same benchmark across documents. */
export function benchmarkKey(benchmark: Pick<Benchmark, 'file' | 'name' | 'params'>): string {
  return `${benchmark.file ?? ''}\u0000${benchmark.name}`;
}

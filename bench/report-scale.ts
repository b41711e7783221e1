// testpace-report on a large suite: 10,000 tests × 5 runs on 8 workers. Each output format and a
// comparison with a baseline, beside the floor of reading and validating the same documents
// (merge of one profile with itself does little more), median of interleaved runs. Also the cost
// of the exact Mann-Whitney distribution beside the normal approximation it replaces for small samples.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../lib/stats.ts';
import { mannWhitney } from '../tools/report/mann-whitney.ts';
import { around, buildProfile } from '../tests/report/builders.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'dist', 'testpace-report.cjs');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const testCount = Number(process.env.BENCH_TESTS ?? 10_000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'testpace-report-bench-'));

const suite = (shift: number) =>
  buildProfile(
    Array.from({ length: testCount }, (_, k) => ({
      file: `tests/test_module_${k % 200}.py`,
      name: `TestCase${k % 17}::test_case_${k}[param-${k % 7}]`,
      durations: around(5 + ((k * 37) % 101) + shift, 2, 5, k),
      worker: `gw${k % 8}`,
    })),
  );
writeFileSync(path.join(dir, 'base.json'), JSON.stringify(suite(0)));
writeFileSync(path.join(dir, 'new.json'), JSON.stringify(suite(1)));

const commands: Record<string, string[]> = {
  'read + validate (merge of 2)': ['merge', 'base.json', 'new.json', '--out', 'merged.json'],
  terminal: ['new.json', '--out', 'out.txt'],
  markdown: ['new.json', '--format', 'markdown', '--out', 'out.md'],
  html: ['new.json', '--format', 'html', '--out', 'out.html'],
  'compare (json)': ['new.json', '--baseline', 'base.json', '--format', 'json', '--out', 'comparison.json'],
};

function time(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0 && !(result.status === 1 && args.includes('--baseline'))) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const samples = new Map<string, number[]>();
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(commands)) samples.set(name, [...(samples.get(name) ?? []), time(args)]);
}
const floor = median(samples.get('read + validate (merge of 2)')!);
console.log(`testpace-report, ${testCount} tests × 5 runs, 8 workers; median of ${runs} interleaved runs`);
console.log(`  profile document ${(statSync(path.join(dir, 'new.json')).size / 1e6).toFixed(1)} MB`);
for (const [name] of Object.entries(commands)) {
  const m = median(samples.get(name)!);
  console.log(`  ${name.padEnd(30)} ${m.toFixed(0).padStart(6)} ms  (${(m / floor).toFixed(2)}x read + validate of two)`);
}
console.log(`  HTML report ${(statSync(path.join(dir, 'out.html')).size / 1e6).toFixed(2)} MB`);

// Exact vs approximate Mann-Whitney, 5 vs 5 runs with ties, per test.
const a = [100, 101, 101, 103, 99];
const b = [104, 101, 106, 105, 103];
const timeIt = (exactLimit: number) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < testCount; i++) mannWhitney(a, b, exactLimit);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const exact: number[] = [];
const normal: number[] = [];
for (let i = 0; i < runs; i++) {
  exact.push(timeIt(60));
  normal.push(timeIt(0));
}
const e = median(exact);
const n = median(normal);
console.log(`  Mann-Whitney for ${testCount} tests (5 vs 5): exact ${e.toFixed(1)} ms, normal approximation ${n.toFixed(1)} ms (${(e / n).toFixed(1)}x)`);

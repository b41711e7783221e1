// How often the benchmark gate errs on real pytest-benchmark runs: the same code measured twice
// (any regressed or improved benchmark is a false alarm) and one of three benchmarks planted 20%
// slower (caught or not), 5 rounds a side. Two kinds of benchmark: computing, whose time follows
// the machine's load (the three runs of a trial one after the other: at the same time they would
// compete for the 2 cores), and waiting, whose time does not (the three runs at the same time).
//   BENCH_TRIALS=10 node scripts/run-ts.mjs bench/report-gate.ts
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const report = path.join(root, 'dist', 'testpace-report.cjs');
const trials = Number(process.env.BENCH_TRIALS ?? 10);

const suites: Record<string, string> = {
  computing: [
    'import os',
    'PLANTED = float(os.environ.get("PLANTED", "1"))',
    'def work(n):',
    '    return sum(i * i for i in range(int(n)))',
    'def test_parse(benchmark):',
    '    benchmark(work, 200_000 * PLANTED)',
    'def test_render(benchmark):',
    '    benchmark(work, 100_000)',
    'def test_index(benchmark):',
    '    benchmark(work, 150_000)',
    '',
  ].join('\n'),
  waiting: [
    'import os, time',
    'PLANTED = float(os.environ.get("PLANTED", "1"))',
    'def test_parse(benchmark):',
    '    benchmark(time.sleep, 0.05 * PLANTED)',
    'def test_render(benchmark):',
    '    benchmark(time.sleep, 0.03)',
    'def test_index(benchmark):',
    '    benchmark(time.sleep, 0.04)',
    '',
  ].join('\n'),
};

const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout }));
  });

interface Comparison {
  tests: { name: string; status: string }[];
}

async function compare(dir: string, current: string, baseline: string): Promise<Comparison> {
  const { stdout } = await run(process.execPath, [report, current, '--baseline', baseline, '--format', 'json', '--no-config'], dir);
  return JSON.parse(stdout) as Comparison;
}

const moved = (c: Comparison) => c.tests.filter((t) => t.status === 'regressed' || t.status === 'improved');

console.log(`| benchmarks | trials | same code: false alarms | planted +20%: caught | inconclusive | other benchmarks flagged |`);
console.log(`|---|---:|---:|---:|---:|---:|`);
for (const [kind, source] of Object.entries(suites)) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `testpace-gate-${kind}-`));
  writeFileSync(path.join(dir, 'test_bench.py'), source);
  let alarms = 0;
  let caught = 0;
  let inconclusive = 0;
  let others = 0;
  for (let trial = 0; trial < trials; trial++) {
    const pytest = (name: string, planted: number) =>
      run('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'test_bench.py', `--benchmark-json=${name}.json`, '--benchmark-min-rounds=5', '--benchmark-max-time=0.000001', '--benchmark-min-time=0.000001', '--benchmark-warmup=off'], dir, { PLANTED: String(planted) });
    if (kind === 'waiting') await Promise.all([pytest('a', 1), pytest('b', 1), pytest('slow', 1.2)]);
    else for (const [name, planted] of [['a', 1], ['b', 1], ['slow', 1.2]] as const) await pytest(name, planted);
    if (moved(await compare(dir, 'b.json', 'a.json')).length) alarms++;
    const slow = await compare(dir, 'slow.json', 'a.json');
    const parse = slow.tests.find((t) => t.name === 'test_parse')!;
    if (parse.status === 'regressed') caught++;
    if (parse.status === 'inconclusive') inconclusive++;
    if (moved(slow).some((t) => t.name !== 'test_parse')) others++;
  }
  console.log(`| ${kind} | ${trials} | ${alarms} | ${caught} | ${inconclusive} | ${others} |`);
}
console.log(`\nload average ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} on ${os.cpus().length} CPUs`);

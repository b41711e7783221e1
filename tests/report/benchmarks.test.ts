// Micro-benchmarks under the gate (issue 21), on the real harnesses: pytest-benchmark, hyperfine
// and vitest bench write their own JSON, testpace-report reads it. Each harness measures the same
// code twice and once with one benchmark planted 20% slower, 5 rounds a side; the three runs go at
// the same time, so that a change of the shared machine's load cannot pass for a difference.
// The benchmarks wait (sleep) rather than compute, for 100-250 ms: on a loaded 2-core machine a
// computation's time follows the load, and a wake-up's lateness is a few milliseconds whatever
// the wait, so long waits keep the noise well under the 20% planted. bench/report-gate.ts measures
// the gate on computing benchmarks too, and how often it errs.
import { execFile } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import type { BenchmarkDocument } from '../../tools/report/benchmark-document.ts';
import type { ComparisonDocument } from '../../tools/report/types.ts';
import { repoRoot, runBinary, tempDir, writeTree } from '../helpers.ts';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const sampleFile = path.join(repoRoot, 'tests', 'fixtures', 'documents', 'benchmark.json');

function sh(command: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', command], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

async function ok(command: string, cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = await sh(command, cwd, env);
  expect(result.code, `${command}\n${result.stderr}\n${result.stdout}`).toBe(0);
  return result;
}

const report = (args: string[], cwd: string) => runBinary('report', args, { cwd, env: { ...process.env, NO_COLOR: '1', COLUMNS: '150' } });

async function compareJson(cwd: string, current: string, baseline: string) {
  const result = await report([current, '--baseline', baseline, '--format', 'json', '--fail-on-regression'], cwd);
  expect(result.code, result.stderr).toBeLessThan(2);
  return { code: result.code, stderr: result.stderr, comparison: validateDocument<ComparisonDocument>(JSON.parse(result.stdout), 'stdout', ['comparison']) };
}

describe('pytest-benchmark', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    await writeTree(dir, {
      'test_bench.py': [
        'import os, time',
        '',
        'PLANTED = float(os.environ.get("PLANTED", "1"))',
        '',
        'def test_parse(benchmark):',
        '    benchmark(time.sleep, 0.2 * PLANTED)',
        '',
        'def test_render(benchmark):',
        '    benchmark(time.sleep, 0.1)',
        '',
        'def test_checksum(benchmark):',
        '    benchmark(lambda: sum(i * i for i in range(5000)) and time.sleep(0.15))',
        '',
      ].join('\n'),
    });
    // 5 rounds of one iteration each; --benchmark-json keeps the samples, the autosaved file keeps
    // them only with --benchmark-save-data (run b).
    const run = (name: string, planted: number, extra = '') =>
      ok(
        `python3 -m pytest -q -p no:cacheprovider test_bench.py --benchmark-json=${name}.json --benchmark-min-rounds=5 --benchmark-max-time=0.000001 --benchmark-min-time=0.000001 --benchmark-warmup=off --benchmark-autosave --benchmark-storage=file://./saved-${name} ${extra}`,
        dir,
        { PLANTED: String(planted) },
      );
    await Promise.all([run('a', 1), run('b', 1, '--benchmark-save-data'), run('slow', 1.2)]);
  }, 180_000);

  it('reads --benchmark-json with its samples into a benchmark document that keeps identity, unit and machine_info', async () => {
    const imported = await report(['import', 'a.json', '--out', 'a.bench.json'], dir);
    expect(imported, imported.stderr).toMatchObject({ code: 0, stderr: '' });
    const doc = validateDocument<BenchmarkDocument>(JSON.parse(await readFile(path.join(dir, 'a.bench.json'), 'utf8')), 'a.bench.json', ['benchmark']);
    expect(doc.benchmarks.map((b) => [b.file, b.name, b.harness, b.samplesMs?.length, b.iterations])).toEqual([
      ['test_bench.py', 'test_parse', 'pytest-benchmark', 5, 1],
      ['test_bench.py', 'test_render', 'pytest-benchmark', 5, 1],
      ['test_bench.py', 'test_checksum', 'pytest-benchmark', 5, 1],
    ]);
    // Physical bounds: a 200 ms sleep measures at least 200 ms.
    const parse = doc.benchmarks[0]!;
    expect(parse.stats.median).toBeGreaterThanOrEqual(200);
    expect(Math.min(...parse.samplesMs!)).toBeGreaterThanOrEqual(200);
    expect(doc.sources[0]).toMatchObject({ harness: 'pytest-benchmark', file: 'a.json', benchmarks: 3, machineInfo: { python_implementation: 'CPython' } });
    expect(doc.environment.runtimes.python).toMatch(/^3\./);
    if (UPDATE) await writeFile(sampleFile, JSON.stringify({ ...doc, createdAt: '2026-11-24T05:00:00.000Z', sources: doc.sources.map((s) => ({ ...s, file: '.testpace/pytest-benchmark.json' })) }, null, 2) + '\n');
    // The committed sample is what import writes: the same shape as this fresh one.
    const sample = validateDocument<BenchmarkDocument>(JSON.parse(await readFile(sampleFile, 'utf8')), 'benchmark.json', ['benchmark']);
    expect(sample.benchmarks.map((b) => Object.keys(b).sort())).toEqual(doc.benchmarks.map((b) => Object.keys(b).sort()));
  });

  it('does not flag the same code measured twice, and catches the planted 20% slowdown of one benchmark', async () => {
    const same = await compareJson(dir, 'b.json', 'a.json');
    expect(same.code, same.stderr).toBe(0);
    expect(same.comparison).toMatchObject({ subject: 'benchmarks', method: 'mann-whitney' });
    expect(same.comparison.tests.filter((t) => t.status === 'regressed' || t.status === 'improved')).toEqual([]);

    const slow = await compareJson(dir, 'slow.json', 'a.json');
    expect(slow.code).toBe(1);
    expect(slow.comparison.verdict).toBe('regression');
    expect(slow.comparison.tests.filter((t) => t.regressed).map((t) => t.name)).toEqual(['test_parse']);
    const parse = slow.comparison.tests.find((t) => t.name === 'test_parse')!;
    expect(parse.ratio!).toBeGreaterThan(1.1);
    expect(parse.basis).toBe('mann-whitney');
    expect(slow.stderr).toMatch(/^testpace-report: regressed test_bench\.py::test_parse: 2\d\d ms → 2\d\d ms \(\+\d+%/m);
  });

  it('falls back on the summary statistics of saved files without samples, and says the test is weaker', async () => {
    const saved = async (name: string) => {
      const root = path.join(dir, `saved-${name}`);
      const [machine] = await readdir(root);
      const [file] = await readdir(path.join(root, machine!));
      return path.join(`saved-${name}`, machine!, file!);
    };
    const [a, b, slow] = [await saved('a'), await saved('b'), await saved('slow')];
    // Saved without --benchmark-save-data: no samples; with it (run b): samples.
    expect(JSON.parse(await readFile(path.join(dir, a), 'utf8')).benchmarks[0].stats.data).toBeUndefined();
    expect(JSON.parse(await readFile(path.join(dir, b), 'utf8')).benchmarks[0].stats.data).toHaveLength(5);

    const summary = await compareJson(dir, slow, a);
    expect(summary.comparison.method).toBe('summary');
    expect(summary.comparison.warnings).toContain('3 benchmarks compared on summary statistics (a side kept no samples): a weaker test than the rank test on samples');
    expect(summary.comparison.tests.find((t) => t.name === 'test_parse')).toMatchObject({ status: 'regressed', basis: 'summary' });
    const terminal = await report([slow, '--baseline', a], dir);
    expect(terminal.stdout).toContain("Welch's t on summary statistics (no samples kept: a weaker test)");
    // One side with samples, the other without: still the weaker test, item by item.
    expect((await compareJson(dir, b, a)).comparison.method).toBe('summary');
  });

  it('checks a budget on a benchmark: bench:NAME <= LIMIT fails the run and names the measured median and its basis', async () => {
    const breached = await report(['slow.json', '--budget', 'bench:test_parse <= 220ms', '--budget', 'bench:test_render <= 1s', '--format', 'markdown', '--out', 'r.md'], dir);
    expect(breached.code).toBe(1);
    expect(breached.stderr).toMatch(/^testpace-report: budget breached: bench:test_parse <= 220ms: measured 2\d\d ms \(test_bench\.py::test_parse, median of 5 samples \(pytest-benchmark\)\)$/m);
    const met = await report(['a.json', '--budget', 'bench:test_parse <= 1s'], dir);
    expect(met.code).toBe(0);
    expect(met.stdout).toMatch(/bench:test_parse <= 1s │ +2\d\d ms │/);
  });
});

describe('hyperfine', () => {
  it('reads --export-json, does not flag the same commands twice, and catches a command planted 20% slower', async () => {
    const dir = await tempDir();
    const run = (name: string, parseSeconds: number) =>
      ok(`hyperfine -N --runs 5 --warmup 1 --style none -n parse 'sleep ${parseSeconds}' -n render 'sleep 0.1' --export-json ${name}.json`, dir);
    await Promise.all([run('a', 0.25), run('b', 0.25), run('slow', 0.3)]);
    const doc = await report(['import', 'a.json'], dir);
    const document = validateDocument<BenchmarkDocument>(JSON.parse(doc.stdout), 'stdout', ['benchmark']);
    expect(document.benchmarks.map((b) => [b.file, b.name, b.harness, b.samplesMs?.length])).toEqual([
      [undefined, 'parse', 'hyperfine', 5],
      [undefined, 'render', 'hyperfine', 5],
    ]);
    expect(document.benchmarks[0]!.stats.min).toBeGreaterThanOrEqual(250);

    const same = await compareJson(dir, 'b.json', 'a.json');
    expect(same.code, same.stderr).toBe(0);
    expect(same.comparison.tests.filter((t) => t.status === 'regressed' || t.status === 'improved')).toEqual([]);
    const slow = await compareJson(dir, 'slow.json', 'a.json');
    expect(slow.code).toBe(1);
    expect(slow.comparison.tests.filter((t) => t.regressed).map((t) => t.name)).toEqual(['parse']);
  }, 120_000);
});

describe('vitest bench', () => {
  it('reads --outputJson (summaries only: vitest 4 drops the samples), does not flag the same code twice, and catches a planted 20% slowdown', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      'package.json': '{ "type": "module" }\n',
      'render.bench.ts': [
        "import { bench, describe } from 'vitest';",
        '',
        'const PLANTED = Number(process.env.PLANTED ?? 1);',
        "// A blocking wait, as time.sleep is: the benchmark's time does not depend on the machine's load.",
        'const wait = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);',
        '',
        "describe('render', () => {",
        "  bench('page', () => { wait(200 * PLANTED); }, { iterations: 5, time: 0, warmupIterations: 0, warmupTime: 0 });",
        "  bench('header', () => { wait(100); }, { iterations: 5, time: 0, warmupIterations: 0, warmupTime: 0 });",
        '});',
        '',
      ].join('\n'),
    });
    const vitest = path.join(repoRoot, 'node_modules', '.bin', 'vitest');
    const run = (name: string, planted: number) => ok(`"${vitest}" bench --run --root . --outputJson ${name}.json`, dir, { PLANTED: String(planted) });
    await Promise.all([run('a', 1), run('b', 1), run('slow', 1.2)]);
    const doc = validateDocument<BenchmarkDocument>(JSON.parse((await report(['import', 'a.json'], dir)).stdout), 'stdout', ['benchmark']);
    expect(doc.benchmarks.map((b) => [b.file, b.name, b.group, b.harness, b.stats.rounds, b.samplesMs])).toEqual([
      ['render.bench.ts', 'render > page', 'render.bench.ts > render', 'vitest-bench', 5, undefined],
      ['render.bench.ts', 'render > header', 'render.bench.ts > render', 'vitest-bench', 5, undefined],
    ]);
    expect(doc.benchmarks[0]!.stats.median).toBeGreaterThanOrEqual(200);
    expect(doc.warnings).toEqual(["a.json: vitest bench's JSON kept no samples for 2 of 2 benchmarks: they are compared on their summary statistics, a weaker test"]);

    const same = await compareJson(dir, 'b.json', 'a.json');
    expect(same.code, same.stderr).toBe(0);
    expect(same.comparison.method).toBe('summary');
    expect(same.comparison.tests.filter((t) => t.status === 'regressed' || t.status === 'improved')).toEqual([]);
    const slow = await compareJson(dir, 'slow.json', 'a.json');
    expect(slow.code).toBe(1);
    expect(slow.comparison.tests.filter((t) => t.regressed).map((t) => t.name)).toEqual(['render > page']);
  }, 120_000);
});

describe('harness input that cannot be read', () => {
  it('gives one line naming the file, the JSON path and what was expected', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      'broken.json': JSON.stringify({ machine_info: {}, benchmarks: [{ fullname: 't.py::test_x', stats: { min: 1, max: 2, mean: 1.5, median: 'fast', rounds: 5 } }] }),
      'other.json': JSON.stringify({ results: 3, passes: [] }),
    });
    const broken = await report(['broken.json'], dir);
    expect(broken).toMatchObject({ code: 2, stdout: '', stderr: 'testpace-report: broken.json at $.benchmarks[0].stats.median: expected a number ≥ 0 in pytest-benchmark JSON, received string\n' });
    const other = await report(['other.json'], dir);
    expect(other).toMatchObject({
      code: 2,
      stderr:
        'testpace-report: other.json: expected a testpace document (with "kind") or the JSON of pytest-benchmark (--benchmark-json), hyperfine (--export-json) or vitest bench (--outputJson); received an object with "results", "passes"\n',
    });
  });
});

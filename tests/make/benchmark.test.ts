// make test-benchmark with micro-benchmarks (issue 21): the suite profiled and pytest-benchmark's
// benchmarks (found by the `benchmark` fixture) run, both compared with the baselines that
// make test-baseline recorded; a planted slowdown of one benchmark and a breached budget fail it.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import { repoRoot, tempDir, writeTree } from '../helpers.ts';

const nested = process.env.TESTPACE_MAKE_NESTED === '1';

function make(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('make', ['--no-print-directory', '-f', path.join(repoRoot, 'testpace.mk'), 'TESTPACE_PREREQS=', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', COLUMNS: '220', ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(nested)('make test-benchmark with micro-benchmarks', () => {
  it('runs the suite and the detected pytest-benchmark benchmarks, passes on the same code, fails on a slower benchmark and on a budget', async () => {
    const dir = await tempDir('testpace-make-bench-');
    await writeTree(dir, {
      'tests/test_app.py': 'import time\n\ndef test_login():\n    time.sleep(0.2)\n\ndef test_logout():\n    time.sleep(0.1)\n',
      'tests/test_bench.py': [
        'import os, time',
        '',
        'def test_parse(benchmark):',
        '    benchmark(time.sleep, 0.1 * float(os.environ.get("PLANTED", "1")))',
        '',
        'def test_render(benchmark):',
        '    benchmark(time.sleep, 0.05)',
        '',
      ].join('\n'),
    });
    // The suite alone (the benchmarks run through BENCH_CMD); a loaded machine moves a short
    // suite's start-up by tens of per cent, so its tests are judged by 100 ms changes.
    const vars = ['TEST_CMD=python3 -m pytest -q -p no:cacheprovider tests/test_app.py', 'RUNS=2', `SUITE_DIR=${dir}`, `TESTPACE_DIR=${dir}/.testpace`, 'REPORT_ARGS=--min-delta 100ms --total-threshold 1000%'];
    const planned = await make(['-n', 'test-benchmark', ...vars], dir);
    expect(planned.stdout).toContain("python3 -m pytest -q -p no:cacheprovider --benchmark-only --benchmark-json=");

    const baseline = await make(['test-baseline', ...vars], dir);
    expect(baseline.code, baseline.stderr).toBe(0);
    const benchBaseline = validateDocument<{ benchmarks: { name: string; samplesMs?: number[] }[] }>(JSON.parse(await readFile(path.join(dir, '.testpace', 'bench-baseline.json'), 'utf8')), 'bench-baseline.json', ['benchmark']);
    expect(benchBaseline.benchmarks.map((b) => b.name)).toEqual(['test_parse', 'test_render']);
    expect(benchBaseline.benchmarks[0]!.samplesMs!.length).toBeGreaterThanOrEqual(5);

    const same = await make(['test-benchmark', ...vars], dir);
    expect(same.code, same.stdout + same.stderr).toBe(0);
    expect(same.stdout).toMatch(/== Comparison · .*bench-baseline\.json → .*bench\.json\nverdict: (no-change|improvement|inconclusive) \(Mann-Whitney U/);

    // One run for both failures: a benchmark 30% slower, and a budget the other one breaks.
    await writeFile(path.join(dir, 'testpace.config.json'), JSON.stringify({ budgets: ['bench:test_render <= 20ms'] }));
    const slower = await make(['test-benchmark', ...vars], dir, { PLANTED: '1.3' });
    expect(slower.code).not.toBe(0);
    expect(slower.stdout).toMatch(/^regressed tests\/test_bench\.py::test_parse: 1\d\d ms → 1\d\d ms \(\+\d+%/m);
    expect(slower.stdout).toMatch(/bench:test_render <= 20ms │ +\d\d ms │ tests\/test_bench\.py::test_render, median of \d+ samples \(pytest-benchmark\) │ testpace\.config\.json:1 │ breached/);
  }, 300_000);

  it('runs a BENCH_CMD of hyperfine instead, with its JSON where BENCH_JSON says', async () => {
    const dir = await tempDir('testpace-make-bench-');
    await writeTree(dir, { 'tests/test_app.py': 'def test_ok():\n    pass\n' });
    // The plumbing, not the verdict: starting a process on a loaded machine varies by tens of per
    // cent from one minute to the next, so only a change of half counts here.
    const vars = [
      'TEST_CMD=python3 -m pytest -q -p no:cacheprovider',
      'RUNS=2',
      `SUITE_DIR=${dir}`,
      `TESTPACE_DIR=${dir}/.testpace`,
      `BENCH_CMD=hyperfine -N --runs 5 --style none -n cli 'sleep 0.1' --export-json ${dir}/.testpace/bench-raw.json`,
      'REPORT_ARGS=--min-delta 10s --total-threshold 1000% --threshold 50%',
    ];
    expect((await make(['test-baseline', ...vars], dir)).code).toBe(0);
    const run = await make(['test-benchmark', ...vars], dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/== Comparison · .*bench-baseline\.json → .*bench\.json\n/);
    expect(run.stdout).toMatch(/│ cli +│ +1\d\d ms │/);
  }, 300_000);
});

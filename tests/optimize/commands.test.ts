// The commands optimize prints run as printed, and shards hold every collected test exactly once.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandFor, shellJoin } from '../../tools/optimize/command.ts';
import { examplesDir, repoRoot, runBinary, tempDir } from '../helpers.ts';

const fixture = (name: string) => path.join(repoRoot, 'tests', 'fixtures', name);

describe('the command for n workers', () => {
  it('replaces the runner’s own worker flags instead of repeating them, and drops what only the profiled run needed', () => {
    const cases: Array<[Parameters<typeof commandFor>[0], string[], number, string]> = [
      ['pytest', ['python3', '-m', 'pytest', '-q', '-n', '2', '--dist', 'load', '--junitxml=out/report.xml'], 3, 'python3 -m pytest -q -n 3'],
      ['pytest', ['pytest', '-n2', '-p', 'no:xdist', 'tests'], 2, 'pytest tests -n 2'],
      ['pytest', ['pytest', '--numprocesses=4', 'tests'], 1, 'pytest tests'],
      ['pytest', ['pytest', 'tests/test_a.py::test_x[a b]'], 2, "pytest 'tests/test_a.py::test_x[a b]' -n 2"],
      ['vitest', ['npx', 'vitest', 'run', '--maxWorkers=2', '--no-file-parallelism'], 4, 'npx vitest run --maxWorkers=4'],
      ['vitest', ['npx', 'vitest', 'run', '--maxWorkers', '2'], 1, 'npx vitest run --no-file-parallelism'],
      ['jest', ['npx', 'jest', '--maxWorkers=2', '-i'], 2, 'npx jest --maxWorkers=2'],
      ['jest', ['npx', 'jest', '-w', '4'], 1, 'npx jest --runInBand'],
      ['mocha', ['npx', 'mocha', '--parallel', '-j', '2', 'test/'], 1, 'npx mocha test/'],
      ['mocha', ['npx', 'mocha', 'test/'], 4, 'npx mocha test/ --parallel --jobs 4'],
      ['node-test', ['node', '--test', '--test-concurrency=4', 'test/'], 2, 'node --test --test-concurrency=2 test/'],
      ['bats', ['bats', '--jobs', '2', '--report-formatter', 'junit', '--output', '/tmp/x', 'test'], 4, 'bats test --jobs 4'],
    ];
    for (const [runner, command, workers, expected] of cases) expect(shellJoin(commandFor(runner, command, workers, undefined)), command.join(' ')).toBe(expected);
  });
});

describe('printed commands and shards on the pytest example', () => {
  let dir: string;
  let profilePath: string;
  const example = path.join(examplesDir, 'pytest');
  const junit = () => path.join(dir, 'report.xml');

  beforeAll(async () => {
    dir = await tempDir('testpace-optimize-commands-');
    // The -n 2 profile as a user records it, with a JUnit report of their own, and one test skipped there
    // (platform-conditional): optimize must still put it in a shard.
    const profile = JSON.parse(readFileSync(fixture('optimize/pytest-n2-profile.json'), 'utf8')) as {
      command: string[];
      tests: Array<{ outcome: string; id: string }>;
      runs: Array<{ tests: Array<{ id?: string; outcome: string }> }>;
    };
    profile.command = [...profile.command, `--junitxml=${junit()}`];
    const skipped = profile.tests.find((t) => t.id.includes('test_checkout'))!;
    skipped.outcome = 'skipped';
    for (const run of profile.runs) for (const t of run.tests) if (t.id === skipped.id) t.outcome = 'skipped';
    profilePath = path.join(dir, 'profile.json');
    await writeFile(profilePath, JSON.stringify(profile));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('run exactly as printed for one and two workers, without the profiled run’s JUnit report', async () => {
    const result = await runBinary('optimize', ['--profile', profilePath, '--workers', '2'], { cwd: example });
    expect(result.code, result.stderr).toBe(0);
    const predictions = (JSON.parse(result.stdout) as { parallel: { predictions: Array<{ workers: number; command: string }> } }).parallel.predictions;
    expect(predictions.map((p) => p.command)).toEqual(['python3 -m pytest -q -p no:cacheprovider', 'python3 -m pytest -q -p no:cacheprovider -n 2 --dist loadgroup']);
    for (const { command } of predictions) {
      const run = await new Promise<{ code: number; out: string }>((resolve) =>
        execFile('/bin/sh', ['-c', command], { cwd: example }, (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout })),
      );
      // The example's suite passes: 20 tests, whatever the worker count.
      expect(run.code, `${command}\n${run.out}`).toBe(0);
      expect(run.out).toMatch(/\b20 passed\b/);
    }
    expect(existsSync(junit())).toBe(false);
  });

  it('put every collected test, the skipped one too, in exactly one shard, NUL-separated with -0', async () => {
    const ids = (JSON.parse(readFileSync(profilePath, 'utf8')) as { tests: Array<{ id: string }> }).tests.map((t) => t.id).sort();
    const shards = await Promise.all(['1/3', '2/3', '3/3'].map((shard) => runBinary('optimize', ['--profile', profilePath, '--shard', shard, '--format', 'list', '-0'], { cwd: example })));
    for (const shard of shards) expect(shard.code, shard.stderr).toBe(0);
    const items = shards.flatMap((shard) => shard.stdout.split('\0').filter(Boolean));
    expect(shards.every((shard) => shard.stdout.endsWith('\0') && !shard.stdout.includes('\n'))).toBe(true);
    expect(items.sort()).toEqual(ids);
  });
});

// The gate on real measurements: a tiny pytest suite profiled by the built testpace-profile (5 runs
// each), piped into testpace-report as users do. One test sleeps for SLEEP_MS; slowing it by 30%
// must be flagged, and profiling the same suite twice must not be.
import { execFile } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import type { ComparisonDocument } from '../../tools/report/types.ts';
import { binary, tempDir, writeTree } from '../helpers.ts';

const suite = {
  'test_sleepy.py': [
    'import os, time',
    '',
    'def test_sleepy():',
    '    time.sleep(float(os.environ["SLEEP_MS"]) / 1000)',
    '',
    'def test_steady():',
    '    time.sleep(0.2)',
    '',
    'def test_quick():',
    '    assert sum(range(1000)) == 499500',
    '',
  ].join('\n'),
};

const profile = (dir: string, sleepMs: number, out: string) =>
  `SLEEP_MS=${sleepMs} "${process.execPath}" "${binary('profile')}" --runs 5 --quiet --out ${out} -- python3 -m pytest -q -p no:cacheprovider`;

function shell(command: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-o', 'pipefail', '-c', command], { cwd, env: { ...process.env, NO_COLOR: '1', COLUMNS: '120' } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('comparing real profiles of a pytest suite', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    await writeTree(dir, suite);
    const base = await shell(profile(dir, 300, 'base.json'), dir);
    expect(base.code, base.stderr).toBe(0);
  }, 120_000);

  it('does not flag run-to-run noise of the same suite', async () => {
    // Both profiles run at the same time, so that a change of the shared machine's load between
    // them (a real slowdown, of the machine) cannot pass for a difference between them.
    const [first, second] = await Promise.all([shell(profile(dir, 300, 'a.json'), dir), shell(profile(dir, 300, 'b.json'), dir)]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const result = await shell(`"${process.execPath}" "${binary('report')}" b.json --baseline a.json --format json --fail-on-regression`, dir);
    expect(result.code, result.stderr).toBe(0);
    const comparison = validateDocument<ComparisonDocument>(JSON.parse(result.stdout), 'stdout', ['comparison']);
    expect(comparison.method).toBe('mann-whitney');
    expect(comparison.verdict).not.toBe('regression');
    expect(comparison.tests.filter((t) => t.regressed)).toEqual([]);
    expect(result.stderr).toMatch(/testpace-report: verdict: (no-change|improvement) \(Mann-Whitney U on 5 vs 5 runs/);
  }, 120_000);

  it('flags a 30% slowdown of one test over 5 runs, piped from testpace-profile, and names it', async () => {
    const command = `SLEEP_MS=390 "${process.execPath}" "${binary('profile')}" --runs 5 --quiet -- python3 -m pytest -q -p no:cacheprovider | "${process.execPath}" "${binary('report')}" --baseline base.json --fail-on-regression`;
    const result = await shell(command, dir);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/verdict: regression \(Mann-Whitney U on 5 vs 5 runs/);
    const line = /regressed test_sleepy\.py::test_sleepy: (\d+) ms → (\d+) ms \(\+(\d+)%, \+(\d+) ms, p = (0\.\d+)\)/.exec(result.stdout);
    expect(line, result.stdout).not.toBeNull();
    const [, before, after, percent, , p] = line!.map(Number);
    // Physical bounds: a 300 ms sleep measures at least 300 ms, a 390 ms one at least 390 ms.
    expect(before).toBeGreaterThanOrEqual(300);
    expect(after).toBeGreaterThanOrEqual(390);
    expect(percent).toBeGreaterThanOrEqual(15);
    expect(p).toBeLessThan(0.05);
    expect(result.stdout).not.toMatch(/regressed test_sleepy\.py::test_steady/);
  }, 120_000);
});

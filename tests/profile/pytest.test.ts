// testpace-profile on the real pytest example: serial and under pytest-xdist, failing and interrupted suites.
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import { binary, memoryIo, processAlive, tempDir, writeTree } from '../helpers.ts';
import { cli } from '../../tools/profile/cli.ts';
import type { ProfileDocument } from '../../tools/profile/built-document.ts';
import { type Profiled, example, expectSleep, profile, testNamed } from './profile-helpers.ts';

describe('profile on the pytest example', () => {
  let serial: Profiled;
  let xdist: Profiled;
  beforeAll(async () => {
    serial = await profile(example('pytest'), ['--', 'python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider']);
    xdist = await profile(example('pytest'), ['--', 'python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-n', '2']);
  });

  it('measures every test, and a 300 ms sleep as at least 300 ms', () => {
    expect(serial.code, serial.stderr).toBe(0);
    expect(serial.document.status).toBe('passed');
    expect(serial.document.runner).toBe('pytest');
    expect(serial.document.tests).toHaveLength(20);
    expectSleep(testNamed(serial.document, 'test_receipt_prints_after_printer_warmup'), 300);
    expectSleep(testNamed(serial.document, 'test_checkout_waits_for_payment_gateway'), 500);
  });

  it('puts fixture time in setup, not in call', () => {
    const test = testNamed(serial.document, 'test_tea_costs_four_fifty');
    expect(test.setupMs!.median).toBeGreaterThanOrEqual(99);
    expect(test.callMs!.median).toBeLessThan(90); // well under the planted 100 ms, with room for a loaded machine
    const sleeper = testNamed(serial.document, 'test_receipt_prints_after_printer_warmup');
    expect(sleeper.callMs!.median).toBeGreaterThanOrEqual(299);
    expect(sleeper.setupMs!.median).toBeLessThan(90); // well under the planted 100 ms, with room for a loaded machine
  });

  it('places tests on the run timeline and accounts for collection, tail, CPU and the worker', () => {
    const run = serial.document.runs[0]!;
    expect(run.collectionMs).toBeGreaterThan(0);
    // pytest's session starts after the interpreter and plugins are up, and before the first test.
    expect(run.sessionStartMs).toBeGreaterThan(0);
    expect(run.sessionStartMs).toBeLessThan(run.collectionMs!);
    // The tail is what follows the last test: interpreter shutdown takes time, and the parts add up to the run.
    const lastEnd = Math.max(...run.tests.map((test) => test.endMs!));
    expect(run.tailMs).toBeGreaterThan(0);
    expect(Math.abs(lastEnd + run.tailMs! - run.wallMs)).toBeLessThan(0.01);
    for (const test of run.tests) {
      expect(test.startMs!).toBeGreaterThanOrEqual(run.collectionMs! - 0.001);
      expect(test.endMs!).toBeLessThanOrEqual(run.wallMs);
    }
    expect(run.cpu!.userMs + run.cpu!.systemMs).toBeGreaterThan(0);
    expect(run.workers.map((w) => w.id)).toEqual(['main']);
    expect(run.workers[0]!.busyMs).toBeGreaterThanOrEqual(1100); // 0.5 + 0.3 + 3 × 0.1 s of sleeps
    expect(run.workers[0]!.utilisation).toBeLessThanOrEqual(1);
    // Slowest first. On a loaded machine the 64 MiB allocation can outlast the 500 ms sleep, so the
    // order is checked, not which test leads it.
    const medians = serial.document.tests.map((t) => t.durationMs.median);
    expect(medians).toEqual([...medians].sort((a, b) => b - a));
    expect(serial.stderr).toContain('slowest tests');
    expect(serial.stderr).toMatch(/20 passed/);
  });

  it('names the two xdist workers and their busy time', () => {
    expect(xdist.code, xdist.stderr).toBe(0);
    const run = xdist.document.runs[0]!;
    expect(run.workers.map((w) => w.id)).toEqual(['gw0', 'gw1']);
    expect(run.workers.reduce((sum, w) => sum + w.tests, 0)).toBe(20);
    expect(xdist.document.summary.workers).toBe(2);
    expectSleep(testNamed(xdist.document, 'test_receipt_prints_after_printer_warmup'), 300);
    expect(testNamed(xdist.document, 'test_tea_costs_four_fifty').setupMs!.median).toBeGreaterThanOrEqual(99);
    expect(xdist.stderr).toMatch(/workers: gw0 .*gw1/);
  });
});

const failingSuite = {
  'test_mixed.py': [
    'import time',
    'def test_passes():',
    '    time.sleep(0.05)',
    'def test_fails():',
    '    assert 1 + 1 == 3, "arithmetic is broken"',
    '',
  ].join('\n'),
};

describe('profile on a failing pytest suite', () => {
  it('exits 1 like pytest and still writes a valid document marking the failure', async () => {
    const dir = await tempDir();
    await writeTree(dir, failingSuite);
    const result = await profile(dir, ['--', 'python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider']);
    expect(result.code).toBe(1);
    expect(result.document.status).toBe('failed');
    expect(result.document.runs[0]!.exitCode).toBe(1);
    expect(result.document.summary.counts).toMatchObject({ total: 2, passed: 1, failed: 1 });
    const failed = result.document.runs[0]!.tests.find((t) => t.name === 'test_fails')!;
    expect(failed.outcome).toBe('failed');
    expect(failed.message).toContain('arithmetic is broken');
  });

  it('exits 0 with --allow-failures (run in-process), writing the document to --out', async () => {
    const dir = await tempDir();
    await writeTree(dir, failingSuite);
    const io = memoryIo({ cwd: dir });
    const code = await cli(['--allow-failures', '--quiet', '--out', 'profile.json', '--', 'python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider'], io);
    expect(code).toBe(0);
    expect(io.out()).toBe('');
    const document = validateDocument<ProfileDocument>(JSON.parse(await readFile(path.join(dir, 'profile.json'), 'utf8')), 'profile.json', ['profile']);
    expect(document.status).toBe('failed');
    expect(io.err()).not.toContain('passed in'); // --quiet: pytest's own summary line is not shown
    expect(io.err()).toContain('testpace-profile: pytest, 2 tests');
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Every pytest process (controller and xdist workers) and a grandchild `sleep` record their pids.
// The hanging test starts its grandchild only once test_quick is over (its teardown reported, plus a
// margin for the report to reach the controller), so a signal sent then finds test_quick recorded.
const hangingSuite = (pids: string) => ({
  'conftest.py': [
    'import os',
    'def pytest_configure(config):',
    `    open(os.path.join(${JSON.stringify(pids)}, "pytest-%d" % os.getpid()), "w").close()`,
    'def pytest_runtest_logreport(report):',
    '    if report.when == "teardown" and report.nodeid.endswith("test_quick"):',
    `        open(os.path.join(${JSON.stringify(pids)}, "quick-done"), "w").close()`,
    '',
  ].join('\n'),
  'test_hang.py': [
    'import os, subprocess, time',
    'def test_quick():',
    '    pass',
    'def test_hangs():',
    `    while not os.path.exists(os.path.join(${JSON.stringify(pids)}, "quick-done")):`,
    '        time.sleep(0.05)',
    '    time.sleep(0.5)',
    '    child = subprocess.Popen(["sleep", "60"])',
    `    open(os.path.join(${JSON.stringify(pids)}, "sleep-%d" % child.pid), "w").close()`,
    '    time.sleep(60)',
    '',
  ].join('\n'),
});

describe('profile on an interrupted run', () => {
  it('forwards SIGTERM to the whole process group, leaves no process behind and writes an interrupted document', async () => {
    const dir = await tempDir();
    const pids = await tempDir();
    await writeTree(dir, hangingSuite(pids));
    const child = spawn(process.execPath, [binary('profile'), '--', 'python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-n', '2'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Wait until the hanging test has started its grandchild, then stop the tool as a CI runner would.
    await waitFor(async () => ((await readdir(pids)).some((f) => f.startsWith('sleep-')) ? true : undefined), 30_000);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    const document = validateDocument<ProfileDocument>(JSON.parse(stdout), 'stdout', ['profile']);
    expect(document.status).toBe('interrupted');
    expect(document.runs[0]!.interrupted).toBe(true);
    expect(document.runs[0]!.tests.map((t) => t.name)).toContain('test_quick');
    const recorded = (await readdir(pids)).filter((f) => f !== 'quick-done').map((f) => Number(f.split('-')[1]));
    expect(recorded.length).toBeGreaterThanOrEqual(4); // controller, two workers, the sleep
    await waitFor(async () => (recorded.every((pid) => !processAlive(pid)) ? true : undefined), 5000);
  });

  it('stops a run at --timeout and exits 1 with an interrupted document', async () => {
    const dir = await tempDir();
    const pids = await tempDir();
    await writeTree(dir, hangingSuite(pids));
    const result = await profile(dir, ['--timeout', '3s', '--', 'python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider']);
    expect(result.code).toBe(1);
    expect(result.document.status).toBe('interrupted');
    expect(result.document.runs[0]!.wallMs).toBeGreaterThanOrEqual(3000);
    expect(result.document.warnings!.join('\n')).toContain('--timeout');
    const recorded = (await readdir(pids)).filter((f) => f !== 'quick-done').map((f) => Number(f.split('-')[1]));
    await waitFor(async () => (recorded.every((pid) => !processAlive(pid)) ? true : undefined), 5000);
  });
});

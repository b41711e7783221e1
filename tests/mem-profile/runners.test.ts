// mem-profile on real test runners: the example projects' memory-growing test comes out on top, and
// --max-rss stops a run, naming the test in flight.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { topTests } from '../../tools/mem-profile/attribution.ts';
import { examplesDir, repoRoot, tempDir, writeTree } from '../helpers.ts';
import { MiB, memProfile } from './run-helpers.ts';

interface Expected {
  command: string[];
  testCount: number;
  planted: Array<{ rule: string; file: string; test: string | null; titlePath: string[]; detail: { bytes?: number } }>;
}

async function expected(runner: string): Promise<Expected> {
  return JSON.parse(await readFile(path.join(examplesDir, runner, 'expected.json'), 'utf8')) as Expected;
}

describe('testpace-mem-profile on test runners', () => {
  // node:test is left out: its reporter stamps events when the parent receives them, so the first test of
  // a file carries the worker's start-up: the planted test is on top there, but by too thin a margin to assert.
  for (const runner of ['pytest', 'vitest', 'jest', 'mocha']) {
    it(`puts the ${runner} example's memory-growing test on top`, async () => {
      const plan = await expected(runner);
      const planted = plan.planted.find((p) => p.rule === 'memory-growth')!;
      const { document } = await memProfile([], plan.command, { cwd: path.join(examplesDir, runner) });
      expect(document.runner).toBe(runner);
      expect(document.tests).toHaveLength(plan.testCount);
      const [top] = topTests(document.tests, 'growthBytes', 1);
      expect({ file: top!.file, name: top!.name }).toEqual({ file: planted.file, name: planted.titlePath.join(' > ') });
      // The test keeps its 64 MiB block, so its process grew by about that much while it ran, less what
      // the runtime frees in the same window: seen 60.8 to 64.1 MiB for pytest, and 53.6 MiB for jest
      // once in CI (a garbage collection inside the test, under load).
      const held = planted.detail.bytes!;
      expect(top!.growthBytes).toBeGreaterThanOrEqual(held * 0.75);
      expect(top!.growthBytes).toBeLessThan(held * 2);
      expect(top!.peakRssBytes).toBeGreaterThanOrEqual(top!.rssStartBytes + held * 0.75);
    });
  }

  it("measures each pytest test's Python allocation peak with --tracemalloc", async () => {
    const plan = await expected('pytest');
    const planted = plan.planted.find((p) => p.rule === 'memory-growth')!;
    const { document } = await memProfile(['--tracemalloc'], plan.command, { cwd: path.join(examplesDir, 'pytest') });
    expect(document.tests.every((t) => typeof t.tracemallocPeakBytes === 'number')).toBe(true);
    const byTracemalloc = [...document.tests].sort((a, b) => b.tracemallocPeakBytes! - a.tracemallocPeakBytes!);
    expect(byTracemalloc[0]!.name).toBe(planted.test);
    // tracemalloc counts the bytearray itself: exactly the 64 MiB, plus the interpreter's small change.
    expect(byTracemalloc[0]!.tracemallocPeakBytes).toBeGreaterThanOrEqual(planted.detail.bytes!);
    expect(byTracemalloc[0]!.tracemallocPeakBytes).toBeLessThan(planted.detail.bytes! + MiB);
  });

  it('stops the run at --max-rss and names the test in flight', async () => {
    const dir = await tempDir('testpace-mem-limit-');
    await writeTree(dir, {
      'pytest.ini': '[pytest]\ntestpaths = tests\n',
      'tests/test_balloon.py': `import time
_held = []

def test_small():
    time.sleep(0.2)

def test_balloon():
    for _ in range(60):
        _held.append(bytearray(b"\\x01") * (10 * 1024 * 1024))
        time.sleep(0.05)

def test_after():
    time.sleep(0.2)
`,
    });
    const { code, document, stderr } = await memProfile(['--max-rss', '150M'], ['python3', '-m', 'pytest', '-p', 'no:cacheprovider'], { cwd: dir });
    expect(code).toBe(1);
    expect(document.status).toBe('limit-exceeded');
    expect(document.limit).toMatchObject({ maxRssBytes: 150 * MiB, exceeded: true, testInFlight: 'tests/test_balloon.py::test_balloon' });
    expect(document.limit!.rssBytes).toBeGreaterThan(150 * MiB);
    // Stopped in the balloon, well before its 600 MiB: the test after it never ran.
    expect(document.peak.sampledRssBytes).toBeLessThan(400 * MiB);
    expect(document.tests.map((t) => t.name)).not.toContain('test_after');
    expect(stderr).toContain('test in flight: tests/test_balloon.py::test_balloon');
  });

  it('keeps a run under its --max-rss passing', async () => {
    const { code, document } = await memProfile(['--max-rss', '2G'], ['python3', '-c', 'print(1)'], { cwd: repoRoot });
    expect(code).toBe(0);
    expect(document.limit).toEqual({ maxRssBytes: 2 * 1024 * MiB, exceeded: false });
  });
});

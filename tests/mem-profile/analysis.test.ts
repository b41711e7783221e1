// The parts of mem-profile that are pure: parsing ps and /proc, tree membership, the leak fit,
// downsampling, attribution and the sparkline. Inputs are recorded output or series built here.
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { median } from '../../lib/stats.ts';
import { type ScopeSeries, attributeCoordinated, attributeTest, growthResolved } from '../../tools/mem-profile/attribution.ts';
import { downsampleIndices } from '../../tools/mem-profile/downsample.ts';
import { asciiSparkline } from '../../lib/format.ts';
import { checkLeak, leastSquares } from '../../tools/mem-profile/leak.ts';
import { createProcfsSampler, parseStatus } from '../../tools/mem-profile/procfs-sampler.ts';
import { createPsSampler, parsePsOutput } from '../../tools/mem-profile/ps-sampler.ts';
import { startMonitor } from '../../tools/mem-profile/monitor.ts';
import { Recorder } from '../../tools/mem-profile/recorder.ts';
import type { Sampler } from '../../tools/mem-profile/sampler.ts';
import { cli } from '../../tools/mem-profile/cli.ts';
import { memoryIo, repoRoot, tempDir, writeTree } from '../helpers.ts';

const fixtures = path.join(repoRoot, 'tests', 'fixtures', 'mem-profile');
const thresholds = { growthPct: 50, r2: 0.8 };
const MB = 1024 * 1024;

describe('the ps sampler', () => {
  // Recorded with procps `ps -A -o pid=,ppid=,rss=,command=` on Linux while `sh -c` ran a python holding
  // 30 MiB and a sleep; trimmed to the kernel threads and that tree (pid 1's line replaced). BSD ps on
  // macOS takes the same -o list and prints the same columns.
  const recorded = readFileSync(path.join(fixtures, 'ps-linux-procps.txt'), 'utf8');

  it('parses pid, ppid, RSS in KiB and the command line with its spaces', () => {
    const rows = parsePsOutput(recorded);
    expect(rows).toHaveLength(15);
    expect(rows.find((row) => row.pid === 32231)).toEqual({
      pid: 32231,
      ppid: 32229,
      rssBytes: 44236 * 1024,
      command: '/root/.pyenv/versions/3.11.7/bin/python3 -c import time; b=bytearray(30*2**20); time.sleep(3)',
    });
  });

  it('samples only the tree under the root, and forgets processes that are gone', async () => {
    let table = recorded;
    const sampler = createPsSampler({ root: 32229, includeRoot: true, table: async () => table });
    const first = await sampler.sample();
    expect(first.map((r) => [r.pid, r.name, r.rssBytes]).sort()).toEqual([
      [32229, 'sh', 1684 * 1024],
      [32231, 'python3', 44236 * 1024],
      [32232, 'sleep', 1752 * 1024],
    ]);
    expect(first.every((r) => r.hwmBytes === null)).toBe(true);
    // Next look: the sleep has exited and the python has started a child of its own.
    table = recorded.replace(/^32232 .*$/m, '') + '32240 32231  9000 /bin/gzip -9\n';
    const second = await sampler.sample();
    expect(second.map((r) => r.pid).sort()).toEqual([32229, 32231, 32240]);
  });

  it('leaves the root out when asked', async () => {
    const sampler = createPsSampler({ root: 32229, includeRoot: false, table: async () => recorded });
    expect((await sampler.sample()).map((r) => r.pid).sort()).toEqual([32231, 32232]);
  });
});

describe('the /proc sampler', () => {
  it('survives a process that goes between the opening and the reading of its status, closing each descriptor once', async () => {
    // A directory stands for the status file of a process that has just gone: it opens, and its read fails.
    const proc = await tempDir();
    await writeTree(proc, {
      loadavg: '0.10 0.20 0.30 1/100 12\n',
      '1/status': 'Name:\tsh\nTgid:\t1\nPid:\t1\nPPid:\t0\nVmHWM:\t200 kB\nVmRSS:\t100 kB\n',
    });
    await mkdir(path.join(proc, '12', 'status'), { recursive: true });
    const descriptors = () => readdirSync('/proc/self/fd').length;
    const before = descriptors();
    const sampler = createProcfsSampler({ root: 1, includeRoot: true, youngMs: 100, procRoot: proc });
    expect(() => sampler.glance!()).not.toThrow();
    expect((await sampler.sample()).map((r) => r.pid)).toEqual([1]);
    sampler.close!();
    expect(descriptors()).toBe(before);
  });

  it('parses its own /proc/self/status', async () => {
    const fields = parseStatus(await readFile('/proc/self/status', 'latin1'))!;
    expect(fields.pid).toBe(process.pid);
    expect(fields.tgid).toBe(process.pid);
    expect(fields.ppid).toBe(process.ppid);
    expect(fields.rssBytes).toBeGreaterThan(10 * MB);
    expect(fields.hwmBytes).toBeGreaterThanOrEqual(fields.rssBytes!);
  });

  it('reads a live process of the tree, with its high-water mark', async () => {
    const sampler = createProcfsSampler({ root: process.ppid, includeRoot: false, youngMs: 100 });
    const readings = await sampler.sample();
    const self = readings.find((r) => r.pid === process.pid)!;
    expect(self.ppid).toBe(process.ppid);
    expect(self.hwmBytes).toBeGreaterThanOrEqual(self.rssBytes);
    expect(sampler.read!(process.pid)?.pid).toBe(process.pid);
  });
});

describe('the sampling loop', () => {
  /** Runs the loop for `ms` over a sampler that says whether the machine was quiet; the times it looked, by kind. */
  async function looks(quiet: boolean, ms: number): Promise<{ samples: number[]; glances: number[] }> {
    const started = performance.now();
    const now = () => performance.now() - started;
    const seen = { samples: [] as number[], glances: [] as number[] };
    const sampler: Sampler = {
      kind: 'procfs',
      sample: async () => (seen.samples.push(now()), []),
      glance: () => (seen.glances.push(now()), []),
      quiet: () => quiet,
    };
    const monitor = startMonitor({ sampler, recorder: new Recorder(), intervalMs: 100, now, maxRssBytes: undefined, onLimit: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, ms));
    await monitor.stop();
    return seen;
  }

  const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

  it('glances less often while nothing changes, but never further apart than 50 ms, and samples on the grid', async () => {
    const [busy, quiet] = [await looks(false, 1000), await looks(true, 1000)];
    // 20 ms apart while processes come and go: four glances between samples; backed off: one or two.
    expect(busy.glances.length).toBeGreaterThan(quiet.glances.length * 1.5);
    const all = [...quiet.samples, ...quiet.glances].sort((a, b) => a - b);
    // A late timer (a busy machine) can only stretch a gap; the median shows what the loop asked for.
    // (Asked for: 50 ms, and 100 ms between samples were the gap let grow further; late timers add a little.)
    expect(median(gaps(all))).toBeGreaterThanOrEqual(35);
    expect(median(gaps(all))).toBeLessThanOrEqual(70);
    for (const { samples } of [busy, quiet]) expect(median(gaps(samples))).toBeGreaterThanOrEqual(90);
  });
});

describe('the leak check', () => {
  // 40 samples a second apart: a span long enough to judge a trend over.
  const times = Array.from({ length: 40 }, (_, i) => i * 1000);

  it('fits a line exactly', () => {
    const fit = leastSquares([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(fit.slope).toBeCloseTo(2, 10);
    expect(fit.intercept).toBeCloseTo(1, 10);
    expect(fit.r2).toBeCloseTo(1, 10);
  });

  it('suspects steady growth and gives slope, R² and growth in its basis', () => {
    const rss = times.map((t) => 100 * MB + t * 5 * 1024); // +5 KiB per ms: 293 MB/min
    const verdict = checkLeak('total RSS', times, rss, 0, thresholds);
    expect(verdict.verdict).toBe('suspected-leak');
    expect(verdict.r2).toBe(1);
    expect(verdict.slopeMbPerMin).toBeCloseTo((5 / 1024) * 60_000, 1);
    expect(verdict.growthPct).toBeGreaterThan(50);
    expect(verdict.basis).toMatch(/^total RSS: least-squares fit over 40 samples .* both thresholds met$/);
  });

  it('does not call a one-off jump a leak when it is not steady', () => {
    // Flat, one step up in the middle, flat again: a big growth, but a line through a step of two equal
    // halves has R² 0.75, under the 0.8 threshold.
    const rss = times.map((t) => (t < 20_000 ? 100 * MB : 300 * MB));
    const verdict = checkLeak('total RSS', times, rss, 0, thresholds);
    expect(verdict.r2).toBeCloseTo(0.75, 2);
    expect(verdict.verdict).toBe('no-leak');
    expect(verdict.basis).toMatch(/a step, not a slope/);
  });

  it('tells a step from a slope when a line fits both', () => {
    // A slow rise and one allocation held to the end: R² 0.86 and +95%, both over the thresholds.
    const rss = times.map((t) => 100 * MB + (t / 1000) * MB + (t >= 20_000 ? 60 * MB : 0));
    const verdict = checkLeak('total RSS', times, rss, 0, thresholds);
    expect(verdict.r2).toBeGreaterThanOrEqual(0.8);
    expect(verdict.growthPct).toBeGreaterThanOrEqual(50);
    expect(verdict.verdict).toBe('no-leak');
    expect(verdict.basis).toMatch(/a step, not a slope: \+63 MB within a tenth of the span, ending at 20 s, is 66% of the growth$/);
  });

  it('judges no trend over a short run, however steady', () => {
    // 2 s of a one-off 64 MiB allocation being touched (issue 19's pytest run): a line, but too short.
    const short = Array.from({ length: 20 }, (_, i) => i * 100);
    const verdict = checkLeak('total RSS', short, short.map((t) => 30 * MB + t * 32 * 1024), 0, thresholds);
    expect(verdict.verdict).toBe('insufficient-data');
    expect(verdict.basis).toBe('total RSS: 20 samples over 1.9 s after the 0 s warm-up; a trend needs at least 20 s (--leak-min-duration)');
  });

  it('clears a flat series and says why', () => {
    const rss = times.map((_, i) => 100 * MB + (i % 2) * MB);
    const verdict = checkLeak('total RSS', times, rss, 0, thresholds);
    expect(verdict.verdict).toBe('no-leak');
    expect(Math.abs(verdict.growthPct!)).toBeLessThan(2);
  });

  it('gives no verdict on too few samples after the warm-up', () => {
    const verdict = checkLeak('total RSS', times, times, 35_000, thresholds);
    expect(verdict).toMatchObject({ verdict: 'insufficient-data', samples: 5 });
    expect(verdict.basis).toContain('at least 10');
  });
});

describe('downsampling the timeline', () => {
  it('keeps short runs whole', () => {
    expect(downsampleIndices([1, 2, 3], 10, [1], 5)).toEqual([0, 1, 2]);
  });

  it('bounds long runs, keeps every extreme and full resolution around the peak', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => Math.round(1000 + 500 * Math.sin(i / 300)));
    values[12_345] = 99_999;
    values[777] = -5;
    const kept = downsampleIndices(values, 500, [12_345], 25);
    expect(kept.length).toBeLessThanOrEqual(502);
    for (let i = 12_320; i <= 12_370; i++) expect(kept).toContain(i);
    expect(kept).toContain(777);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(19_999);
    expect(Math.max(...kept.map((i) => values[i]!))).toBe(99_999);
  });
});

describe('per-test attribution', () => {
  const series: ScopeSeries = {
    tMs: [0, 100, 105, 140, 200],
    rssBytes: [50 * MB, 50 * MB, 51 * MB, 120 * MB, 118 * MB],
    hwmBytes: [50 * MB, 50 * MB, 51 * MB, 150 * MB, 150 * MB],
  };
  const test = { file: 'tests/test_a.py', name: 'test_big', id: 'tests/test_a.py::test_big', worker: 'main', pid: 7, startMs: 105, endMs: 140 };

  it('takes growth from the readings at the start and end, and the peak from the high-water mark', () => {
    expect(attributeTest(test, series)).toEqual({
      ...test,
      rssStartBytes: 51 * MB,
      rssEndBytes: 120 * MB,
      growthBytes: 69 * MB,
      resolutionMs: 35,
      peakRssBytes: 150 * MB,
    });
  });

  it('takes the first reading after the end when the end was seen late', () => {
    expect(attributeTest({ ...test, endMs: 120, late: true }, series)).toMatchObject({ rssEndBytes: 120 * MB, growthBytes: 69 * MB });
  });

  it('attributes nothing to a test whose process was never read', () => {
    expect(attributeTest(test, undefined)).toBeUndefined();
  });

  it("judges a coordinator's test on its worker, crediting the peak the worker reported as it exited", () => {
    const coordinated = { ...test, pid: 1, coordinator: true };
    const worker = { pid: 2, ppid: 1, series: { tMs: [0, 100, 120], rssBytes: [40 * MB, 50 * MB, 70 * MB], hwmBytes: [40 * MB, 50 * MB, 70 * MB] } };
    // Another worker started during the test: it runs another file and is left out.
    const late = { pid: 3, ppid: 1, series: { tMs: [130], rssBytes: [300 * MB], hwmBytes: [300 * MB] } };
    expect(attributeCoordinated(coordinated, [worker, late], 100)).toMatchObject({ pid: 2, rssStartBytes: 50 * MB, rssEndBytes: 70 * MB, growthBytes: 20 * MB });
    // The worker exited right after the test with a peak of 114 MiB no reading saw.
    expect(attributeCoordinated(coordinated, [{ ...worker, exitMaxRssBytes: 114 * MB }], 100)).toMatchObject({ rssEndBytes: 114 * MB, growthBytes: 64 * MB });
    expect(attributeCoordinated({ ...coordinated, startMs: 500, endMs: 600 }, [worker], 100)).toBeUndefined();
  });
});

describe('the command line', () => {
  for (const [args, message] of [
    [['--interval', '2', '--', 'true'], '--interval: expected milliseconds >= 5, received 2'],
    [['--max-rss', 'lots', '--', 'true'], '--max-rss: expected a size such as 512M or 2G, received "lots"'],
    [['--leak-r2', '2', '--', 'true'], '--leak-r2: expected a number from 0 to 1, received 2'],
    [['--quiet'], 'no command given'],
  ] as const) {
    it(`rejects ${args.join(' ')} in one line with exit 2`, async () => {
      const io = memoryIo();
      expect(await cli([...args], io)).toBe(2);
      expect(io.err().split('\n')[0]).toBe(`testpace-mem-profile: ${message}`);
      expect(io.out()).toBe('');
    });
  }
});

describe('small things', () => {
  it('draws a sparkline scaled from zero', () => {
    expect(asciiSparkline([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 10)).toBe(' .:-=+*#%@');
    expect(asciiSparkline([5, 5], 10)).toBe('@@');
  });
});

describe('growth the samples can resolve', () => {
  // Readings every 100 ms; 42 MiB allocated between the second and the third.
  const series = { tMs: [0, 100, 200, 300], rssBytes: [10, 10, 52, 52].map((m) => m * MB), hwmBytes: [null, null, null, null] };
  const window = (startMs: number, endMs: number) => ({ file: 'a.test.ts', name: 't', id: 'a.test.ts::t', worker: null, pid: 1, startMs, endMs });

  it('a test far shorter than the time between its readings is not charged its neighbours\' growth', () => {
    const short = attributeTest(window(150, 150.1), series)!;
    expect(short).toMatchObject({ growthBytes: 42 * MB, resolutionMs: 100 });
    expect(growthResolved(short)).toBe(false);
    const long = attributeTest(window(100, 200), series)!;
    expect(long).toMatchObject({ growthBytes: 42 * MB, resolutionMs: 100 });
    expect(growthResolved(long)).toBe(true);
  });
});


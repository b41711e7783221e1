import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendHistory, benchmarkRecord, historyRecord, keepSamples, otherMachines, readHistory, rollingBenchmarkBaseline } from '../../tools/report/history.ts';
import { trendSeries } from '../../tools/report/trend.ts';
import { defaultThresholds } from '../../tools/report/compare.ts';
import type { BenchmarkDocument } from '../../tools/report/benchmark-document.ts';
import { validateDocument } from '../../lib/read-document.ts';
import { memoryIo, repoRoot, runBinary, tempDir } from '../helpers.ts';
import { around, buildProfile } from './builders.ts';

const runTs = path.join(repoRoot, 'scripts', 'run-ts.mjs');

/** A writer process: appends `count` records of about `padBytes` each, tagged with its id. */
const writerScript = (historyFile: string, id: number, count: number, padBytes: number) => `
import { appendHistory } from ${JSON.stringify(path.join(repoRoot, 'tools', 'report', 'history.ts'))};
for (let seq = 0; seq < ${count}; seq++) {
  await appendHistory(${JSON.stringify(historyFile)}, {
    v: 1, createdAt: new Date().toISOString(), commit: 'writer-${id}-' + seq, branch: null, runner: 'pytest', runs: 1, status: 'passed',
    wallMs: seq, tests: [['tests/test_pad.py', 'x'.repeat(${padBytes}), ${id}, 0]],
  });
}
`;

const run = (args: string[]) =>
  new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(process.execPath, args, { cwd: repoRoot }, (error, _stdout, stderr) => resolve({ code: error ? 1 : 0, stderr }));
  });

describe('the run history', () => {
  it('loses no record when 8 processes append at once, lines longer than a pipe buffer included', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'history.jsonl');
    const writers = 8;
    const each = 40;
    const scripts = await Promise.all(
      Array.from({ length: writers }, async (_, id) => {
        const script = path.join(dir, `writer${id}.ts`);
        // Half the writers write 20 KB lines: far past PIPE_BUF, so only the lock keeps them whole.
        await writeFile(script, writerScript(file, id, each, id % 2 ? 20_000 : 100));
        return script;
      }),
    );
    const results = await Promise.all(scripts.map((script) => run([runTs, script])));
    for (const result of results) expect(result).toEqual({ code: 0, stderr: '' });
    const { records, warnings } = await readHistory(file);
    expect(warnings).toEqual([]);
    expect(records).toHaveLength(writers * each);
    const seen = new Set(records.map((r) => r.commit));
    for (let id = 0; id < writers; id++) for (let seq = 0; seq < each; seq++) expect(seen.has(`writer-${id}-${seq}`)).toBe(true);
    await expect(stat(`${file}.lock`)).rejects.toThrow(/ENOENT/);
  }, 120_000);

  it('records one line per run from 8 concurrent testpace-report processes and compares with the rolling baseline', async () => {
    const dir = await tempDir();
    const documents = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const file = path.join(dir, `run${i}.json`);
        await writeFile(file, JSON.stringify(buildProfile([{ file: 't.py', name: 'test_x', durations: around(200, 4, 5, i) }], { commit: `commit${i}`.padEnd(40, '0') })));
        return file;
      }),
    );
    const results = await Promise.all(documents.map((doc) => runBinary('report', [doc, '--history', 'h.jsonl', '--format', 'markdown', '--out', `${doc}.md`], { cwd: dir })));
    for (const result of results) expect(result.code).toBe(0);
    const lines = (await readFile(path.join(dir, 'h.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    expect(new Set(lines.map((line) => JSON.parse(line).commit as string))).toEqual(new Set(Array.from({ length: 8 }, (_, i) => `commit${i}`.padEnd(40, '0'))));

    // A ninth run 40% slower is judged against the median of the last 8 runs.
    const slow = path.join(dir, 'slow.json');
    await writeFile(slow, JSON.stringify(buildProfile([{ file: 't.py', name: 'test_x', durations: around(280, 4, 5) }])));
    const judged = await runBinary('report', [slow, '--history', 'h.jsonl', '--history-window', '8', '--fail-on-regression'], { cwd: dir });
    expect(judged.code).toBe(1);
    expect(judged.stdout).toContain('Comparison · history:h.jsonl (pooled samples of last 8) → ');
    expect(judged.stdout).toMatch(/regressed t\.py::test_x: 200 ms → 281 ms \(\+40%/);
    expect(judged.stdout).toMatch(/Trend · h\.jsonl\n9 runs recorded in h\.jsonl; wall time of the last 9: [▁▂▃▄▅▆▇█]{9}/);
  }, 120_000);

  it('closes a torn last line before appending, skips it when reading, and takes over a stale lock', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'h.jsonl');
    const record = historyRecord(buildProfile([{ file: 't.py', name: 'x', durations: [10] }]));
    await writeFile(file, JSON.stringify(record) + '\n{"v":1,"createdAt":"2026-');
    await writeFile(`${file}.lock`, '99999\n');
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, old, old);
    await appendHistory(file, record);
    const { records, warnings } = await readHistory(file);
    expect(records).toHaveLength(2);
    expect(warnings).toEqual([`${file}: skipped 1 line(s) that are not history records (line 2)`]);
  });

  it('shows only the trend when asked with --no-record and no document', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'h.jsonl');
    for (const ms of [100, 120, 110]) await appendHistory(file, historyRecord(buildProfile([{ file: 't.py', name: 'x', durations: [ms] }])));
    const io = memoryIo({ cwd: dir, env: { NO_COLOR: '1', COLUMNS: '100' } });
    const { cli } = await import('../../tools/report/cli.ts');
    expect(await cli(['--history', 'h.jsonl', '--no-record'], io)).toBe(0);
    expect(io.out()).toContain('3 runs recorded in h.jsonl; wall time of the last 3: ▁█▅');
    expect((await readHistory(file)).records).toHaveLength(3);
  });

  it('says at once that the lock is a directory, instead of waiting and failing with an internal error', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'run.json'), JSON.stringify(buildProfile([{ file: 't.py', name: 'x', durations: [10, 11, 12] }])));
    await mkdir(path.join(dir, 'h.jsonl.lock'));
    const started = Date.now();
    const result = await runBinary('report', ['run.json', '--history', 'h.jsonl', '--format', 'markdown', '--out', 'r.md'], { cwd: dir });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: "testpace-report: h.jsonl.lock: is a directory, where the history's lock file goes\n  remove it (rm -r h.jsonl.lock) if no testpace-report is running\n",
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('takes over at once a lock whose process is gone, and waits for one whose process is alive', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'h.jsonl');
    const record = historyRecord(buildProfile([{ file: 't.py', name: 'x', durations: [10] }]));
    // A process that has exited: its pid is free (the lock is fresh, so only the pid can tell).
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => child.on('exit', resolve));
    await writeFile(`${file}.lock`, `${child.pid} ${os.hostname()}\n`);
    const started = Date.now();
    await appendHistory(file, record);
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await readHistory(file)).records).toHaveLength(1);
    await expect(stat(`${file}.lock`)).rejects.toThrow(/ENOENT/);

    // This process holds it: the writer waits until it is let go of.
    await writeFile(`${file}.lock`, `${process.pid} ${os.hostname()}\n`);
    let done = false;
    const waiting = appendHistory(file, record).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(done).toBe(false);
    const { rm } = await import('node:fs/promises');
    await rm(`${file}.lock`);
    await waiting;
    expect((await readHistory(file)).records).toHaveLength(2);
  });

  it('records benchmark documents, keeping at most 200 samples each (their quantiles), and compares with the pooled samples of the last runs on main', async () => {
    const bench = (median: number, branch: string, seed: number): BenchmarkDocument => {
      const samples = Array.from({ length: 500 }, (_, i) => median * (1 + 0.02 * Math.sin(i * 1.3 + seed)));
      return validateDocument<BenchmarkDocument>(
        {
          kind: 'benchmark',
          schemaVersion: 1,
          tool: { name: 'testpace-report', version: '0.1.0' },
          createdAt: `2026-11-2${seed}T05:00:00.000Z`,
          environment: { os: { platform: 'linux', release: '6', arch: 'x64' }, cpus: { count: 2, model: 'm' }, memoryBytes: 1, runtimes: {}, git: { commit: `c${seed}`.padEnd(40, '0'), branch, dirty: false } },
          sources: [{ harness: 'pytest-benchmark', file: 'b.json', benchmarks: 1 }],
          benchmarks: [{ file: 'test_b.py', name: 'test_parse', harness: 'pytest-benchmark', stats: { rounds: 500, min: 0, median, max: 2 * median, mean: median }, samplesMs: samples }],
        },
        'bench',
        ['benchmark'],
      );
    };
    const record = benchmarkRecord(bench(1, 'main', 1));
    expect(record.benchmarks[0]![3]).toHaveLength(200);
    expect(keepSamples([3, 1, 2])).toEqual([3, 1, 2]);
    const records = [benchmarkRecord(bench(1, 'main', 1)), benchmarkRecord(bench(5, 'feature', 2)), benchmarkRecord(bench(1.01, 'main', 3))];
    const baseline = rollingBenchmarkBaseline(records, { window: 20, statistic: 'pooled', branch: 'main', file: 'h.jsonl' });
    expect(baseline.source).toBe('history:h.jsonl (pooled samples of last 2 on main)');
    const parse = [...baseline.tests.values()][0]!;
    expect(parse.values).toHaveLength(400);
    expect(parse.ms).toBeGreaterThan(0.99);
    expect(parse.ms).toBeLessThan(1.02);
  });

  it('marks in the trend the record where a test got slower, and no other', () => {
    const records = Array.from({ length: 12 }, (_, i) =>
      historyRecord(
        buildProfile(
          [
            { file: 't.py', name: 'slowed', durations: around(i < 8 ? 200 : 260, 3, 5, i) },
            { file: 't.py', name: 'steady', durations: around(150, 3, 5, i + 1) },
          ],
          { createdAt: `2026-11-${String(i + 1).padStart(2, '0')}T05:00:00.000Z`, commit: `commit${i}`.padEnd(40, '0') },
        ),
      ),
    );
    const series = trendSeries(records, { window: 20, thresholds: defaultThresholds, tests: 5 });
    const marks = series.flatMap((s) => s.points.flatMap((p, i) => (p.change ? [`${s.label} #${i} ${p.change}`] : [])));
    expect(marks).toEqual(['total wall time #8 regressed', 't.py::slowed #8 regressed']);
  });

  it('says when records of the rolling baseline ran on other machines', () => {
    const here = historyRecord(buildProfile([{ file: 't.py', name: 'x', durations: [10] }]));
    const there = { ...here, cpus: { count: 8, model: 'Other CPU' } };
    expect(here.cpus).toEqual({ count: 2, model: 'Example CPU' });
    expect(otherMachines([here, here], { count: 2, model: 'Example CPU' })).toBeUndefined();
    expect(otherMachines([here, there, there], { count: 2, model: 'Example CPU' })).toBe(
      "2 of the 3 records of the baseline ran on another machine (8 × Other CPU; this run: 2 × Example CPU): a difference may be the machine's, not the change's",
    );
  });
});

import { execFile } from 'node:child_process';
import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendHistory, historyRecord, readHistory } from '../../tools/report/history.ts';
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
});

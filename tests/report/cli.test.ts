import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import { cli } from '../../tools/report/cli.ts';
import { memoryIo, repoRoot, runBinary, tempDir } from '../helpers.ts';
import { buildProfile } from './builders.ts';

const documentsDir = path.join(repoRoot, 'tests', 'fixtures', 'documents');

async function report(args: string[], options: { stdin?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const io = memoryIo({ stdin: options.stdin, cwd: options.cwd, env: { NO_COLOR: '1', COLUMNS: '100', ...options.env } });
  const code = await cli(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('testpace-report on the command line', () => {
  it('reads a document piped to stdin when none is named', async () => {
    const text = await readFile(path.join(documentsDir, 'profile.json'), 'utf8');
    const result = await runBinary('report', [], { input: text });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^== Profile · stdin\n/);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('says in one line what is wrong with a bad document, and exits 2', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify({ kind: 'profile', schemaVersion: 2 }));
    const result = await runBinary('report', ['bad.json'], { cwd: dir });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'testpace-report: bad.json at $.schemaVersion: expected schemaVersion 1, received 2\n  this document was written by another version of testpace\n',
    });
    const missing = await report(['nope.json']);
    expect(missing).toMatchObject({ code: 2, err: 'testpace-report: nope.json: no such file\n' });
    const tty = await report([]);
    expect(tty.code).toBe(2);
    expect(tty.err).toMatch(/^testpace-report: stdin: no document given/);
  });

  it('rejects bad thresholds and a JSON format with nothing to compare', async () => {
    const profile = path.join(documentsDir, 'profile.json');
    expect(await report([profile, '--threshold', '15'])).toMatchObject({ code: 2, err: expect.stringMatching(/^testpace-report: --threshold: expected a percentage such as 10%/) });
    expect(await report([profile, '--format', 'json'])).toMatchObject({ code: 2, err: expect.stringMatching(/^testpace-report: --format json writes a comparison/) });
    expect(await report([profile, '--baseline', path.join(documentsDir, 'memory.json')])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/expected a profile or benchmark document, received a memory document/),
    });
  });

  it('appends the Markdown report to $GITHUB_STEP_SUMMARY with --github, and outside Actions only notes that it cannot', async () => {
    const dir = await tempDir();
    const summary = path.join(dir, 'summary.md');
    await writeFile(summary, '# earlier step\n');
    const result = await report([path.join(documentsDir, 'comparison.json'), '--github', '--fail-on-regression'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(result.code).toBe(1);
    const text = await readFile(summary, 'utf8');
    expect(text.startsWith('# earlier step\n**testpace: regression: total 1.45 s → 1.56 s (+7.6%, regressed), 1 test slower (tests/test\\_slow.py::test\\_sleeps +32%)**\n')).toBe(true);
    expect(text).toContain('**regressed tests/test\\_slow.py::test\\_sleeps: 302 ms → 400 ms (+32%, +98 ms, p = 0.0080)**');
    // Outside GitHub Actions: the report as without --github, and a note on stderr.
    for (const failOn of [[], ['--fail-on-regression']]) {
      const args = [path.join(documentsDir, 'comparison.json'), ...failOn];
      const plain = await report(args);
      const github = await report([...args, '--github']);
      expect(github.code).toBe(plain.code);
      expect(github.out).toBe(plain.out);
      expect(github.err).toBe(`${plain.err}testpace-report: note: --github: $GITHUB_STEP_SUMMARY is not set (not in a GitHub Actions step), so no step summary was written\n`);
    }
  });

  it('colours only a terminal, and never with NO_COLOR', async () => {
    const profile = path.join(documentsDir, 'profile.json');
    const tty = memoryIo({ env: { COLUMNS: '100' } });
    Object.assign(tty.stdout, { isTTY: true, columns: 100 });
    expect(await cli([profile], tty)).toBe(0);
    expect(tty.out()).toContain('\u001b[1m');
    const noColor = memoryIo({ env: { NO_COLOR: '1' } });
    Object.assign(noColor.stdout, { isTTY: true, columns: 100 });
    expect(await cli([profile], noColor)).toBe(0);
    expect(noColor.out()).not.toContain('\u001b[');
  });

  it('shows control characters in test names as escapes, so a name cannot drive the terminal', async () => {
    const dir = await tempDir();
    const evil = 'clears\u001b[2J\u001b[31mred\nline';
    const before = buildProfile([{ file: 'a.py', name: evil, durations: [100, 101, 99, 100, 102] }]);
    const after = buildProfile([{ file: 'a.py', name: evil, durations: [200, 201, 199, 200, 202] }]);
    await writeFile(path.join(dir, 'before.json'), JSON.stringify(before));
    await writeFile(path.join(dir, 'after.json'), JSON.stringify(after));
    const result = await report(['after.json', '--baseline', 'before.json', '--format', 'markdown'], { cwd: dir });
    expect(result.err).not.toContain('\u001b');
    expect(result.err).toContain('a.py::clears\\x1b[2J\\x1b[31mred line');
    const terminal = await report(['after.json', '--baseline', 'before.json'], { cwd: dir, env: { COLUMNS: '200' } });
    expect(terminal.out).not.toContain('\u001b');
    expect(terminal.out).toContain('a.py::clears\\x1b[2J\\x1b[31mred line');
  });

  it('warns in the comparison when a profile is from an interrupted run', async () => {
    const dir = await tempDir();
    const base = buildProfile([{ file: 'a.py', name: 'x', durations: [100, 101, 99, 100, 102] }]);
    const partial = { ...buildProfile([{ file: 'a.py', name: 'x', durations: [100, 102, 98, 101, 100] }]), status: 'interrupted' };
    await writeFile(path.join(dir, 'base.json'), JSON.stringify(base));
    await writeFile(path.join(dir, 'partial.json'), JSON.stringify(partial));
    const result = await report(['partial.json', '--baseline', 'base.json', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).warnings).toEqual(['partial.json is an interrupted run (partial data)']);
    // Partial data never enters the history's rolling baseline.
    const recorded = await report(['partial.json', '--history', 'h.jsonl', '--format', 'markdown'], { cwd: dir });
    expect(recorded).toMatchObject({ code: 0, err: 'testpace-report: warning: partial.json is interrupted: not recorded in h.jsonl\n' });
    await expect(readFile(path.join(dir, 'h.jsonl'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('merges CI shard profiles: tests de-duplicated by identity, totals summed, shard walls kept', async () => {
    const dir = await tempDir();
    const one = buildProfile([
      { file: 'a.py', name: 'a1', durations: [100, 110, 105], worker: 'gw0' },
      { file: 'a.py', name: 'shared', durations: [50, 52, 51], worker: 'gw1' },
    ]);
    const two = buildProfile([
      { file: 'b.py', name: 'b1', durations: [300, 310, 290], worker: 'gw0' },
      { file: 'a.py', name: 'shared', durations: [55, 56, 54], worker: 'gw0', outcomes: ['passed', 'passed', 'failed'] },
    ]);
    await writeFile(path.join(dir, 'one.json'), JSON.stringify(one));
    await writeFile(path.join(dir, 'two.json'), JSON.stringify(two));
    const result = await runBinary('report', ['merge', 'one.json', 'two.json', '--out', 'merged.json'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const merged = validateDocument<ProfileDocument>(JSON.parse(await readFile(path.join(dir, 'merged.json'), 'utf8')), 'merged.json', ['profile']);
    expect(merged.tool.name).toBe('testpace-report');
    expect(merged.tests.map((t) => `${t.file}::${t.name}`).sort()).toEqual(['a.py::a1', 'a.py::shared', 'b.py::b1']);
    const shared = merged.tests.find((t) => t.name === 'shared')!;
    expect(shared.durationMs.values).toEqual([50, 52, 51, 55, 56, 54]);
    expect(shared.flaky).toBe(true);
    expect(merged.shards).toEqual([
      { source: 'one.json', wallMs: one.summary.wallMs.median, tests: 2 },
      { source: 'two.json', wallMs: two.summary.wallMs.median, tests: 2 },
    ]);
    expect(merged.runs.map((r) => r.wallMs)).toEqual(one.runs.map((r, i) => r.wallMs + two.runs[i]!.wallMs));
    expect(merged.summary.counts.total).toBe(4);
    expect(merged.status).toBe('failed');
    expect(new Set(merged.runs[0]!.tests.map((t) => t.worker))).toEqual(new Set(['shard1/gw0', 'shard1/gw1', 'shard2/gw0']));
    expect(merged.warnings).toEqual(['1 test(s) appeared in more than one shard; merged into one entry each']);
    const single = await runBinary('report', ['merge', 'one.json'], { cwd: dir });
    expect(single).toMatchObject({ code: 2, stderr: 'testpace-report: merge: expected two or more shard profiles\n' });
  });
});

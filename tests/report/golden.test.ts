// Whole outputs compared with committed golden files. Inputs are fixed documents (their times and
// environment pinned), so nothing volatile reaches the output. UPDATE_GOLDEN=1 rewrites the files.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import { cli } from '../../tools/report/cli.ts';
import { memoryIo, repoRoot, tempDir } from '../helpers.ts';
import { around, buildProfile } from './builders.ts';

const goldenDir = path.join(repoRoot, 'tests', 'report', 'golden');
const documentsDir = path.join(repoRoot, 'tests', 'fixtures', 'documents');

async function expectGolden(name: string, actual: string): Promise<void> {
  const file = path.join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    await mkdir(goldenDir, { recursive: true });
    await writeFile(file, actual);
  }
  expect(actual).toBe(await readFile(file, 'utf8'));
}

function suite(slowMs: number, phase: number) {
  return buildProfile([
    { file: 'tests/test_slow.py', name: 'test_sleeps', durations: around(slowMs, 6, 5, phase), worker: 'gw0' },
    { file: 'tests/test_db.py', name: 'TestDb::test_query[a|b]', durations: around(420, 6, 5, phase + 1), worker: 'gw1' },
    { file: 'tests/test_db.py', name: 'TestDb::test_connect', durations: around(95, 3, 5, phase + 2), worker: 'gw1' },
    { file: 'tests/test_api.py', name: '<img src=x onerror=alert(1)>', durations: around(60, 2, 5, phase + 3), worker: 'gw0' },
    { file: 'tests/test_api.py', name: 'test_retry', durations: around(150, 4, 5, phase + 4), worker: 'gw0', outcomes: phase ? ['passed', 'failed', 'passed', 'passed', 'passed'] : undefined },
    { file: 'tests/test_util.py', name: 'test_fast', durations: around(2, 0.2, 5, phase + 5), worker: 'gw1' },
  ]);
}

async function workspace(): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'base.json'), JSON.stringify(suite(300, 0)));
  await writeFile(path.join(dir, 'new.json'), JSON.stringify(suite(395, 3)));
  for (const kind of ['memory', 'optimization', 'selection']) await copyFile(path.join(documentsDir, `${kind}.json`), path.join(dir, `${kind}.json`));
  return dir;
}

async function report(dir: string, args: string[], columns = 100) {
  const io = memoryIo({ cwd: dir, env: { NO_COLOR: '1', COLUMNS: String(columns) } });
  const code = await cli(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('golden outputs', () => {
  it('terminal: several documents of every kind in one report', async () => {
    const dir = await workspace();
    const result = await report(dir, ['base.json', 'memory.json', 'optimization.json', 'selection.json']);
    expect(result).toMatchObject({ code: 0, err: '' });
    await expectGolden('documents.txt', result.out);
  });

  it('terminal: tables fit a narrow terminal by wrapping the names', async () => {
    const dir = await workspace();
    const result = await report(dir, ['base.json', '--top', '4'], 64);
    expect(result.code).toBe(0);
    for (const line of result.out.split('\n')) expect([...line].length).toBeLessThanOrEqual(64);
    await expectGolden('narrow.txt', result.out);
  });

  it('terminal: a comparison that regressed, and --fail-on-regression exits 1', async () => {
    const dir = await workspace();
    const result = await report(dir, ['new.json', '--baseline', 'base.json', '--fail-on-regression']);
    expect(result.code).toBe(1);
    await expectGolden('comparison.txt', result.out);
  });

  it('markdown: every kind, with test names escaped', async () => {
    const dir = await workspace();
    const result = await report(dir, ['base.json', 'memory.json', 'optimization.json', 'selection.json', '--format', 'markdown']);
    expect(result.code).toBe(0);
    expect(result.out).not.toContain('<img');
    await expectGolden('documents.md', result.out);
  });

  it('markdown: a comparison of two profiles, the verdict also on stderr', async () => {
    const dir = await workspace();
    const result = await report(dir, ['base.json', 'new.json', '--format', 'markdown']);
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/^testpace-report: verdict: regression/);
    expect(result.err).toMatch(/regressed tests\/test_slow.py::test_sleeps: 302 ms → 393 ms \(\+30%, \+91 ms, p = 0.016\)/);
    await expectGolden('comparison.md', result.out);
  });

  it('json: the comparison document, valid against its schema', async () => {
    const dir = await workspace();
    const result = await report(dir, ['new.json', '--baseline', 'base.json', '--format', 'json']);
    expect(result.code).toBe(0);
    const document = validateDocument<{ createdAt: string }>(JSON.parse(result.out), 'stdout', ['comparison']);
    document.createdAt = '(pinned)';
    await expectGolden('comparison.json', JSON.stringify(document, null, 2) + '\n');
  });

  it('terminal and markdown: real benchmark documents of two commits, one benchmark made slower', async () => {
    const fixtures = path.join(repoRoot, 'tests', 'fixtures', 'report');
    const terminal = await report(fixtures, ['bench-new.json', '--baseline', 'bench-base.json', '--no-config']);
    expect(terminal).toMatchObject({ code: 0, err: '' });
    await expectGolden('benchmarks.txt', terminal.out);
    const markdown = await report(fixtures, ['bench-new.json', '--baseline', 'bench-base.json', '--no-config', '--format', 'markdown']);
    expect(markdown.code).toBe(0);
    await expectGolden('benchmarks.md', markdown.out);
  });
});

// The gate around the verdicts: documents that cannot be compared (issue 17, item 11), budgets from
// every config form and from flags (issue 21), and CI that speaks GitHub (issue 19): workflow
// commands at the lines that define what regressed, and a short pull-request Markdown.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../tools/report/cli.ts';
import { memoryIo, repoRoot, runBinary, tempDir, writeTree } from '../helpers.ts';
import { formatMs } from '../../lib/format.ts';
import { around, buildProfile } from './builders.ts';

const fixtures = path.join(repoRoot, 'tests', 'fixtures');

async function report(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = memoryIo({ cwd: dir, env: { NO_COLOR: '1', COLUMNS: '120', ...env } });
  const code = await cli(args, io);
  return { code, out: io.out(), err: io.err() };
}

const suite = (slow: number, phase: number) =>
  buildProfile([
    { file: 'tests/test_slow.py', name: 'test_sleeps', durations: around(slow, 6, 5, phase) },
    { file: 'tests/test_db.py', name: 'TestDb::test_query', durations: around(420, 6, 5, phase + 1) },
  ]);
const [base, current] = [suite(300, 0), suite(450, 3)];
/** The figures the messages must carry, as the report formats them. */
const wall = (doc: typeof base) => formatMs(doc.summary.wallMs.median);
const test = (doc: typeof base, name: string) => formatMs(doc.tests.find((t) => t.name === name)!.durationMs.median);

/** A regressed pair of profiles (one worker: the total moves with the test), and the file that defines the slowed test. */
async function regressed(): Promise<string> {
  const dir = await tempDir();
  await writeTree(dir, {
    'base.json': JSON.stringify(base),
    'new.json': JSON.stringify(current),
    'tests/test_slow.py': 'import time\n\n\ndef test_sleeps():\n    time.sleep(0.3)\n',
  });
  return dir;
}

describe('documents that cannot be compared', () => {
  it('refuses, with exit 2 and what differs, to compare the profiles of two different projects', async () => {
    const dir = await tempDir();
    await copyFile(path.join(fixtures, 'profile', 'pytest-example.json'), path.join(dir, 'pytest.json'));
    await copyFile(path.join(fixtures, 'profile', 'vitest-example.json'), path.join(dir, 'vitest.json'));
    const refused = await runBinary('report', ['vitest.json', '--baseline', 'pytest.json', '--fail-on-regression'], { cwd: dir });
    expect(refused).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'testpace-report: vitest.json: cannot compare with pytest.json: they share 0 of 39 tests (0%); commands differ (`python3 -m pytest -q -p no:cacheprovider` vs `../../node_modules/.bin/vitest run`); they ran in different directories (examples/pytest vs examples/vitest); runners differ (pytest vs vitest): a comparison of them would mean nothing\n' +
        '  measure the same project on both sides; --allow-unrelated compares them anyway\n',
    });
    // Two profiles named without --baseline are compared the same way.
    expect((await report(dir, ['pytest.json', 'vitest.json'])).code).toBe(2);
    const forced = await report(dir, ['vitest.json', '--baseline', 'pytest.json', '--allow-unrelated', '--format', 'json']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.out).warnings[0]).toMatch(/^compared although unrelated \(--allow-unrelated\): pytest\.json and vitest\.json share 0 of 39 tests/);
  });

  it('warns, naming what differs, when the tests overlap only in part or the machines differ', async () => {
    const dir = await tempDir();
    const tests = (prefix: string) => Array.from({ length: 10 }, (_, k) => ({ file: 'a.py', name: `${k < 6 ? 'shared' : prefix}_${k}`, durations: around(100 + k, 1) }));
    const base = buildProfile(tests('old'));
    const current = buildProfile(tests('new'));
    current.environment = { ...current.environment, cpus: { count: 8, model: 'Other CPU' } };
    current.command = ['pytest', '-q', '-n', '4'];
    await writeTree(dir, { 'base.json': JSON.stringify(base), 'new.json': JSON.stringify(current) });
    const result = await report(dir, ['new.json', '--baseline', 'base.json', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).warnings).toEqual([
      'base.json and new.json share 6 of 14 tests (43%): the rest are new or removed',
      'base.json and new.json: commands differ (`pytest -q` vs `pytest -q -n 4`)',
      'measured on different machines or runtimes (CPU "Example CPU" vs "Other CPU"; 2 vs 8 CPUs): a difference may be theirs, not the change\'s',
    ]);
  });
});

describe('budgets', () => {
  it('fails on a breached budget from testpace.config.json whatever the baseline says, and names the limit, the measured value and its basis', async () => {
    const dir = await regressed();
    await writeFile(path.join(dir, 'testpace.config.json'), JSON.stringify({ budgets: ['total <= 10s', 'test:test_sleeps <= 350ms'] }, null, 2));
    const result = await report(dir, ['new.json', '--format', 'markdown', '--out', 'r.md']);
    expect(result.code).toBe(1);
    expect(result.err).toBe(`testpace-report: budget breached: test:test_sleeps <= 350ms: measured ${test(current, 'test_sleeps')} (tests/test_slow.py::test_sleeps, median of 5 runs)\n`);
    const met = await report(dir, ['base.json']);
    expect(met.code).toBe(0);
    expect(met.out).toMatch(new RegExp(`│ total <= 10s +│ +${wall(base)} │ median wall time of 5 runs \\(base\\.json\\) +│ testpace\\.config\\.json:3 +│ ok`));
  });

  it('reads [tool.testpace] budgets from pyproject.toml and "testpace" from package.json; a flag overrides the same subject', async () => {
    const dir = await regressed();
    await writeFile(path.join(dir, 'pyproject.toml'), '[project]\nname = "x"\n\n[tool.testpace.budgets]\ntotal = "500ms"\n');
    const pyproject = await report(dir, ['new.json', '--format', 'json', '--baseline', 'base.json']);
    expect(pyproject.code).toBe(1);
    expect(JSON.parse(pyproject.out).budgets).toEqual([
      { limit: 'total <= 500ms', from: 'pyproject.toml', line: 5, measured: wall(current), value: current.summary.wallMs.median, basis: 'median wall time of 5 runs (new.json)', status: 'breached' },
    ]);
    expect((await report(dir, ['new.json', '--budget', 'total <= 2s'])).code).toBe(0);
    expect((await report(dir, ['new.json', '--no-config'])).code).toBe(0);

    const npm = await regressed();
    await writeFile(path.join(npm, 'package.json'), JSON.stringify({ name: 'x', testpace: { budgets: { 'test:test_sleeps': '300ms' } } }));
    const pkg = await report(npm, ['new.json']);
    expect(pkg.code).toBe(1);
    expect(pkg.out).toMatch(new RegExp(`│ test:test_sleeps <= 300ms │ +${test(current, 'test_sleeps')} │ tests/test_slow\\.py::test_sleeps, median of 5 runs │ package\\.json:1 │ breached │`));
  });

  it('checks peak-rss on a memory document, and says when a budget has nothing to check', async () => {
    const dir = await tempDir();
    await copyFile(path.join(fixtures, 'documents', 'memory.json'), path.join(dir, 'memory.json'));
    const over = await report(dir, ['memory.json', '--budget', 'peak-rss <= 64MiB', '--budget', 'total <= 1s'], { COLUMNS: '160' });
    expect(over.code).toBe(1);
    expect(over.out).toContain('│ peak-rss <= 64MiB │ 90.6 MiB │ sampled peak RSS of the process tree every 100 ms (memory.json) │ --budget │ breached    │');
    expect(over.err).toBe('testpace-report: warning: budget total <= 1s (--budget) not checked: no profile among the documents\n');
    expect((await report(dir, ['memory.json', '--budget', 'peak-rss <= 2GiB'])).code).toBe(0);
  });

  it('gives one line with the file and JSON path for a budget it cannot read', async () => {
    const dir = await regressed();
    await writeFile(path.join(dir, 'testpace.config.json'), JSON.stringify({ budgets: ['total <= fast'] }));
    expect(await report(dir, ['new.json'])).toMatchObject({
      code: 2,
      err: 'testpace-report: testpace.config.json at $.budgets[0]: total: expected a duration such as 180s, 40ms or 300us, received "fast"\n',
    });
    expect(await report(dir, ['new.json', '--budget', 'wall < 3s', '--no-config'])).toMatchObject({
      code: 2,
      err: 'testpace-report: --budget: unknown budget subject "wall" in "wall < 3s"; expected total, test, test:NAME, peak-rss, bench or bench:NAME\n',
    });
  });
});

describe('CI that speaks GitHub', () => {
  it('annotates a regressed test at the line that defines it, and a breached budget at its line in the config', async () => {
    const dir = await regressed();
    await writeFile(path.join(dir, 'testpace.config.json'), '{\n  "budgets": ["total <= 500ms"]\n}\n');
    await copyFile(path.join(fixtures, 'documents', 'optimization.json'), path.join(dir, 'optimization.json'));
    const summary = path.join(dir, 'summary.md');
    const result = await report(dir, ['new.json', 'optimization.json', '--baseline', 'base.json', '--github', '--format', 'markdown', '--out', 'r.md'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(result.code).toBe(1);
    const commands = result.err.split('\n').filter((line) => line.startsWith('::'));
    // The data escaped as GitHub reads it: % as %25, and : and , in properties.
    expect(commands).toEqual([
      '::error title=testpace%3A the suite got slower::total wall time: 972 ms → 1.12 s (+15%25, +148 ms, p = 0.016)',
      '::error file=tests/test_slow.py,line=4,title=testpace%3A slower test::tests/test_slow.py::test_sleeps: 302 ms → 448 ms (+48%25, +146 ms, p = 0.016)',
      '::error file=testpace.config.json,line=2,title=testpace%3A budget breached::total <= 500ms: measured 1.12 s (median wall time of 5 runs (new.json))',
      '::warning file=tests/test_slow.py,line=5,title=testpace%3A sleep::time.sleep(0.3) waits 300 ms of real time; fix: freeze or fake time (freezegun, time-machine) or poll for the condition (saves 302 ms per run, measured)',
    ]);
    // Without GITHUB_ACTIONS: no workflow commands, the summary still written.
    const plain = await report(dir, ['new.json', '--baseline', 'base.json', '--github', '--no-config'], { GITHUB_STEP_SUMMARY: summary });
    expect(plain.err).not.toContain('::');
  });

  it('writes a short pull-request Markdown: one headline, only what changed, the rest folded', async () => {
    const dir = await regressed();
    const summary = path.join(dir, 'summary.md');
    const result = await report(dir, ['new.json', '--baseline', 'base.json', '--github', '--format', 'json', '--no-config'], { GITHUB_STEP_SUMMARY: summary });
    expect(result.code).toBe(0);
    const text = await readFile(summary, 'utf8');
    const [headline, blank, ...rest] = text.split('\n');
    expect(headline).toBe('**testpace: regression: total 972 ms → 1.12 s (+15%, regressed), 1 test slower (tests/test\\_slow.py::test\\_sleeps +48%)**');
    expect(blank).toBe('');
    const beforeDetails = rest.slice(0, rest.indexOf('<details><summary>Full report</summary>'));
    // Only what changed: the total and the one slower test, not the unchanged TestDb::test_query.
    expect(beforeDetails.filter((line) => line.startsWith('| ') && !line.startsWith('| what'))).toEqual([
      '| total wall time | 972 ms → 1.12 s | +15%, p = 0.016 | **regressed** |',
      '| tests/test\\_slow.py::test\\_sleeps | 302 ms → 448 ms | +48%, p = 0.016 | **regressed** |',
    ]);
    expect(text).toMatch(/<details><summary>Full report<\/summary>\n\n### Comparison · base\.json → new\.json\n[\s\S]*<\/details>\n/);
  });
});

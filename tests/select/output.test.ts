// What select prints: lists, --explain, shards and budgets from measured durations, and the cache.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runBinary } from '../helpers.ts';
import { unsealed } from '../../tools/select/cache-seal.ts';
import { change, gitRepo, removeRepos, scratchDir, select, selectJson } from './select-helpers.ts';

afterAll(removeRepos);

// Six tests that all import one module, so one change selects all of them.
const project: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'app', type: 'module', scripts: { test: 'node --test' } }),
  'src/core.js': 'export const core = 1;\n',
  'src/mid.js': "export { core } from './core.js';\n",
};
const durations: Record<string, number> = { a: 100, b: 200, c: 300, d: 400, e: 500, f: 600 };
for (const name of Object.keys(durations)) project[`tests/${name}.test.js`] = `import { core } from '../src/${name === 'f' ? 'mid' : 'core'}.js';\n`;

/** A profile document (as testpace-profile writes it) with one test per file. */
async function profile(dir: string, failed: string[] = []): Promise<string> {
  const sample = JSON.parse(await readFile(path.join(repoRoot, 'tests/fixtures/documents/profile.json'), 'utf8')) as Record<string, unknown>;
  const template = (sample.tests as Array<Record<string, unknown>>)[0]!;
  sample.cwd = '.';
  sample.tests = Object.entries(durations).map(([name, ms]) => ({
    ...template,
    file: `tests/${name}.test.js`,
    name: `${name} works`,
    id: `tests/${name}.test.js::${name} works`,
    outcome: failed.includes(name) ? 'failed' : 'passed',
    outcomes: [failed.includes(name) ? 'failed' : 'passed'],
    durationMs: { runs: 3, min: ms, median: ms, max: ms, mad: 0 },
  }));
  const file = path.join(await scratchDir('testpace-select-profile-'), 'profile.json');
  await writeFile(file, JSON.stringify(sample));
  return file;
}

describe('select: output', () => {
  it('prints NUL-separated paths with -0', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/mid.js': "export { core } from './core.js';\nexport const x = 1;\n" });
    expect((await select(dir, ['-0'])).out).toBe('tests/f.test.js\0');
  });

  it('explains the chain from a changed file to a test, and why another is not selected', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/mid.js': "export { core } from './core.js';\nexport const x = 1;\n" });
    const yes = await select(dir, ['--explain', 'tests/f.test.js']);
    expect(yes.code).toBe(0);
    expect(yes.out).toBe(
      [
        'tests/f.test.js is selected (1 chain, nearest change 1 edge away):',
        '  src/mid.js changed',
        '    → imported by tests/f.test.js [import]',
        '  discovered by: node-test (package.json)',
        '',
      ].join('\n'),
    );
    const no = await select(dir, ['--explain', 'tests/a.test.js']);
    expect(no.code).toBe(1);
    expect(no.out).toContain('tests/a.test.js is not selected: none of the 1 changed files reaches it.\n  it depends directly on: src/core.js');
    await change(dir, { 'src/core.js': 'export const core = 2;\n' });
    const chain = await select(dir, ['--explain', 'tests/f.test.js']);
    expect(chain.out).toContain('  src/core.js changed\n    → imported by src/mid.js [import]\n    → imported by tests/f.test.js [import]\n');
    expect((await select(dir, ['--explain', 'src/core.js'])).out).toContain('src/core.js is not a test file here');
  });

  it('orders by measured duration or failed first', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/core.js': 'export const core = 2;\n' });
    const timings = await profile(dir, ['e']);
    expect((await select(dir, ['--timings', timings, '--order', 'duration'])).list).toEqual(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => `tests/${n}.test.js`));
    expect((await select(dir, ['--timings', timings, '--order', 'failed-first'])).list).toEqual(['e', 'a', 'b', 'c', 'd', 'f'].map((n) => `tests/${n}.test.js`));
  });

  it('splits the selection into shards balanced by measured duration that together cover it once', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/core.js': 'export const core = 2;\n' });
    const timings = await profile(dir);
    const shards = await Promise.all([1, 2, 3].map((i) => select(dir, ['--timings', timings, '--shard', `${i}/3`])));
    const lists = shards.map((s) => s.list);
    expect(lists.flat().sort()).toEqual(Object.keys(durations).map((n) => `tests/${n}.test.js`));
    // 2100 ms over 3 shards: longest first onto the lightest gives 700 ms each.
    const load = (list: string[]): number => list.reduce((sum, f) => sum + durations[path.basename(f, '.test.js')]!, 0);
    expect(lists.map(load)).toEqual([700, 700, 700]);
    const document = await selectJson(dir, ['--timings', timings, '--shard', '1/3']);
    expect(document.skipped.map((s) => s.why).sort()).toEqual(['in shard 2/3', 'in shard 2/3', 'in shard 3/3', 'in shard 3/3']);
  });

  it('keeps the most directly affected tests that fit the budget and says what it left out', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/core.js': 'export const core = 2;\n' });
    const timings = await profile(dir);
    // f is two edges away; a..e one edge away, cheapest first: a+b+c+d = 1000 ms fits in 1.1 s.
    const run = await select(dir, ['--timings', timings, '--budget', '1.1s']);
    expect(run.list).toEqual(['a', 'b', 'c', 'd'].map((n) => `tests/${n}.test.js`));
    expect(run.err).toContain('budget 1.1 s: kept 4 test files (1.0 s by');
    expect(run.err).toContain('left out 2: tests/e.test.js, tests/f.test.js');
    const document = await selectJson(dir, ['--timings', timings, '--budget', '1.1s']);
    expect(document.skipped).toEqual([
      { file: 'tests/e.test.js', why: 'over budget: needs 0.5 s measured, 0.1 s left' },
      { file: 'tests/f.test.js', why: 'over budget: needs 0.6 s measured, 0.1 s left' },
    ]);
    expect(document.selected.map((s) => s.estimatedMs)).toEqual([100, 200, 300, 400]);
  });

  it('rejects a budget without timings, and a malformed shard, with exit 2', async () => {
    const dir = await gitRepo(project);
    expect((await select(dir, ['--budget', '60s'])).err).toBe('testpace-select: --budget needs measured durations\n  pass --timings profile.json (written by testpace-profile)\n');
    const shard = await select(dir, ['--shard', '4/3']);
    expect([shard.code, shard.err]).toEqual([2, 'testpace-select: --shard: expected I/K with 1 <= I <= K, received "4/3"\n']);
  });
});

describe('select: the graph cache', () => {
  it('re-parses only changed files on a warm run, and stays correct', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/core.js': 'export const core = 2;\n' });
    const cold = await selectJson(dir);
    expect(cold.counts.parsed).toBe(8);
    const warm = await selectJson(dir);
    expect([warm.counts.parsed, warm.selected.length]).toEqual([0, 6]);
    // tests/a no longer imports core: the edit is seen, and only that file is parsed again.
    await change(dir, { 'tests/a.test.js': "import { readFileSync } from 'node:fs';\n" });
    const edited = await selectJson(dir);
    expect(edited.counts.parsed).toBe(1);
    expect(edited.selected.map((s) => s.file)).toEqual(['tests/a.test.js', 'tests/b.test.js', 'tests/c.test.js', 'tests/d.test.js', 'tests/e.test.js', 'tests/f.test.js']);
    expect(edited.selected[0]!.reasons[0]!.edges).toEqual([]);
    await change(dir, { 'src/core.js': 'export const core = 1;\n' });
    expect((await select(dir)).list).toEqual(['tests/a.test.js']);
  });

  it('gives the same answer from concurrent runs of the real binary, and leaves a whole cache', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/mid.js': "export { core } from './core.js';\nexport const y = 1;\n" });
    const runs = await Promise.all([1, 2, 3, 4].map(() => runBinary('select', [], { cwd: dir })));
    expect(runs.map((r) => [r.code, r.stdout])).toEqual(Array.from({ length: 4 }, () => [0, 'tests/f.test.js\n']));
    // Whole: its checksum matches. Two JSON lines: the graph (file table, hashes, edges), then what the scanner found.
    const data = unsealed(await readFile(path.join(dir, '.testpace', 'cache', 'graph.json')));
    expect(data).not.toBeNull();
    const [head, scans, rest] = data!.toString('utf8').split('\n');
    expect(rest).toBe('');
    expect((JSON.parse(head!) as { paths: string[] }).paths).toHaveLength(8);
    expect(JSON.parse(scans!) as unknown[]).toHaveLength(8);
    expect((await readFile(path.join(dir, '.testpace', '.gitignore'), 'utf8'))).toBe('*\n');
  });
});

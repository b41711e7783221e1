// The warm index (tools/select/warm.ts) against the full build: through a series of real edits to
// a real repository, a run that may use the index must say exactly what a run with --no-cache
// says — the same tests, the same reasons, the same unresolved imports — and take the index only
// where it can stand for the full build.
import { afterAll, describe, expect, it } from 'vitest';
import { runBinary } from '../helpers.ts';
import { change, git, gitRepo, removeRepos, select, type SelectionDocument, selectJson } from './select-helpers.ts';

afterAll(removeRepos);

const project: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'app', type: 'module', scripts: { test: 'vitest run' } }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } } }),
  'src/lib/core.ts': 'export const core = 1;\n',
  'src/lib/extra.ts': 'export const extra = 2;\n',
  'src/app.ts': "import { core } from '@lib/core';\nexport const app = core;\n",
  'src/data.json': '{"a": 1}\n',
  'src/api.ts': 'export const api = () => 1;\n',
  'src/__mocks__/api.ts': 'export const api = () => 0;\n',
  'tests/app.test.ts': "import { app } from '../src/app';\n",
  'tests/core.test.ts': "import { core } from '../src/lib/core.js';\n",
  'tests/data.test.ts': "import { readFileSync } from 'node:fs';\nconst data = readFileSync(new URL('../src/data.json', import.meta.url));\n",
  'tests/mock.test.ts': "vi.mock('../src/api');\nimport { api } from '../src/api';\n",
  'tests/dynamic.test.ts': 'const name = "x";\nawait import(`../src/${name}.ts`);\n',
  'py/pytest.ini': '[pytest]\n',
  'py/conftest.py': 'import helpers\n',
  'py/helpers.py': 'VALUE = 1\n',
  'py/test_one.py': 'import helpers\n',
  'sh/lib.bash': 'ROOT=fixtures\n',
  'sh/run.bats': 'load lib\n',
};

/** What a selection says, without what may legitimately differ between runs (timings, counts of parsed files). */
function answer(document: SelectionDocument): unknown {
  return {
    selected: document.selected.map((s) => ({ file: s.file, distance: s.distance, reasons: s.reasons })),
    unresolved: [...document.unresolved].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
    runAll: document.runAll,
    tests: document.counts.tests,
    filesInGraph: document.counts.filesInGraph,
  };
}

/** Runs select both ways; returns whether the cached run took the warm index. */
async function sameAsFull(dir: string): Promise<boolean> {
  const cached = await select(dir, ['--format', 'json', '--debug']);
  expect(cached.code, cached.err).toBe(0);
  const full = await selectJson(dir, ['--no-cache']);
  expect(answer(JSON.parse(cached.out) as SelectionDocument)).toEqual(answer(full));
  return /from the warm index/.test(cached.err);
}

describe('select: the warm index', () => {
  it('answers like the full build through edits, and is used only where it can stand for it', async () => {
    const dir = await gitRepo(project);
    expect(await sameAsFull(dir)).toBe(false); // first run: the full build writes the index
    expect(await sameAsFull(dir)).toBe(true); // nothing changed

    // A source file gains an import, then loses it again.
    await change(dir, { 'src/lib/extra.ts': "import { core } from './core';\nexport const extra = core;\n" });
    expect(await sameAsFull(dir)).toBe(true);
    await change(dir, { 'tests/core.test.ts': "import { extra } from '../src/lib/extra';\n" });
    expect(await sameAsFull(dir)).toBe(true);
    expect((await selectJson(dir)).selected.map((s) => s.file)).toEqual(['tests/core.test.ts']);
    await change(dir, { 'tests/core.test.ts': project['tests/core.test.ts']! });
    expect(await sameAsFull(dir)).toBe(true);

    // An import that cannot resolve, and a file back to its committed content.
    await change(dir, { 'src/app.ts': "import { gone } from './missing';\n" });
    expect(await sameAsFull(dir)).toBe(true);
    expect((await selectJson(dir)).unresolved.map((u) => u.specifier)).toContain('./missing');
    await change(dir, { 'src/app.ts': project['src/app.ts']! });
    expect(await sameAsFull(dir)).toBe(true);

    // Python and data files.
    await change(dir, { 'py/helpers.py': 'import json\nVALUE = 2\n', 'src/data.json': '{"a": 2}\n' });
    expect(await sameAsFull(dir)).toBe(true);

    // What the index cannot stand for: a new file, a staged change, a config, a shell file, a deletion.
    await change(dir, { 'tests/new.test.ts': "import { core } from '@lib/core';\n" });
    expect(await sameAsFull(dir)).toBe(false);
    expect(await sameAsFull(dir)).toBe(true); // ... until the full build has written the index again
    git(dir, 'add', '-A');
    expect(await sameAsFull(dir)).toBe(false);
    expect(await sameAsFull(dir)).toBe(true);
    await change(dir, { 'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/*'] } } }) });
    expect(await sameAsFull(dir)).toBe(false);
    await change(dir, { 'sh/lib.bash': 'ROOT=other\n' });
    expect(await sameAsFull(dir)).toBe(false);
    await change(dir, { 'src/lib/extra.ts': null });
    expect(await sameAsFull(dir)).toBe(false);
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.name=T', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'more');
    expect(await sameAsFull(dir)).toBe(false);
    expect(await sameAsFull(dir)).toBe(true);
  });

  it('explains from the index as from the full build', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/api.ts': 'export const api = () => 2;\n' });
    await select(dir);
    for (const target of ['tests/mock.test.ts', 'tests/app.test.ts']) {
      const warm = await select(dir, ['--explain', target]);
      const full = await select(dir, ['--explain', target, '--no-cache']);
      expect([warm.code, warm.out]).toEqual([full.code, full.out]);
    }
    expect((await select(dir, ['--explain', 'tests/app.test.ts'])).out).toContain('it depends directly on: src/app.ts');
  });
});

describe('select: the executable', () => {
  it('answers as the executable as it does in-process', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/lib/core.ts': 'export const core = 3;\n' });
    git(dir, '-c', 'user.name=T', '-c', 'user.email=t@example.invalid', 'commit', '-qam', 'core');
    await change(dir, { 'py/helpers.py': 'VALUE = 3\n' });
    for (const args of [[], ['--since', 'HEAD~2'], ['--since=HEAD~1', '--committed-only']]) {
      const binary = await runBinary('select', args, { cwd: dir });
      const inProcess = await select(dir, args);
      expect([binary.code, binary.stdout]).toEqual([inProcess.code, inProcess.out]);
      expect(binary.stdout).not.toBe('');
    }
  });
});

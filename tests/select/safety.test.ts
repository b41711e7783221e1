// What the graph cannot see runs everything, with the reason; deletions and renames select the
// importers of the old path; the user's config adds edges, run-all globs and ignores.
import { afterAll, describe, expect, it } from 'vitest';
import { change, git, gitRepo, removeRepos, select, selectJson } from './select-helpers.ts';

afterAll(removeRepos);

const base = {
  'package.json': JSON.stringify({ name: 'app', type: 'module', scripts: { test: 'vitest run' } }),
  'package-lock.json': '{"lockfileVersion": 3}\n',
  'tsconfig.json': '{"compilerOptions": {"strict": true}}\n',
  'vitest.config.ts': "export default { test: { include: ['tests/**/*.test.ts'], setupFiles: ['./tests/setup.ts'] } };\n",
  'tests/setup.ts': 'globalThis.ready = true;\n',
  'src/a.ts': 'export const a = 1;\n',
  'src/b.ts': 'export const b = 1;\n',
  'tests/a.test.ts': "import { a } from '../src/a';\n",
  'tests/b.test.ts': "import { b } from '../src/b';\n",
  'README.md': '# app\n',
  'config/flags.yaml': 'on: true\n',
  'py/pytest.ini': '[pytest]\n',
  'py/conftest.py': 'import pytest\n',
  'py/tests/test_x.py': 'def test_x():\n    pass\n',
};

describe('select: run everything when the graph cannot see the effect', () => {
  const cases: Array<[string, string, string]> = [
    ['package-lock.json', '{"lockfileVersion": 3, "packages": {}}\n', 'a lockfile changed'],
    ['package.json', JSON.stringify({ name: 'app', type: 'module', scripts: { test: 'vitest run --reporter dot' } }), 'a package manifest changed'],
    ['tsconfig.json', '{"compilerOptions": {"strict": false}}\n', 'a TypeScript config changed'],
    ['vitest.config.ts', "export default { test: { include: ['tests/**/*.test.ts'] } };\n", 'a test runner config changed'],
    ['tests/setup.ts', 'globalThis.ready = false;\n', 'a setup file changed'],
    ['py/pytest.ini', '[pytest]\naddopts = -q\n', 'a pytest config changed'],
    ['py/conftest.py', 'import pytest\nimport os\n', 'a root conftest.py changed'],
    ['config/flags.yaml', 'on: false\n', 'a file of unknown kind changed'],
  ];
  for (const [file, text, reason] of cases) {
    it(`runs every test, saying why, when ${file} changes`, async () => {
      const dir = await gitRepo(base);
      await change(dir, { [file]: text });
      const document = await selectJson(dir);
      expect(document.runAll?.files).toEqual([file]);
      expect(document.runAll?.reason).toContain(reason);
      expect(document.selected.map((s) => s.file)).toEqual(['py/tests/test_x.py', 'tests/a.test.ts', 'tests/b.test.ts']);
      const run = await select(dir);
      expect(run.list).toEqual(['py/tests/test_x.py', 'tests/a.test.ts', 'tests/b.test.ts']);
      expect(run.err).toContain(reason);
    });
  }

  it('ignores documentation changes and selects nothing, with exit 0 and empty output', async () => {
    const dir = await gitRepo(base);
    await change(dir, { 'README.md': '# app\n\nMore words.\n' });
    const run = await select(dir);
    expect([run.code, run.out]).toEqual([0, '']);
    const document = await selectJson(dir);
    expect(document.runAll).toBeNull();
    expect(document.selected).toEqual([]);
  });

  it('runs everything when the base is missing and --on-missing-base=all says so', async () => {
    const dir = await gitRepo(base);
    const document = await selectJson(dir, ['--since', 'no-such-branch', '--on-missing-base=all']);
    expect(document.runAll?.reason).toContain('no-such-branch');
    expect(document.selected).toHaveLength(3);
  });
});

describe('select: deletions and renames', () => {
  it('selects the importers of a deleted module', async () => {
    const dir = await gitRepo(base);
    await change(dir, { 'src/b.ts': null });
    const document = await selectJson(dir);
    expect(document.changed).toEqual([{ path: 'src/b.ts', status: 'deleted' }]);
    expect(document.selected.map((s) => [s.file, s.reasons[0]!.chain])).toEqual([['tests/b.test.ts', ['src/b.ts', 'tests/b.test.ts']]]);
  });

  it('selects the importers of the old path of a renamed module', async () => {
    const dir = await gitRepo({ ...base, 'src/b.ts': 'export const b = 1;\n// a longer file, so that git sees a rename\n// and not a delete plus an add\n' });
    git(dir, 'mv', 'src/b.ts', 'src/c.ts');
    git(dir, 'commit', '-q', '-m', 'rename');
    const document = await selectJson(dir, ['--since', 'HEAD~1']);
    expect(document.changed).toEqual([{ path: 'src/c.ts', status: 'renamed', oldPath: 'src/b.ts' }]);
    expect(document.selected.map((s) => s.file)).toEqual(['tests/b.test.ts']);
  });

  it('selects the importers of a deleted Python module and ignores a deleted test', async () => {
    const dir = await gitRepo({
      'pytest.ini': '[pytest]\n',
      'app/__init__.py': '',
      'app/rates.py': 'RATE = 1\n',
      'tests/test_rates.py': 'from app.rates import RATE\n',
      'tests/test_gone.py': 'def test_x():\n    pass\n',
    });
    await change(dir, { 'app/rates.py': null, 'tests/test_gone.py': null });
    expect((await select(dir)).list).toEqual(['tests/test_rates.py']);
  });
});

describe('select: the testpace config', () => {
  it('adds declared edges, run-all globs and ignore globs from testpace.config.json', async () => {
    const dir = await gitRepo({
      ...base,
      'testpace.config.json': JSON.stringify({ edges: [{ from: 'schema/*.sql', to: ['tests/b.test.ts'] }], runAll: ['src/b.ts'], ignore: ['config/**'] }),
      'schema/users.sql': 'create table users (id int);\n',
    });
    await change(dir, { 'schema/users.sql': 'create table users (id bigint);\n' });
    expect((await selectJson(dir)).selected.map((s) => [s.file, s.reasons[0]!.edges])).toEqual([['tests/b.test.ts', ['config']]]);
    await change(dir, { 'schema/users.sql': 'create table users (id int);\n', 'config/flags.yaml': 'on: false\n' });
    expect((await select(dir)).list).toEqual([]);
    await change(dir, { 'src/b.ts': 'export const b = 2;\n' });
    expect((await selectJson(dir)).runAll?.reason).toContain('runAll glob of testpace.config.json');
  });

  it('reads the config from package.json "testpace" and from [tool.testpace] in pyproject.toml', async () => {
    const js = await gitRepo({ ...base, 'package.json': JSON.stringify({ name: 'app', scripts: { test: 'vitest run' }, testpace: { ignore: ['config/**'] } }) });
    await change(js, { 'config/flags.yaml': 'on: false\n' });
    expect((await selectJson(js)).runAll).toBeNull();
    const py = await gitRepo({
      'pyproject.toml': '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n\n[tool.testpace]\nedges = [{ from = "sql/*.sql", to = ["tests/test_db.py"] }]\n',
      'sql/q.sql': 'select 1;\n',
      'tests/test_db.py': 'def test_db():\n    pass\n',
      'tests/test_other.py': 'def test_other():\n    pass\n',
    });
    await change(py, { 'sql/q.sql': 'select 2;\n' });
    expect((await select(py)).list).toEqual(['tests/test_db.py']);
  });

  it('rejects a config with an unknown setting: one line naming the file, exit 2', async () => {
    const dir = await gitRepo({ ...base, 'testpace.config.json': JSON.stringify({ ignor: ['x'] }) });
    const run = await select(dir);
    expect(run.code).toBe(2);
    expect(run.err).toBe('testpace-select: testpace.config.json at $.ignor: unknown setting "ignor"; expected edges, runAll, ignore or tests\n');
  });
});

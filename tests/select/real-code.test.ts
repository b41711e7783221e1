// The misses issue 14 found on real projects (Python packages, a build step, paths and warnings),
// each on a real git repository: every one failed before select learnt it.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { change, edgesOf, gitRepo, removeRepos, select, selectJson } from './select-helpers.ts';

afterAll(removeRepos);

const pytestProject = {
  'pyproject.toml': '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
  'src/pkg/__init__.py': 'from .core import run\n',
  'src/pkg/core.py': 'def run():\n    return 1\n',
};

describe('select on real code: Python', () => {
  it("selects every test module below a test package's __init__.py (Python runs it before each of them)", async () => {
    const dir = await gitRepo({
      ...pytestProject,
      'tests/utils/__init__.py': '',
      'tests/utils/test_echo.py': 'def test_echo():\n    pass\n',
      'tests/utils/deeper/__init__.py': '',
      'tests/utils/deeper/test_pager.py': 'def test_pager():\n    pass\n',
      'tests/test_core.py': 'from pkg import run\n',
    });
    await change(dir, { 'tests/utils/__init__.py': 'raise RuntimeError("broken")\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => [s.file, s.reasons[0]!.edges])).toEqual([
      ['tests/utils/deeper/test_pager.py', ['package-init']],
      ['tests/utils/test_echo.py', ['package-init']],
    ]);
  });

  it('widens a computed import to every module the pattern can name, instead of narrowing', async () => {
    // attrs' lazy submodules: __getattr__ loads importlib.import_module(f".{name}", mod_name).
    const dir = await gitRepo({
      'pyproject.toml': '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
      'src/attr/__init__.py': [
        'import importlib',
        '',
        'def __getattr__(name):',
        '    mod = importlib.import_module(f".{name}", __name__)',
        '    return mod',
      ].join('\n'),
      'src/attr/validators.py': 'def instance_of(t):\n    return t\n',
      'src/attr/converters.py': 'def optional(c):\n    return c\n',
      'src/other/__init__.py': '',
      'src/other/tool.py': 'X = 1\n',
      'tests/test_validators.py': 'import attr\n\ndef test_v():\n    assert attr.validators.instance_of(int)\n',
      'tests/test_other.py': 'import other.tool\n',
    });
    await change(dir, { 'src/attr/validators.py': 'raise RuntimeError("broken")\n' });
    const run = await select(dir);
    expect(run.list).toEqual(['tests/test_validators.py']);
    expect(run.err).not.toContain('cannot resolve');
  });

  it('runs the tests of a module that imports a name computed at run time whenever any module changes, and says why', async () => {
    const dir = await gitRepo({
      'pyproject.toml': '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
      'src/plugins/__init__.py': 'import importlib\n\ndef load(name):\n    return importlib.import_module(name)\n',
      'src/shapes/circle.py': 'R = 1\n',
      'tests/test_plugins.py': 'from plugins import load\n',
      'tests/test_plain.py': 'def test_x():\n    pass\n',
    });
    await change(dir, { 'src/shapes/circle.py': 'R = 2\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => s.file)).toEqual(['tests/test_plugins.py']);
    expect(document.selected[0]!.reasons[0]!.chain[1]).toMatch(/^\(any Python module/);
    expect(document.unresolved.map((u) => u.why)).toEqual(['not a literal specifier: every module of the repository counts as its target']);
  });

  it('finds tests in directories git ignores, as the runner collects them', async () => {
    const dir = await gitRepo({ ...pytestProject, '.gitignore': 'tests/generated/\n', 'tests/test_core.py': 'def test_x():\n    pass\n' });
    await change(dir, { 'tests/generated/test_gen.py': 'from pkg.core import run\n\ndef test_gen():\n    assert run() == 1\n' });
    await change(dir, { 'src/pkg/core.py': 'def run():\n    return 2\n' });
    expect((await select(dir)).list).toEqual(['tests/generated/test_gen.py']);
  });

  it("leaves out the files a conftest's collect_ignore lists, and --explain says so", async () => {
    const dir = await gitRepo({
      ...pytestProject,
      'tests/conftest.py': 'collect_ignore = ["test_legacy.py"]\ncollect_ignore_glob = ["*_py2.py"]\n',
      'tests/test_legacy.py': 'from pkg import run\n',
      'tests/sub/test_old_py2.py': 'from pkg import run\n',
      'tests/test_core.py': 'from pkg import run\n',
    });
    await change(dir, { 'src/pkg/core.py': 'def run():\n    return 1\n\nVERSION = 2\n' });
    expect((await select(dir)).list).toEqual(['tests/test_core.py']);
    const explained = await select(dir, ['--explain', 'tests/test_legacy.py']);
    expect(explained.out).toBe('tests/test_legacy.py is not a test file here: the runner leaves it out (tests/conftest.py collect_ignore "test_legacy.py"), so select does too.\n');
  });

  it('prints a path that starts with a dash with ./ so that the runner does not read it as an option', async () => {
    const dir = await gitRepo({ ...pytestProject, 'pyproject.toml': '[tool.pytest.ini_options]\n', '-dir/test_x.py': 'from pkg import run\n' });
    await change(dir, { 'src/pkg/core.py': 'def run():\n    return 1\n\nVERSION = 2\n' });
    expect((await select(dir)).list).toEqual(['./-dir/test_x.py']);
  });

  it('resolves standard-library modules to nothing, quietly, even beside a directory of the same name', async () => {
    const dir = await gitRepo({
      ...pytestProject,
      'tests/typing/test_hints.py': 'import typing\nimport json.decoder\nfrom pkg import run\n',
      'tests/test_core.py': 'import typing\n',
    });
    await change(dir, { 'src/pkg/core.py': 'def run():\n    return 1\n\nVERSION = 2\n' });
    const run = await select(dir);
    expect(run.list).toEqual(['tests/typing/test_hints.py']);
    expect(run.err).not.toContain('warning');
  });
});

describe('select on real code: a build step', () => {
  it('maps an import of a git-ignored build output back to the sources it is built from', async () => {
    const dir = await gitRepo({
      '.gitignore': 'lib/\n',
      'package.json': JSON.stringify({ name: 'md', type: 'module', scripts: { build: 'node esbuild.config.js', test: 'node --test test/unit/*.test.js' } }),
      'src/marked.ts': "export { Lexer } from './Lexer.ts';\n",
      'src/Lexer.ts': 'export class Lexer {}\n',
      'src/helpers/escape.ts': 'export const escape = (s: string) => s;\n',
      'test/unit/lexer.test.js': "import { Lexer } from '../../lib/marked.esm.js';\n",
      'test/unit/other.test.js': "import assert from 'node:assert';\n",
    });
    await change(dir, { 'src/Lexer.ts': 'export class Lexer { x = 1 }\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => [s.file, s.reasons[0]!.chain])).toEqual([['test/unit/lexer.test.js', ['src/Lexer.ts', 'src/marked.ts', 'test/unit/lexer.test.js']]]);
    expect(edgesOf(document, 'test/unit/lexer.test.js')).toEqual(['import', 'build-output']);
    expect(document.unresolved).toEqual([{ file: 'test/unit/lexer.test.js', line: 1, specifier: '../../lib/marked.esm.js', why: 'not in the repository: built from src/marked.ts' }]);
  });

  it('widens to every source of the build when the output cannot be mapped to one source', async () => {
    const dir = await gitRepo({
      '.gitignore': 'dist/\n',
      'package.json': JSON.stringify({ name: 'lib', scripts: { build: 'rollup -c', test: 'mocha' } }),
      'src/a.js': 'module.exports = 1;\n',
      'src/b.js': 'module.exports = 2;\n',
      'test/bundle.js': "const lib = require('../dist/bundle.min.js');\n",
    });
    await change(dir, { 'src/b.js': 'module.exports = 3;\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => [s.file, s.reasons[0]!.chain])).toEqual([['test/bundle.js', ['src/b.js', '(the build of dist/ from src/)', 'test/bundle.js']]]);
  });
});

describe('select on real code: discovery', () => {
  it('fails loudly (exit 2) when a runner is set up but no test file matches what it runs', async () => {
    const dir = await gitRepo({
      'package.json': JSON.stringify({ name: 'x', scripts: { test: 'mocha "spec/**/*.spec.js"' } }),
      'src/a.js': 'module.exports = 1;\n',
      'test/a.js': "require('../src/a');\n",
    });
    await writeFile(path.join(dir, 'src/a.js'), 'module.exports = 2;\n');
    const run = await select(dir);
    expect(run.code).toBe(2);
    expect(run.err).toBe(
      'testpace-select: package.json: mocha is set up here, but no test file matches what it runs (spec/**/*.spec.js)\n' +
        '  give the test command after -- (e.g. -- npx mocha "test/**/*.js"), or the test files with --tests GLOB\n',
    );
  });
});

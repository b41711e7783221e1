// Symbol-level selection for Python (issue 15) on real git repositories: a change inside a body
// selects the users of that name; anything that cannot be followed by name keeps the file rule.
import { afterAll, describe, expect, it } from 'vitest';
import { change, git, gitRepo, removeRepos, select, selectJson } from './select-helpers.ts';

afterAll(removeRepos);

const project = {
  'pyproject.toml': '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
  'src/pkg/__init__.py': 'from .core import run, Engine\nfrom .util import helper\n',
  'src/pkg/core.py': [
    'from .util import helper',
    '',
    'LIMIT = 3',
    '',
    'def run(x):',
    '    return helper(x) + 1',
    '',
    'def other(x):',
    '    return x',
    '',
    'class Engine:',
    '    def start(self):',
    '        return "on"',
    '',
    '    def stop(self):',
    '        return "off"',
  ].join('\n'),
  'src/pkg/util.py': 'def helper(x):\n    return x * 2\n\ndef unused(x):\n    return x\n',
  'tests/test_run.py': 'from pkg import run\n\ndef test_run():\n    assert run(1) == 3\n',
  'tests/test_other.py': 'import pkg.core\n\ndef test_other():\n    assert pkg.core.other(1) == 1\n',
  'tests/test_engine.py': 'from pkg import Engine\n\ndef test_engine():\n    assert Engine().stop() == "off"\n',
  'tests/test_helper.py': 'from pkg.util import helper\n\ndef test_helper():\n    assert helper(1) == 2\n',
  'tests/test_nothing.py': 'import pkg\n\ndef test_nothing():\n    assert True\n',
  // An import inside a function (as click's formatting.py imports its TextWrapper).
  'src/pkg/wrap.py': 'class Wrapper:\n    def wrap(self, x):\n        return [x]\n',
  'src/pkg/formatting.py': 'def wrap_text(x):\n    from .wrap import Wrapper\n\n    return Wrapper().wrap(x)\n',
  'tests/test_formatting.py': 'from pkg.formatting import wrap_text\n\ndef test_wrap():\n    assert wrap_text(1) == [1]\n',
};

const core = project['src/pkg/core.py'];

describe('select: Python symbols', () => {
  it('selects only the users of a re-exported function whose body changed, with the names in the chain', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/pkg/util.py': 'def helper(x):\n    return x * 3\n\ndef unused(x):\n    return x\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => [s.file, s.reasons[0]!.chain])).toEqual([
      ['tests/test_helper.py', ['src/pkg/util.py::helper', 'tests/test_helper.py']],
      ['tests/test_run.py', ['src/pkg/util.py::helper', 'src/pkg/core.py::run', 'tests/test_run.py']],
    ]);
    expect(document.selected[1]!.reasons[0]!.edges).toEqual(['symbol', 'symbol']);
    // --granularity file keeps the importers' rule.
    expect((await select(dir, ['--granularity', 'file'])).list).toHaveLength(6);
  });

  it('selects every importer for a module-level change', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/pkg/core.py': core.replace('LIMIT = 3', 'LIMIT = 4') });
    expect((await select(dir)).list).toEqual(['tests/test_engine.py', 'tests/test_formatting.py', 'tests/test_helper.py', 'tests/test_nothing.py', 'tests/test_other.py', 'tests/test_run.py']);
  });

  it('follows an import inside a function body to the users of that function', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/pkg/wrap.py': project['src/pkg/wrap.py'].replace('[x]', '[x, x]') });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => [s.file, s.reasons[0]!.chain])).toEqual([['tests/test_formatting.py', ['src/pkg/wrap.py::Wrapper', 'src/pkg/formatting.py::wrap_text', 'tests/test_formatting.py']]]);
  });

  it('selects the users of a class when one of its methods changes, and finds attribute chains (pkg.core.other)', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/pkg/core.py': core.replace('return "on"', 'return "ON"') });
    expect((await select(dir)).list).toEqual(['tests/test_engine.py']);
    await change(dir, { 'src/pkg/core.py': core.replace('    return x\n', '    return -x\n') });
    expect((await select(dir)).list).toEqual(['tests/test_other.py']);
  });

  it('widens where a name cannot be followed: getattr on a module, the module passed as an object, a subprocess, a call at import', async () => {
    const dir = await gitRepo({
      ...project,
      'tests/test_getattr.py': 'import pkg.util\n\ndef test_it():\n    assert getattr(pkg.util, "helper")(1) == 2\n',
      'tests/test_object.py': 'from pkg import util\n\ndef check(module):\n    return module.helper(1)\n\ndef test_it():\n    assert check(util) == 2\n',
      'tests/test_cli.py': 'import subprocess\nimport pkg.util\n\ndef test_cli():\n    subprocess.run(["python", "-m", "pkg"])\n',
      'src/pkg/table.py': 'from .util import unused\n\nTABLE = unused(3)\n',
      'tests/test_table.py': 'from pkg.table import TABLE\n',
    });
    await change(dir, { 'src/pkg/util.py': 'def helper(x):\n    return x * 2\n\ndef unused(x):\n    return -x\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => s.file)).toEqual(['tests/test_cli.py', 'tests/test_getattr.py', 'tests/test_object.py', 'tests/test_table.py']);
    expect(document.selected.find((s) => s.file === 'tests/test_table.py')!.reasons[0]!.chain).toEqual(['src/pkg/util.py::unused', 'src/pkg/table.py', 'tests/test_table.py']);
  });

  it('compares a committed change with the merge base, and counts a file that does not parse as module-level', async () => {
    const dir = await gitRepo(project);
    git(dir, 'checkout', '-q', '-b', 'feature');
    await change(dir, { 'src/pkg/util.py': 'def helper(x):\n    return x * 3\n\ndef unused(x):\n    return x\n' });
    git(dir, 'commit', '-q', '-am', 'helper');
    expect((await select(dir, ['--since', 'main'])).list).toEqual(['tests/test_helper.py', 'tests/test_run.py']);
    await change(dir, { 'src/pkg/util.py': 'def helper(x):\n    return x * (\n' });
    expect((await select(dir, ['--since', 'main'])).list).toHaveLength(6);
  });
});

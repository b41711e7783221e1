// pytest discovery (tools/select/runners/pytest.ts) on real git repositories.
import { afterAll, describe, expect, it } from 'vitest';
import { change, gitRepo, removeRepos, select } from '../select-helpers.ts';

afterAll(removeRepos);

describe('select: pytest discovery', () => {
  const files = {
    'pyproject.toml': '[tool.pytest.ini_options]\ntestpaths = ["tests"]\npython_files = ["check_*.py"]\n',
    'src/pkg/__init__.py': '',
    'src/pkg/core.py': 'X = 1\n',
    'tests/check_core.py': 'from pkg.core import X\n',
    'tests/unit/check_unit.py': 'from pkg.core import X\n',
    'tests/build/check_built.py': 'from pkg.core import X\n',
    'other/check_elsewhere.py': 'from pkg.core import X\n',
  };

  it('takes testpaths and python_files from pyproject.toml, and skips norecursedirs (build/)', async () => {
    const dir = await gitRepo(files);
    await change(dir, { 'src/pkg/core.py': 'X = 2\n' });
    expect((await select(dir)).list).toEqual(['tests/check_core.py', 'tests/unit/check_unit.py']);
  });

  it('takes the paths of the test command after -- instead of testpaths', async () => {
    const dir = await gitRepo(files);
    await change(dir, { 'src/pkg/core.py': 'X = 2\n' });
    expect((await select(dir, ['--', 'python', '-m', 'pytest', '-q', 'tests/unit'])).list).toEqual(['tests/unit/check_unit.py']);
  });
});

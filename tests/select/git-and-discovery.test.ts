// Where the changes come from (git ranges, the working tree, --files) and how tests are discovered.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binary } from '../helpers.ts';
import { change, git, gitRepo, removeRepos, scratchDir, select, selectJson } from './select-helpers.ts';

afterAll(removeRepos);

const project = {
  'package.json': JSON.stringify({ name: 'app', type: 'module', scripts: { test: 'node --test' } }),
  'src/a.js': 'export const a = 1;\n',
  'src/b.js': 'export const b = 1;\n',
  'src/c.js': 'export const c = 1;\n',
  'tests/a.test.js': "import { a } from '../src/a.js';\n",
  'tests/b.test.js': "import { b } from '../src/b.js';\n",
  'tests/c.test.js': "import { c } from '../src/c.js';\n",
};

describe('select: changes from git', () => {
  it('takes the merge base of --since with HEAD, plus staged, unstaged and untracked files', async () => {
    const dir = await gitRepo(project);
    git(dir, 'checkout', '-q', '-b', 'feature');
    await change(dir, { 'src/a.js': 'export const a = 2;\n' });
    git(dir, 'commit', '-q', '-am', 'a');
    // main moves on after the branch point: its changes are not ours.
    git(dir, 'checkout', '-q', 'main');
    await change(dir, { 'src/c.js': 'export const c = 2;\n' });
    git(dir, 'commit', '-q', '-am', 'c on main');
    git(dir, 'checkout', '-q', 'feature');
    await change(dir, { 'src/b.js': 'export const b = 2;\n', 'tests/new.test.js': "import { b } from '../src/b.js';\n" });
    git(dir, 'add', 'src/b.js');
    const document = await selectJson(dir, ['--since', 'main']);
    expect(document.changed).toEqual([
      { path: 'src/a.js', status: 'modified' },
      { path: 'src/b.js', status: 'modified' },
      { path: 'tests/new.test.js', status: 'untracked' },
    ]);
    expect(document.base?.mergeBase).toBe(git(dir, 'merge-base', 'main', 'HEAD').trim());
    expect(document.selected.map((s) => s.file)).toEqual(['tests/a.test.js', 'tests/b.test.js', 'tests/new.test.js']);
    expect(document.selected.find((s) => s.file === 'tests/new.test.js')!.reasons[0]).toEqual({ changed: 'tests/new.test.js', chain: ['tests/new.test.js'], edges: [] });
    expect((await select(dir, ['--since', 'main', '--committed-only'])).list).toEqual(['tests/a.test.js']);
  });

  it('uses the upstream of the current branch by default', async () => {
    const origin = await gitRepo(project);
    const clone = await scratchDir('testpace-select-clone-');
    git(clone, 'clone', '-q', origin, 'work');
    const work = path.join(clone, 'work');
    await change(work, { 'src/c.js': 'export const c = 3;\n' });
    git(work, 'commit', '-q', '-am', 'c');
    const document = await selectJson(work);
    expect(document.base?.ref).toBe('origin/main');
    expect(document.selected.map((s) => s.file)).toEqual(['tests/c.test.js']);
  });

  it('fails with the fetch command to run when a shallow clone lacks the base', async () => {
    const origin = await gitRepo(project);
    for (const n of [2, 3, 4]) {
      await change(origin, { 'src/a.js': `export const a = ${n};\n` });
      git(origin, 'commit', '-q', '-am', `a${n}`);
    }
    const root = await scratchDir('testpace-select-shallow-');
    git(root, 'clone', '-q', '--depth', '1', `file://${origin}`, 'work');
    const work = path.join(root, 'work');
    const run = await select(work, ['--since', 'HEAD~2']);
    expect(run.code).toBe(2);
    expect(run.err.split('\n')[0]).toBe('testpace-select: git: the base HEAD~2 is not known here (this is a shallow clone)');
    expect(run.err).toContain('git fetch --deepen=200 origin (or git fetch --unshallow), or pass --on-missing-base=all');
  });

  it('takes the changed files from --files and from stdin', async () => {
    const dir = await gitRepo(project);
    expect((await select(dir, ['--files', 'src/a.js', 'src/c.js'])).list).toEqual(['tests/a.test.js', 'tests/c.test.js']);
    expect((await select(dir, ['--files', '-'], { stdin: 'src/b.js\nsrc/gone.js\n' })).list).toEqual(['tests/b.test.js']);
    const document = await selectJson(dir, ['--files', 'src/b.js']);
    expect(document.base).toBeNull();
  });

  it('works outside git with --files, and says what to do without it', async () => {
    const dir = await scratchDir('testpace-select-nogit-');
    const { writeTree } = await import('../helpers.ts');
    await writeTree(dir, project);
    expect((await select(dir, ['--files', 'src/b.js'])).list).toEqual(['tests/b.test.js']);
    const run = await select(dir);
    expect(run.code).toBe(2);
    expect(run.err).toContain('not inside a git repository');
    expect(run.err).toContain('--files');
  });
});

describe('select: test discovery', () => {
  it('discovers tests the way each runner does, and --tests overrides', async () => {
    const dir = await gitRepo({
      'jestapp/package.json': JSON.stringify({ name: 'j', jest: { roots: ['<rootDir>/checks'], testRegex: '\\.check\\.js$' } }),
      'jestapp/checks/a.check.js': "require('../lib');\n",
      'jestapp/checks/a.test.js': "require('../lib');\n",
      'jestapp/lib.js': 'module.exports = 1;\n',
      'mochaapp/.mocharc.json': JSON.stringify({ spec: ['spec/**/*.spec.js'] }),
      'mochaapp/package.json': JSON.stringify({ name: 'm', scripts: { test: 'mocha' } }),
      'mochaapp/spec/x.spec.js': "require('../lib');\n",
      'mochaapp/spec/helper.js': "require('../lib');\n",
      'mochaapp/lib.js': 'module.exports = 1;\n',
      'nodeapp/package.json': JSON.stringify({ name: 'n', scripts: { test: 'node --test' } }),
      'nodeapp/test/x.js': "require('../lib');\n",
      'nodeapp/y_test.mjs': "import '../nodeapp/lib.js';\n",
      'nodeapp/lib.js': 'module.exports = 1;\n',
      'batsapp/t.bats': '@test "x" { source "$BATS_TEST_DIRNAME/lib.sh"; }\n',
      'batsapp/lib.sh': 'x=1\n',
    });
    await change(dir, { 'jestapp/lib.js': '2\n', 'mochaapp/lib.js': '2\n', 'nodeapp/lib.js': '2\n', 'batsapp/lib.sh': 'x=2\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => s.file)).toEqual(['batsapp/t.bats', 'jestapp/checks/a.check.js', 'mochaapp/spec/x.spec.js', 'nodeapp/test/x.js', 'nodeapp/y_test.mjs']);
    expect((await select(dir, ['--tests', '**/helper.js'])).list).toEqual(['mochaapp/spec/helper.js']);
  });

  it('lists tests relative to the current directory, only those under it', async () => {
    const dir = await gitRepo({
      'one/package.json': JSON.stringify({ name: 'one', scripts: { test: 'node --test' } }),
      'one/shared.js': 'module.exports = 1;\n',
      'one/a.test.js': "require('./shared');\n",
      'two/package.json': JSON.stringify({ name: 'two', scripts: { test: 'node --test' } }),
      'two/b.test.js': "require('../one/shared');\n",
    });
    await change(dir, { 'one/shared.js': 'module.exports = 2;\n' });
    expect((await select(dir)).list).toEqual(['one/a.test.js', 'two/b.test.js']);
    expect((await select(dir, [], { cwd: path.join(dir, 'two') })).list).toEqual(['b.test.js']);
    expect((await select(dir, ['--tests', '*.test.js'], { cwd: path.join(dir, 'two') })).list).toEqual(['b.test.js']);
    // and the real binary, piped into xargs as the docs show
    const listed = execFileSync('sh', ['-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(binary('select'))} -0 | xargs -0 -r ls`], { cwd: path.join(dir, 'one'), encoding: 'utf8' });
    expect(listed).toBe('a.test.js\n');
  });
});

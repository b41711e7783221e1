// The pre-commit hook of docs/recipes.md, taken from the doc as written and run by git on a copy of
// the pytest example, with the built testpace-select on PATH.
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { binary, examplesDir, repoRoot, tempDir } from '../helpers.ts';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The hook's script: the sh block of docs/recipes.md that starts with `# pre-commit:`. */
async function hookFromDocs(): Promise<string> {
  const doc = await readFile(path.join(repoRoot, 'docs', 'recipes.md'), 'utf8');
  const block = /```sh\n(#!\/bin\/sh\n# pre-commit:[\s\S]*?)```/.exec(doc);
  if (!block) throw new Error('docs/recipes.md has no pre-commit hook block');
  return block[1] ?? '';
}

/** A copy of the pytest example as a git repo with the hook installed, and an env to commit in. */
async function repoWithHook(): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const root = await tempDir('testpace-hook-');
  const dir = path.join(root, 'repo');
  await cp(path.join(examplesDir, 'pytest'), dir, { recursive: true, filter: (source) => !/(__pycache__|\.pytest_cache)$/.test(source) });
  const bin = path.join(root, 'bin');
  await mkdir(bin);
  await writeFile(path.join(bin, 'testpace-select'), `#!/bin/sh\nexec "${process.execPath}" "${binary('select')}" "$@"\n`);
  await chmod(path.join(bin, 'testpace-select'), 0o755);
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    TEST_CMD: 'python3 -m pytest -v -p no:cacheprovider',
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@localhost',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@localhost',
  };
  await run('git', ['init', '-q', '-b', 'main'], dir, env);
  await run('git', ['add', '-A'], dir, env);
  expect((await run('git', ['commit', '-qm', 'suite', '--no-verify'], dir, env)).code).toBe(0);
  const hook = path.join(dir, '.git', 'hooks', 'pre-commit');
  await writeFile(hook, await hookFromDocs());
  await chmod(hook, 0o755);
  return { dir, env };
}

const filesRun = (output: string): string[] =>
  [...new Set([...output.matchAll(/^(tests\/[\w/]+\.py)::\S+ (?:PASSED|FAILED|ERROR)/gm)].map((match) => match[1] ?? ''))].sort();

describe('the pre-commit hook of docs/recipes.md', () => {
  it('runs only the tests the staged change can break, and lets a passing commit through', async () => {
    const { dir, env } = await repoWithHook();
    const expected = JSON.parse(await readFile(path.join(examplesDir, 'pytest', 'expected.json'), 'utf8')) as { imports: Record<string, string[]> };
    const labels = path.join(dir, 'src', 'labels.py');
    await writeFile(labels, (await readFile(labels, 'utf8')) + '\n# reworded\n');
    await run('git', ['add', 'src/labels.py'], dir, env);
    const commit = await run('git', ['commit', '-m', 'labels'], dir, env);
    expect(commit.code, commit.stderr).toBe(0);
    expect(filesRun(commit.stdout + commit.stderr)).toEqual([...(expected.imports['src/labels.py'] ?? [])].sort());
  });

  it('stops a commit that breaks an affected test', async () => {
    const { dir, env } = await repoWithHook();
    const labels = path.join(dir, 'src', 'labels.py');
    const source = await readFile(labels, 'utf8');
    // Every function of labels.py now returns None: its tests fail.
    const broken = source.replace(/^(def \w+\([^)]*\)[^:]*:\n)/gm, '$1    return None\n');
    expect(broken).not.toBe(source);
    await writeFile(labels, broken);
    await run('git', ['add', 'src/labels.py'], dir, env);
    const head = (await run('git', ['rev-parse', 'HEAD'], dir, env)).stdout;
    const commit = await run('git', ['commit', '-m', 'break labels'], dir, env);
    expect(commit.code).not.toBe(0);
    expect(commit.stdout + commit.stderr).toMatch(/FAILED/);
    expect((await run('git', ['rev-parse', 'HEAD'], dir, env)).stdout).toBe(head);
  });

  it('lets a commit through when nothing is staged for a test', async () => {
    const { dir, env } = await repoWithHook();
    const commit = await run('git', ['commit', '--allow-empty', '-m', 'empty'], dir, env);
    expect(commit.code, commit.stderr).toBe(0);
    expect(filesRun(commit.stdout + commit.stderr)).toEqual([]);
  });
});

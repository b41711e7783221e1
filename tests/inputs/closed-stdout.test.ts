// Issue 17, item 1: a reader that goes away (`| head -1`) ends each tool quietly, with the exit code
// its result would have had: no EPIPE stack trace, and no exit 1 that the result did not earn.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, repoRoot, tempDir, writeTree } from '../helpers.ts';
import { change, gitRepo, removeRepos } from '../select/select-helpers.ts';

afterAll(removeRepos);

/** Runs a tool like `tool args | head -1`: the first line read, then the pipe closed. */
function firstLineOnly(tool: string, args: string[], cwd: string): Promise<{ code: number | null; first: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binary(tool), ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      first += chunk.toString();
      if (first.includes('\n')) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, first: first.split('\n')[0]!, stderr }));
  });
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir('testpace-closed-stdout-');
  // 4,000 tests: far more output than a pipe holds, so the tool meets the closed pipe.
  const sample = JSON.parse(await readFile(path.join(repoRoot, 'tests/fixtures/report/pytest-new.json'), 'utf8')) as { tests: Array<Record<string, unknown>> };
  sample.tests = Array.from({ length: 200 }, (_, i) => sample.tests.map((t) => ({ ...t, name: `${String(t.name)}_${i}`, id: `${String(t.id)}_${i}` }))).flat();
  await writeFile(path.join(dir, 'big.json'), JSON.stringify(sample));
});

const noTrace = (stderr: string) => {
  expect(stderr).not.toContain('EPIPE');
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe('a closed stdout', () => {
  it('ends report --top 100000 with exit 0', async () => {
    const result = await firstLineOnly('report', ['big.json', '--top', '100000'], dir);
    expect(result.first).toBe('== Profile · big.json');
    noTrace(result.stderr);
    expect(result.code).toBe(0);
  });

  it('ends report --format json of a comparison with exit 0', async () => {
    const result = await firstLineOnly('report', ['big.json', 'big.json', '--format', 'json'], dir);
    expect(result.first).toBe('{');
    noTrace(result.stderr);
    expect(result.code).toBe(0);
  });

  it('ends profile with the exit code of the run', async () => {
    await writeTree(dir, { 'many.test.mjs': "import test from 'node:test';\nfor (let i = 0; i < 1000; i++) test(`case ${i}`, () => {});\n" });
    const result = await firstLineOnly('profile', ['-q', '--', 'node', '--test', 'many.test.mjs'], dir);
    expect(result.first).toBe('{');
    noTrace(result.stderr);
    expect(result.code).toBe(0);
  });

  it('ends optimize with exit 0', async () => {
    const result = await firstLineOnly('optimize', ['many.test.mjs', '--profile', 'big.json'], dir);
    expect(result.first).toBe('{');
    noTrace(result.stderr);
    expect(result.code).toBe(0);
  });

  it('ends select --format json and --explain with the exit code of their result', async () => {
    const files: Record<string, string> = { 'package.json': JSON.stringify({ name: 'app', type: 'module', scripts: { test: 'node --test' } }), 'src/core.js': 'export const core = 1;\n' };
    for (let i = 0; i < 400; i++) files[`tests/t${i}.test.js`] = "import '../src/core.js';\n";
    const repo = await gitRepo(files);
    await change(repo, { 'src/core.js': 'export const core = 2;\n' });
    const json = await firstLineOnly('select', ['--format', 'json'], repo);
    expect(json.first).toBe('{');
    noTrace(json.stderr);
    expect(json.code).toBe(0);
    const explained = await firstLineOnly('select', ['--explain', 'tests/t1.test.js'], repo);
    expect(explained.first).toBe('tests/t1.test.js is selected (1 chain, nearest change 1 edge away):');
    noTrace(explained.stderr);
    expect(explained.code).toBe(0); // selected: 0, whatever became of the pipe
  });
});

// Ctrl-C on a Node runner: vitest's worker processes must not outlive the interrupted run.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import type { ProfileDocument } from '../../tools/profile/built-document.ts';
import { binary, processAlive, repoRoot, tempDir, writeTree } from '../helpers.ts';

async function until(probe: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('profile interrupted with SIGINT', () => {
  it('stops vitest and its workers, exits 130 and writes an interrupted document', async () => {
    const dir = await tempDir();
    const pids = await tempDir();
    await writeTree(dir, {
      'quick.test.mjs': "import { test } from 'vitest';\ntest('quick', () => {});\n",
      'hang.test.mjs': [
        "import { writeFileSync } from 'node:fs';",
        "import { test } from 'vitest';",
        "test('hangs', async () => {",
        `  writeFileSync(${JSON.stringify(pids)} + '/worker-' + process.pid, '');`,
        '  await new Promise((resolve) => setTimeout(resolve, 60_000));',
        '}, 120_000);',
        '',
      ].join('\n'),
    });
    const vitest = path.join(repoRoot, 'node_modules', '.bin', 'vitest');
    const child = spawn(process.execPath, [binary('profile'), '--', vitest, 'run', '--root', dir], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await until(async () => (await readdir(pids)).length > 0, 60_000);
    const workers = (await readdir(pids)).map((f) => Number(f.split('-')[1]));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const document = validateDocument<ProfileDocument>(JSON.parse(stdout), 'stdout', ['profile']);
    expect(document.status).toBe('interrupted');
    expect(document.runs[0]!.interrupted).toBe(true);
    expect(document.warnings!.join('\n')).toMatch(/stopped by SIGINT/);
    await until(async () => workers.every((pid) => !processAlive(pid)), 5000);
  });
});

describe('profile interrupted twice', () => {
  it('kills a command that ignores the forwarded signal at the second Ctrl-C, without waiting out the grace period', async () => {
    const dir = await tempDir();
    const script = "trap '' INT TERM; echo started > started; sleep 60";
    const child = spawn(process.execPath, [binary('profile'), '--junit', 'report.xml', '--', 'sh', '-c', script], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await until(async () => (await readdir(dir)).includes('started'), 30_000);
    const first = Date.now();
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(child.exitCode).toBeNull(); // the command ignored the forwarded SIGINT: still waiting
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(Date.now() - first).toBeLessThan(4000); // the grace period (--kill-after) is 10 s
    const document = validateDocument<ProfileDocument>(JSON.parse(stdout), 'stdout', ['profile']);
    expect(document.status).toBe('interrupted');
    expect(document.runs[0]!.signal).toBe('SIGKILL');
  });
});

// Issue 17: no error reaches a user as Node's stack trace without --debug. Every tool's executable
// starts in lib/entry.ts (tools/*/bin.ts); an error that escapes the tool's own handling (thrown in a
// callback, a rejection nobody awaited) is still one line and exit 2 there.
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers.ts';

/** Runs, as a tool named testpace-crash, an entry whose run ends the way `body` says. */
async function crash(body: string, args: string[] = []) {
  const dir = await tempDir('testpace-crash-');
  const script = path.join(dir, 'testpace-crash.ts');
  await writeFile(
    script,
    `import { runEntry } from ${JSON.stringify(path.join(repoRoot, 'lib/entry.ts'))};\n` +
      `void runEntry(async () => ({ cli: async () => { ${body} } }));\n`,
  );
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/run-ts.mjs'), script, ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { code: result.status, stderr: result.stderr };
}

const oneLine = 'testpace-crash: internal error: boom\n  this is a bug in testpace; run again with --debug for the stack trace\n';

describe('errors that escape a tool', () => {
  it('an exception thrown in a callback is one line and exit 2', async () => {
    expect(await crash("setTimeout(() => { throw new Error('boom'); }, 1); await new Promise((r) => setTimeout(r, 1000)); return 0;")).toEqual({ code: 2, stderr: oneLine });
  });

  it('a rejection nobody awaited is one line and exit 2', async () => {
    expect(await crash("void Promise.reject(new Error('boom')); await new Promise((r) => setTimeout(r, 1000)); return 0;")).toEqual({ code: 2, stderr: oneLine });
  });

  it('a failure to load the command line is one line and exit 2; --debug shows the stack', async () => {
    expect(await crash("throw new Error('boom');")).toEqual({ code: 2, stderr: oneLine });
    const debug = await crash("throw new Error('boom');", ['--debug']);
    expect(debug.stderr).toMatch(/^testpace-crash: internal error: boom\nError: boom\n\s+at /);
  });

  it('every tool starts through runEntry', async () => {
    for (const tool of ['profile', 'mem-profile', 'optimize', 'select', 'report']) {
      expect(await readFile(path.join(repoRoot, 'tools', tool, 'bin.ts'), 'utf8')).toContain("void runEntry(() => import('./cli.ts'));");
    }
  });
});

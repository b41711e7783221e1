// The tools' helper processes (lib/subprocess.ts, lib/git.ts): one error for every way a helper fails.
import { describe, expect, it } from 'vitest';
import { SubprocessError } from '../../lib/errors.ts';
import { git, tryGit } from '../../lib/git.ts';
import { runHelper, runJsonHelper, tryHelper } from '../../lib/subprocess.ts';
import { tempDir } from '../helpers.ts';

const node = process.execPath;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: SubprocessError) => ({ subprocessError: error instanceof SubprocessError, message: error.message, hint: error.hint, exitCode: error.exitCode, signal: error.signal }),
  );

describe('helper processes', () => {
  it('pipes the input in and the output out', async () => {
    const output = await runHelper(node, ['-e', 'process.stdin.pipe(process.stdout); console.error("note")'], { input: 'hello' });
    expect(output).toEqual({ stdout: 'hello', stderr: 'note\n' });
  });

  it('says a helper cannot start, with the hint', async () => {
    expect(await failure(runHelper('/nonexistent/python3', ['-c', ''], { hint: 'install python3' }))).toEqual({
      subprocessError: true,
      message: '/nonexistent/python3: cannot start (ENOENT)',
      hint: 'install python3',
      exitCode: undefined,
      signal: undefined,
    });
  });

  it('names the exit status and the last line of stderr', async () => {
    expect(await failure(runHelper(node, ['-e', 'console.error("first\\nlast words"); process.exit(3)']))).toEqual({
      subprocessError: true,
      message: `${node}: exited with 3: last words`,
      hint: undefined,
      exitCode: 3,
      signal: undefined,
    });
  });

  it('names the signal that killed it', async () => {
    expect(await failure(runHelper(node, ['-e', 'process.kill(process.pid, "SIGKILL")']))).toEqual({
      subprocessError: true,
      message: `${node}: killed by SIGKILL`,
      hint: undefined,
      exitCode: undefined,
      signal: 'SIGKILL',
    });
  });

  it('says a JSON helper wrote no JSON, and reads the JSON it writes', async () => {
    expect(await runJsonHelper(node, ['-e', 'console.log(JSON.stringify({ ok: [1] }))'])).toEqual({ ok: [1] });
    expect((await failure(runJsonHelper(node, ['-e', 'console.log("not json")'])))?.message).toBe(`${node}: wrote no JSON`);
  });

  it('keeps the output of any exit status when asked, and gives null for optional facts', async () => {
    expect(await runHelper(node, ['-e', 'console.error("partial"); process.exit(1)'], { anyExit: true })).toEqual({ stdout: '', stderr: 'partial\n' });
    expect(await tryHelper(node, ['-e', 'process.exit(1)'])).toBeNull();
  });

  it('runs git, rejecting outside a repository and giving null where asked', async () => {
    const dir = await tempDir('testpace-git-');
    expect(await failure(git(dir, ['rev-parse', '--show-toplevel']))).toMatchObject({ subprocessError: true, exitCode: 128 });
    expect(await tryGit(dir, ['rev-parse', '--show-toplevel'])).toBeNull();
    await git(dir, ['init', '-q']);
    expect(await tryGit(dir, ['rev-parse', '--show-toplevel'])).toMatch(new RegExp(`${dir.split('/').pop()}\\n$`));
  });
});

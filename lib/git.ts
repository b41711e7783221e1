// Talking to git: every git command the tools run goes through simple-git here. Its failures become
// the SubprocessError every helper process gives (lib/subprocess.ts), with git's exit status.
import { type SimpleGit, simpleGit } from 'simple-git';
import type { SubprocessError } from './errors.ts';
import { type HelperOptions, helperError } from './subprocess.ts';

type GitOptions = Pick<HelperOptions, 'env' | 'timeoutMs' | 'hint'>;

/** The output of `git args` in `cwd`; rejects with a SubprocessError when git fails. */
export async function git(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<string> {
  let failed: SubprocessError | undefined;
  const fail = (failure: Parameters<typeof helperError>[1], cause?: unknown) =>
    (failed = helperError('git', failure, { hint: options.hint, timeoutMs: options.timeoutMs, cause }));
  let client: SimpleGit;
  try {
    client = simpleGit({
      baseDir: cwd,
      ...(options.timeoutMs ? { timeout: { block: options.timeoutMs } } : {}),
      // simple-git passes the finished process here: its exit status and stderr make our error.
      // (`error` is set when git exited non-zero, or is the Error when it could not start.)
      errors: (error, result) => {
        if (typeof result.exitCode === 'number' && result.exitCode !== 0) return fail({ code: result.exitCode, stderr: Buffer.concat(result.stdErr).toString('utf8') });
        if (error instanceof Error) return fail({ code: /ENOENT/.test(error.message) ? 'ENOENT' : null, stderr: error.message }, error);
        return undefined;
      },
    });
  } catch (error) {
    // simple-git refuses a directory that does not exist before running anything.
    throw fail({ code: 'ENOENT', stderr: String(error) }, error);
  }
  if (options.env) client.env(options.env);
  try {
    return await client.raw([...args]);
  } catch (error) {
    throw failed ?? fail({ code: null, stderr: String(error) }, error);
  }
}

/** The output of `git args`, or null when git fails, prints nothing, or is not installed. */
export async function tryGit(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<string | null> {
  const output = await git(cwd, args, options).catch(() => null);
  return output === null || output.trim() === '' ? null : output;
}

// Talking to git: every git command the tools run goes through here, as a helper process.
import { type HelperOptions, runHelper, tryHelper } from './subprocess.ts';

/** The output of `git args` in `cwd`; rejects with a SubprocessError when git fails. */
export async function git(cwd: string, args: readonly string[], options: Omit<HelperOptions, 'cwd'> = {}): Promise<string> {
  return (await runHelper('git', args, { ...options, cwd })).stdout;
}

/** The output of `git args`, or null when git fails, prints nothing, or is not installed. */
export async function tryGit(cwd: string, args: readonly string[], options: Omit<HelperOptions, 'cwd'> = {}): Promise<string | null> {
  const output = await tryHelper('git', args, { ...options, cwd });
  return output === null || output.trim() === '' ? null : output;
}

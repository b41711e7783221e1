// The git commands every select run needs, run side by side (see changes.ts gitSnapshot).
import { git } from '../../lib/git.ts';

/** The output of `git args` in `cwd`; rejects when git fails. */
export const gitOutput = (cwd: string, args: readonly string[]): Promise<string> => git(cwd, args);

// The commands of a snapshot (see changes.ts gitSnapshot), besides one diff per candidate base.
export const TOP_COMMAND = ['rev-parse', '--show-toplevel', '--is-shallow-repository'];
// --ignored=matching lists ignored files, and ignored directories as one entry (node_modules/): tests the runner collects may live there.
export const STATUS_COMMAND = ['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all', '--ignored=matching'];
export const STAGE_COMMAND = ['ls-files', '--stage', '-z', '--full-name', ':/'];

export const diffCommand = (base: string): string[] => ['diff', '--name-status', '-M', '-z', '--no-color', '--no-ext-diff', `${base}...HEAD`, '--'];

/** The bases to try, in order: --since, else the upstream, else origin/HEAD, else HEAD~1. */
export function baseCandidates(since: string | undefined): string[] {
  return since !== undefined ? [since] : ['@{upstream}', 'origin/HEAD', 'HEAD~1'];
}

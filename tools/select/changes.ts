// What changed: from git (merge base of the base ref and HEAD, plus the working tree), or a list
// given with --files. Renames and deletions come from `--name-status -M`, so the old path of a
// moved file is known and its importers can be selected.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type SimpleGit, simpleGit } from 'simple-git';
import { InputError, UsageError } from '../../lib/errors.ts';

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'untracked' | 'type-changed' | 'unknown';

export interface Change {
  path: string;
  status: ChangeStatus;
  oldPath?: string;
}

export interface Changes {
  base: { ref: string; commit: string | null; mergeBase: string | null } | null;
  head: string | null;
  workingTree: boolean;
  changed: Change[];
  /** Set when the base is not in this (shallow) clone and --on-missing-base=all was given. */
  missingBase: string | null;
}

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export function git(root: string): SimpleGit {
  return simpleGit({ baseDir: root, trimmed: false });
}

/** The top of the git work tree containing `cwd` (and whether the clone is shallow), or null outside one. */
export async function gitRoot(cwd: string): Promise<{ root: string; shallow: boolean } | null> {
  try {
    const [top, shallow] = (await simpleGit({ baseDir: cwd }).revparse(['--show-toplevel', '--is-shallow-repository'])).trim().split('\n');
    return top ? { root: top, shallow: shallow === 'true' } : null;
  } catch {
    return null;
  }
}

const STATUS: Record<string, ChangeStatus> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', C: 'copied', T: 'type-changed' };

// `git diff --name-status -z`: STATUS\0path\0 or R100\0old\0new\0.
function parseNameStatus(output: string): Change[] {
  const parts = output.split('\0');
  const changes: Change[] = [];
  for (let i = 0; i < parts.length - 1; ) {
    const code = parts[i++]!;
    if (!code) continue;
    const status = STATUS[code[0]!] ?? 'unknown';
    if (status === 'renamed' || status === 'copied') {
      const oldPath = parts[i++]!;
      const newPath = parts[i++]!;
      changes.push({ path: newPath, status, oldPath });
    } else changes.push({ path: parts[i++]!, status });
  }
  return changes;
}

async function tryRaw(g: SimpleGit, args: string[]): Promise<string | null> {
  // `--quiet` failures print nothing, and simple-git then resolves with '' instead of rejecting.
  try {
    const output = await g.raw(args);
    return output.trim() === '' ? null : output;
  } catch {
    return null;
  }
}

/** The default base: the upstream of the current branch, else origin/HEAD, else HEAD~1. */
async function defaultBase(g: SimpleGit): Promise<string> {
  const upstream = (await tryRaw(g, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']))?.trim();
  if (upstream) return upstream;
  if ((await tryRaw(g, ['rev-parse', '--verify', '--quiet', 'origin/HEAD'])) !== null) return 'origin/HEAD';
  return 'HEAD~1';
}

export interface GitChangeOptions {
  since: string | undefined;
  committedOnly: boolean;
  onMissingBase: 'error' | 'all';
  shallow: boolean;
}

/**
 * Changes between the merge base of the base ref and HEAD, plus (unless committedOnly) the working
 * tree; and the list of every file git knows. The git commands run in as few rounds as they can:
 * each spawn costs ~10 ms, and select runs on every commit.
 */
export async function gitChanges(root: string, options: GitChangeOptions): Promise<Changes & { files: string[] }> {
  const g = git(root);
  const [head, defaultRef] = await Promise.all([
    tryRaw(g, ['rev-parse', '--verify', '--quiet', 'HEAD']).then((out) => out?.trim() || null),
    options.since === undefined ? defaultBase(g) : Promise.resolve(options.since),
  ]);
  const ref = options.since ?? (head ? defaultRef : 'HEAD');
  const shallow = options.shallow;
  let base: Changes['base'] = { ref, commit: null, mergeBase: null };
  let missingBase: string | null = null;
  let mergeBase: string | null = null;
  if (head) {
    const [found, commit] = await Promise.all([
      tryRaw(g, ['merge-base', ref, 'HEAD']).then((out) => out?.trim() || null),
      tryRaw(g, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).then((out) => out?.trim() || null),
    ]);
    mergeBase = found;
    if (!mergeBase && !commit && ref === 'HEAD~1' && options.since === undefined && !shallow) {
      mergeBase = EMPTY_TREE; // the first commit of a repository: everything in it is new
    }
    if (!mergeBase) {
      const what = commit ? `the merge base of ${ref} and HEAD is not in this clone` : `the base ${ref} is not known here`;
      if (options.onMissingBase === 'all') {
        missingBase = `${what}${shallow ? ' (shallow clone)' : ''}`;
      } else if (shallow || commit) {
        const branch = ref.replace(/^origin\//, '');
        throw new InputError('git', `${what}${shallow ? ' (this is a shallow clone)' : ''}`, {
          hint: `fetch enough history: git fetch --deepen=200 origin ${/^HEAD/.test(branch) ? '' : branch}`.trimEnd() + ' (or git fetch --unshallow), or pass --on-missing-base=all to run every test',
        });
      } else {
        throw new UsageError(`--since ${ref}: ${what}`, 'name a branch, tag or commit, e.g. --since origin/main; or pass --on-missing-base=all');
      }
    }
    base = { ref, commit, mergeBase: mergeBase === EMPTY_TREE ? null : mergeBase };
  }
  const diff = (args: string[]): Promise<Change[]> => g.raw(['diff', '--name-status', '-M', '-z', '--no-color', '--no-ext-diff', ...args]).then(parseNameStatus);
  const none = Promise.resolve<Change[]>([]);
  const [committed, working, staged, untracked, files] = await Promise.all([
    head && mergeBase ? diff([mergeBase, 'HEAD']) : none,
    !options.committedOnly && head ? diff(['HEAD']) : none,
    !options.committedOnly && !head ? diff(['--cached', EMPTY_TREE]) : none,
    !options.committedOnly ? g.raw(['ls-files', '--others', '--exclude-standard', '-z']) : Promise.resolve(''),
    listFiles(root),
  ]);
  const byPath = new Map<string, Change>();
  for (const change of committed) byPath.set(change.path, change);
  for (const change of [...working, ...staged]) {
    const earlier = byPath.get(change.path);
    // A file added in the branch and modified since is still "added".
    byPath.set(change.path, earlier && earlier.status !== 'deleted' && change.status === 'modified' ? earlier : change);
  }
  for (const file of untracked.split('\0')) if (file && !byPath.has(file)) byPath.set(file, { path: file, status: 'untracked' });
  return {
    base,
    head,
    workingTree: !options.committedOnly,
    changed: [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path)),
    missingBase,
    files,
  };
}

/**
 * Changes named directly (--files): relative to `cwd`, or to the repository root (what
 * `git diff --name-only` prints) when only that exists. A path that exists in neither is deleted.
 */
export function listedChanges(root: string, cwd: string, files: string[]): Changes {
  const changed = new Map<string, Change>();
  for (const file of files) {
    const trimmed = file.trim();
    if (!trimmed) continue;
    const fromCwd = path.resolve(cwd, trimmed);
    const fromRoot = path.resolve(root, trimmed);
    const absolute = !existsSync(fromCwd) && existsSync(fromRoot) ? fromRoot : fromCwd;
    const relative = path.relative(root, absolute).split(path.sep).join('/');
    if (relative.startsWith('..')) throw new InputError(trimmed, `is outside the repository ${root}`);
    changed.set(relative, { path: relative, status: existsSync(absolute) ? 'modified' : 'deleted' });
  }
  return { base: null, head: null, workingTree: false, changed: [...changed.values()].sort((a, b) => a.path.localeCompare(b.path)), missingBase: null };
}

/** Every file git knows in the work tree (tracked, plus untracked not ignored). */
export async function listFiles(root: string): Promise<string[]> {
  const output = await git(root).raw(['ls-files', '--cached', '--others', '--exclude-standard', '-z']);
  return [...new Set(output.split('\0').filter(Boolean))];
}

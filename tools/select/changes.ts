// What changed: from git (merge base of the base ref and HEAD, plus the working tree), or a list
// given with --files. Renames and deletions come from `--name-status -M` (committed range) and
// `status --porcelain=v2` (working tree), so the old path of a moved file is known.
//
// select runs on every commit, so git is asked as little as possible: one `status` gives HEAD,
// the upstream, every uncommitted change and the untracked files; one `ls-files --stage` gives
// every tracked file with its blob id — a content hash the graph cache uses as is, so that clean
// files are neither read nor even stat()ed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError, UsageError } from '../../lib/errors.ts';
import { git, tryGit } from '../../lib/git.ts';
import { STAGE_COMMAND, STATUS_COMMAND, TOP_COMMAND, diffCommand, gitOutput } from './git-process.ts';

export { baseCandidates } from './git-process.ts';

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

/** The work tree as git sees it. */
export interface Snapshot {
  /** The candidate bases, probed alongside (see gitSnapshot). */
  probes: BaseProbe[];
  root: string;
  shallow: boolean;
  head: string | null;
  upstream: string | null;
  /** Uncommitted changes against HEAD (staged or not), and untracked files. */
  working: Change[];
  /** Ignored files, and ignored directories (ending in `/`) that git did not descend into. */
  ignored: string[];
  /** `git ls-files --stage` as git printed it: the index, which a warm run's key is made of. */
  stage: string;
  /** Every file in the work tree and the blob ids of clean tracked files; parsed from `stage` on first use. */
  listing(): Listing;
}

export interface Listing {
  /** Every file in the work tree: tracked (minus deleted ones) and untracked-not-ignored. */
  files: string[];
  /** Blob ids of tracked files whose work-tree content is the index content (clean files). */
  blobs: Map<string, string>;
}

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

// The commands every run needs (rev-parse, status, ls-files, the diffs since the candidate bases)
// run all at once, each one git process (lib/git.ts).

/**
 * What git says about one candidate base: the diff from its merge base with HEAD and, when asked
 * (`details`: for the document, or to explain a failure), the merge base and the base commit.
 * `undefined` means not asked; `null` means git does not know it.
 */
interface BaseProbe {
  ref: string;
  mergeBase: string | null | undefined;
  commit: string | null | undefined;
  diff: string | null;
}

async function probeBase(cwd: string, ref: string, details: boolean): Promise<BaseProbe> {
  const [mergeBase, commit, diff] = await Promise.all([
    details ? tryRaw(cwd, ['merge-base', ref, 'HEAD']).then((out) => out?.trim() || null) : undefined,
    details ? tryRaw(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).then((out) => out?.trim() || null) : undefined,
    // `diff A...B` diffs from the merge base; it fails when there is none (or A is unknown).
    gitOutput(cwd, diffCommand(ref)).catch(() => null),
  ]);
  return { ref, mergeBase, commit, diff };
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

// The status of a `status --porcelain=v2` entry from its XY (index, work tree) letters.
function statusOf(xy: string): ChangeStatus {
  if (xy.includes('D')) return 'deleted';
  if (xy[0] === 'R') return 'renamed';
  if (xy[0] === 'C') return 'copied';
  if (xy[0] === 'A') return 'added';
  if (xy.includes('T')) return 'type-changed';
  if (xy.includes('M')) return 'modified';
  return 'unknown';
}

/**
 * The work tree containing `cwd` as git sees it, or null outside a git work tree: the top
 * directory, one `git status`, one `git ls-files --stage`, and the diff since each candidate
 * base, all asked at once — one round of git processes in the common case (a failing candidate
 * costs git a few milliseconds; another round costs select tens).
 */
export async function gitSnapshot(cwd: string, bases: string[], details: boolean): Promise<Snapshot | null> {
  let top: string;
  let status: string;
  let stage: string;
  let probes: BaseProbe[];
  try {
    [top, status, stage, probes] = await Promise.all([
      gitOutput(cwd, TOP_COMMAND),
      // Porcelain paths are relative to the top, from any directory; ls-files needs :/ and --full-name.
      gitOutput(cwd, STATUS_COMMAND),
      gitOutput(cwd, STAGE_COMMAND),
      Promise.all(bases.map((base) => probeBase(cwd, base, details))),
    ]);
  } catch {
    return null;
  }
  const [root, shallow] = top.trim().split('\n');
  if (!root) return null;
  let head: string | null = null;
  let upstream: string | null = null;
  const working: Change[] = [];
  const ignored: string[] = [];
  const parts = status.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!;
    if (entry.startsWith('# branch.oid ')) {
      const oid = entry.slice('# branch.oid '.length);
      head = oid === '(initial)' ? null : oid;
    } else if (entry.startsWith('# branch.upstream ')) upstream = entry.slice('# branch.upstream '.length);
    else if (entry.startsWith('1 ')) working.push({ path: entry.split(' ').slice(8).join(' '), status: statusOf(entry.slice(2, 4)) });
    else if (entry.startsWith('2 ')) {
      const oldPath = parts[++i]!;
      working.push({ path: entry.split(' ').slice(9).join(' '), status: statusOf(entry.slice(2, 4)), oldPath });
    } else if (entry.startsWith('u ')) working.push({ path: entry.split(' ').slice(10).join(' '), status: 'modified' });
    else if (entry.startsWith('? ')) working.push({ path: entry.slice(2), status: 'untracked' });
    else if (entry.startsWith('! ')) ignored.push(entry.slice(2));
  }
  let listing: Listing | undefined;
  return { probes, root, shallow: shallow === 'true', head, upstream, working, ignored, stage, listing: () => (listing ??= parseStage(stage, working)) };
}

function parseStage(stage: string, working: Change[]): Listing {
  const dirty = new Set(working.map((c) => c.path));
  const gone = new Set(working.filter((c) => c.status === 'deleted').map((c) => c.path));
  const blobs = new Map<string, string>();
  const files: string[] = [];
  for (let at = 0; at < stage.length; ) {
    let end = stage.indexOf('\0', at);
    if (end === -1) end = stage.length;
    const tab = stage.indexOf('\t', at);
    if (tab === -1 || tab > end) break;
    const file = stage.slice(tab + 1, end);
    const blobAt = stage.indexOf(' ', at) + 1;
    const conflicted = stage.charCodeAt(tab - 1) !== 48; // stage number other than 0
    const submodule = stage.startsWith('160000 ', at); // a submodule: not a file
    const blob = stage.slice(blobAt, stage.indexOf(' ', blobAt));
    at = end + 1;
    if (conflicted && blobs.has(file)) continue; // a conflicted file lists several stages
    if (submodule) continue;
    if (!gone.has(file)) files.push(file);
    if (!dirty.has(file)) blobs.set(file, blob);
  }
  for (const change of working) if (change.status === 'untracked') files.push(change.path);
  return { files: [...new Set(files)], blobs };
}

// null when git fails or prints nothing (`--quiet` failures print nothing).
const tryRaw = (cwd: string, args: string[]): Promise<string | null> => tryGit(cwd, args);

export interface GitChangeOptions {
  since: string | undefined;
  committedOnly: boolean;
  onMissingBase: 'error' | 'all';
}

/**
 * Changes between the merge base of the base ref (default: the upstream of the current branch,
 * else origin/HEAD, else HEAD~1) and HEAD, plus (unless committedOnly) the working tree.
 * `git diff REF...HEAD` diffs from the merge base, so it runs alongside `merge-base` itself.
 */
export async function gitChanges(snapshot: Snapshot, options: GitChangeOptions): Promise<Changes> {
  const root = snapshot.root;
  const { head, shallow } = snapshot;
  let ref = options.since ?? 'HEAD~1';
  let base: Changes['base'] = null;
  let missingBase: string | null = null;
  let committed: Change[] = [];
  if (head) {
    let mergeBase: string | null | undefined = null;
    let commit: string | null | undefined = null;
    let found = false;
    for (const probe of snapshot.probes) {
      if (probe.diff === null) continue;
      ref = probe.ref === '@{upstream}' ? (snapshot.upstream ?? probe.ref) : probe.ref;
      [mergeBase, commit] = [probe.mergeBase, probe.commit];
      committed = parseNameStatus(probe.diff);
      found = true;
      break;
    }
    if (!found) {
      // Say why: is the base unknown, or its merge base missing (a shallow clone)?
      ref = snapshot.probes[snapshot.probes.length - 1]?.ref ?? ref;
      [mergeBase, commit] = await Promise.all([
        tryRaw(root, ['merge-base', ref, 'HEAD']).then((out) => out?.trim() || null),
        tryRaw(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).then((out) => out?.trim() || null),
      ]);
    }
    if (!found && !commit && ref === 'HEAD~1' && options.since === undefined && !shallow) {
      // The first commit of a repository: everything in it is new.
      committed = parseNameStatus(await git(root, ['diff', '--name-status', '-M', '-z', '--no-color', '--no-ext-diff', EMPTY_TREE, 'HEAD']));
      mergeBase = EMPTY_TREE;
      found = true;
    }
    if (!found) {
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
    base = { ref, commit: commit ?? null, mergeBase: mergeBase === EMPTY_TREE || mergeBase === undefined ? null : mergeBase };
  }
  const byPath = new Map<string, Change>();
  for (const change of committed) byPath.set(change.path, change);
  if (!options.committedOnly) {
    for (const change of snapshot.working) {
      const earlier = byPath.get(change.path);
      // A file added in the branch and modified since is still "added".
      byPath.set(change.path, earlier && earlier.status !== 'deleted' && change.status === 'modified' ? earlier : change);
    }
  }
  return { base, head, workingTree: !options.committedOnly, changed: [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path)), missingBase };
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

// Real git repositories in temp dirs, and testpace-select run in-process against them.
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { validateDocument } from '../../lib/read-document.ts';
import { cli } from '../../tools/select/cli.ts';
import { memoryIo, tempDir, writeTree } from '../helpers.ts';

const created: string[] = [];

/** Removes the repositories this test file made (call from afterAll). */
export async function removeRepos(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A temp dir that removeRepos() will remove. */
export async function scratchDir(prefix: string): Promise<string> {
  const dir = await tempDir(prefix);
  created.push(dir);
  return dir;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * A git repository holding `files`, committed on main, plus an empty commit on top, so that the
 * default base (HEAD~1) holds the same files and only what a test changes afterwards counts.
 */
export async function gitRepo(files: Record<string, string>): Promise<string> {
  const dir = await scratchDir('testpace-select-');
  await writeTree(dir, files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'start');
  return dir;
}

/** Changes files in the working tree (a value of null deletes the file). */
export async function change(dir: string, files: Record<string, string | null>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    if (text === null) await rm(path.join(dir, file), { force: true });
    else await writeTree(dir, { [file]: text });
  }
}

export interface SelectRun {
  code: number;
  out: string;
  err: string;
  /** The listed test paths (list format). */
  list: string[];
}

export async function select(dir: string, args: string[] = [], options: { stdin?: string; cwd?: string } = {}): Promise<SelectRun> {
  const io = memoryIo({ cwd: options.cwd ?? dir, stdin: options.stdin });
  const code = await cli(args, io);
  const out = io.out();
  return { code, out, err: io.err(), list: out.split('\n').filter(Boolean) };
}

export interface SelectionDocument {
  base: { ref: string; commit: string | null; mergeBase?: string | null } | null;
  changed: Array<{ path: string; status: string; oldPath?: string }>;
  selected: Array<{ file: string; distance: number; reasons: Array<{ changed: string; chain: string[]; edges: string[] }>; estimatedMs?: number | null }>;
  skipped: Array<{ file: string; why: string }>;
  unresolved: Array<{ file: string; line: number; specifier: string; why: string }>;
  runAll: { reason: string; files: string[] } | null;
  counts: { changed: number; tests: number; selected: number; filesInGraph: number; parsed: number };
}

/** Runs select with --format json and validates the document against the selection schema. */
export async function selectJson(dir: string, args: string[] = []): Promise<SelectionDocument> {
  const run = await select(dir, ['--format', 'json', ...args]);
  if (run.code !== 0) throw new Error(`select exited ${run.code}: ${run.err}`);
  return validateDocument<SelectionDocument>(JSON.parse(run.out), 'select output', ['selection']);
}

/** The edge kinds of the first reason of a selected test. */
export function edgesOf(document: SelectionDocument, test: string): string[] | undefined {
  return document.selected.find((s) => s.file === test)?.reasons[0]?.edges;
}

// The git commands every select run needs, started the moment the process starts.
//
// A warm run spends as long waiting for git (status over every tracked file, ls-files, the diffs
// since the candidate bases) as doing its own work, and starting git processes gets dearer as the
// heap grows (fork copies the page tables). So the executable's entry guesses the commands from
// argv and starts them before the command line and the tool's code are even loaded; git works on
// the other core meanwhile. `gitOutput` hands a prefetched answer over when the same command is
// asked for in the same directory, and runs the command otherwise: a wrong guess costs a few
// read-only git processes, never a wrong answer.
//
// This module is loaded by the entry itself, so it imports nothing but Node's own modules.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const prefetched = new Map<string, Promise<string>>();
const keyOf = (cwd: string, args: readonly string[]): string => `${cwd}\0${args.join('\0')}`;

function spawnGit(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/** The output of `git args` in `cwd`, from the prefetch when it was started there; rejects when git fails. */
export function gitOutput(cwd: string, args: readonly string[]): Promise<string> {
  const key = keyOf(cwd, args);
  const early = prefetched.get(key);
  if (early) {
    prefetched.delete(key);
    return early;
  }
  return spawnGit(cwd, args);
}

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

// One shell starts every prefetched command at once and waits for them: starting a process from
// Node costs the main thread 3-4 ms (a fork of the whole heap, then waiting for the exec), a
// shell's own children next to nothing. Each command's output and exit code land in a temp dir.
const BATCH = `set -f
d=$1
shift
i=0
for c in "$@"; do
  (IFS=$(printf '\\037'); git $c >"$d/$i" 2>/dev/null; echo $? >"$d/$i.rc") &
  i=$((i+1))
done
wait`;

function spawnBatch(cwd: string, commands: readonly string[][]): Array<Promise<string>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'testpace-git-'));
  const done = new Promise<void>((resolve, reject) => {
    execFile('/bin/sh', ['-c', BATCH, 'sh', dir, ...commands.map((args) => args.join('\x1f'))], { cwd }, (error) => (error ? reject(error) : resolve()));
  });
  const outputs = commands.map((_, i) =>
    done.then(() => {
      const code = readFileSync(path.join(dir, `${i}.rc`), 'utf8').trim();
      if (code !== '0') throw new Error(`git exited ${code}`);
      return readFileSync(path.join(dir, String(i)), 'utf8');
    }),
  );
  void Promise.allSettled(outputs).then(() => rmSync(dir, { recursive: true, force: true }));
  return outputs;
}

/**
 * Starts the snapshot's git commands for the command line `argv`, unless it asks for something
 * else (--help, --version, --files: no git history needed). Only `--since` changes the commands;
 * anything unusual about it (given twice, no value) skips the prefetch rather than guess.
 */
export function prefetchGit(argv: readonly string[], cwd: string): void {
  let since: string | undefined;
  let seen = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--files' || arg.startsWith('--files=') || arg === '--help' || arg === '-h' || arg === '--version' || arg === '-V') return;
    if (arg === '--since' || arg.startsWith('--since=')) {
      seen++;
      since = arg === '--since' ? argv[++i] : arg.slice('--since='.length);
      if (since === undefined || since.startsWith('-')) return;
    }
  }
  if (seen > 1 || process.platform === 'win32') return;
  const commands = [TOP_COMMAND, STATUS_COMMAND, STAGE_COMMAND, ...baseCandidates(since).map(diffCommand)];
  // An argument holding the separator cannot go through the shell's splitting: start it alone.
  if (commands.some((args) => args.some((arg) => arg.includes('\x1f')))) return;
  let outputs: Array<Promise<string>>;
  try {
    outputs = spawnBatch(cwd, commands);
  } catch {
    return; // no temp dir: every command starts when asked for
  }
  commands.forEach((args, i) => {
    outputs[i]!.catch(() => undefined); // a failure is for the run that asks, if any
    prefetched.set(keyOf(cwd, args), outputs[i]!);
  });
}

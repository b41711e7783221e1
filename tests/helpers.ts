// Helpers for tests: an in-memory Io, the built binaries, temp dirs and file trees on disk.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Io } from '../lib/io.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..');
export const examplesDir = path.join(repoRoot, 'examples');

/** Path of a built tool bundle. */
export const binary = (tool: string): string => path.join(repoRoot, 'dist', `testpace-${tool}.cjs`);

export interface CapturedIo extends Io {
  out(): string;
  err(): string;
}

/** An Io with captured stdout/stderr and the given stdin text (undefined: a TTY with nothing piped). */
export function memoryIo(options: { stdin?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const stdin: Readable & { isTTY?: boolean } = options.stdin === undefined ? Object.assign(Readable.from([]), { isTTY: true }) : Readable.from([options.stdin]);
  return {
    stdin,
    stdout,
    stderr,
    env: options.env ?? { ...process.env, NO_COLOR: '1' },
    cwd: options.cwd ?? repoRoot,
    out: () => out,
    err: () => err,
  };
}

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a built tool as a real process. */
export function runBinary(tool: string, args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [binary(tool), ...args],
      { cwd: options.cwd ?? repoRoot, env: options.env ?? { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** True while the process exists (a zombie counts: it has not been reaped). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True while the process exists and is not a zombie (a zombie left to init is gone for every purpose but its pid). */
export function processRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Resolves once `probe` holds, checking every 20 ms; throws after `ms`. */
export async function waitUntil(probe: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A fresh temp directory. */
export function tempDir(prefix = 'testpace-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Writes an inline file tree ({'a/b.py': 'text'}) under `root`. */
export async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    const target = path.join(root, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
  }
}

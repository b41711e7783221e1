// Writing the product: to stdout, or atomically to a file so a reader never sees half a document.
import { constants } from 'node:fs';
import { existsSync } from 'node:fs';
import { access, lstat, mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from './errors.ts';
import type { Io } from './io.ts';

let writes = 0;

const cannotWrite = (file: string, error: unknown): InputError =>
  new InputError(file, `cannot write: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });

/**
 * Where the bytes for `file` go: the file itself, or the file a link points to (renaming over a
 * link would replace the link); and whether that is a regular file, or something to be written in
 * place, such as /dev/null or a FIFO (renaming over it would replace the device with a file).
 */
async function destination(file: string): Promise<{ target: string; inPlace: boolean }> {
  let stats;
  try {
    stats = await lstat(file);
  } catch {
    return { target: file, inPlace: false }; // not there yet (or not reachable: the write will say)
  }
  if (stats.isFile()) return { target: file, inPlace: false };
  if (!stats.isSymbolicLink()) return { target: file, inPlace: true };
  try {
    const target = await realpath(file);
    return { target, inPlace: !(await stat(target)).isFile() };
  } catch {
    return { target: file, inPlace: false }; // a dangling link: it is replaced by the file
  }
}

/**
 * Writes `data` to `file` through a temp file in the same directory and a rename. The temp file's
 * name is this process's and is created exclusively, so no other writer's file is ever reused.
 * A link is followed; a device or FIFO (e.g. `--out /dev/null`) is written in place.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const { target, inPlace } = await destination(file);
  if (inPlace) {
    await writeFile(target, data).catch((error: unknown) => {
      throw cannotWrite(file, error);
    });
    return;
  }
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${++writes}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, target);
  } catch (error) {
    // EEXIST: the temp file is somebody else's, left alone.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await rm(temp, { force: true }).catch(() => undefined);
    throw cannotWrite(file, error);
  }
}

/**
 * Checks, before a long run, that `file` can be written: not a directory, and a file can be created in
 * its directory (the nearest that exists, when the rest is to be made). Probed by creating and
 * removing a file there, since permission bits do not tell (root, read-only mounts). Throws an
 * InputError naming `shown`.
 */
export async function checkWritable(file: string, shown: string): Promise<void> {
  const found = await stat(file).catch(() => undefined);
  if (found?.isDirectory()) throw new InputError(shown, 'is a directory', { hint: 'expected the name of the file to write the document to' });
  const { target, inPlace } = await destination(file);
  if (inPlace) {
    await access(target, constants.W_OK).catch((error: unknown) => {
      throw cannotWrite(shown, error);
    });
    return;
  }
  let dir = path.dirname(target);
  for (;;) {
    const stats = await stat(dir).catch(() => undefined);
    if (stats?.isDirectory()) break;
    if (stats) throw new InputError(shown, `cannot write: ${dir} is not a directory`);
    if (path.dirname(dir) === dir) break;
    dir = path.dirname(dir);
  }
  const probe = path.join(dir, `.testpace-probe.${process.pid}.${++writes}.tmp`);
  try {
    await writeFile(probe, '', { flag: 'wx' });
  } catch (error) {
    throw cannotWrite(shown, error);
  }
  await rm(probe, { force: true });
}

/** Writes the product to `--out FILE` (atomically, relative to io.cwd) or else to stdout. */
export async function writeProduct(io: Io, out: string | undefined, text: string): Promise<void> {
  if (out && out !== '-') {
    await writeFileAtomic(path.resolve(io.cwd, out), text);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    io.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** Where a tool's document goes: a file (`shown` as the user named it, or the default one) or stdout. */
export interface DocumentTarget {
  /** The file, relative to io.cwd or absolute; undefined for stdout. */
  out: string | undefined;
  /** Whether the file is the terminal default `.testpace/<name>.json` rather than one the user named. */
  defaulted: boolean;
}

/**
 * Where a document goes: `--out FILE`; stdout for `--out -` or when stdout is not a terminal (a pipe,
 * a file, CI); on a terminal `.testpace/<name>.json`, since pages of JSON on a screen help nobody.
 */
export function documentTarget(io: Io, out: string | undefined, name: string): DocumentTarget {
  // yargs reads `--out -` as an empty --out and a lone `-` positional.
  if (out === '-' || out === '') return { out: undefined, defaulted: false };
  if (out) return { out, defaulted: false };
  if (io.stdout.isTTY) return { out: path.join('.testpace', `${name}.json`), defaulted: true };
  return { out: undefined, defaulted: false };
}

/** Writes a document to its target; a .testpace/ directory made here ignores itself (as select's cache does). */
export async function writeDocument(io: Io, target: DocumentTarget, text: string): Promise<void> {
  if (target.defaulted) {
    const dir = path.resolve(io.cwd, path.dirname(target.out!));
    if (!existsSync(dir)) {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, '.gitignore'), '*\n').catch(() => undefined);
    }
  }
  await writeProduct(io, target.out, text);
}

/** The lines telling a person, on stderr, where the document went and what to run next. */
export function documentWritten(tool: string, target: DocumentTarget, next: ReadonlyArray<readonly [string, string]> = []): string {
  if (!target.out) return '';
  const lines = [`testpace-${tool}: wrote ${target.out}`];
  if (target.defaulted) {
    lines[0] += ' (--out - puts the JSON on stdout)';
    for (const [command, why] of next) lines.push(`  next: ${command}   # ${why}`);
  }
  return lines.join('\n') + '\n';
}

/** Serialises a document the way every tool writes it. */
export function formatDocument(document: unknown): string {
  return JSON.stringify(document, null, 2) + '\n';
}

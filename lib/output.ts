// Writing the product: to stdout, or atomically to a file so a reader never sees half a document.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from './errors.ts';
import type { Io } from './io.ts';

let writes = 0;

/**
 * Writes `data` to `file` through a temp file in the same directory and a rename. The temp file's
 * name is this process's and is created exclusively, so no other writer's file is ever reused.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++writes}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    // EEXIST: the temp file is somebody else's, left alone.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await rm(temp, { force: true }).catch(() => undefined);
    throw new InputError(file, `cannot write: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      cause: error,
    });
  }
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

/** Serialises a document the way every tool writes it. */
export function formatDocument(document: unknown): string {
  return JSON.stringify(document, null, 2) + '\n';
}

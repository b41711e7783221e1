// How documents record the directory a command ran in: relative to the git root, so that documents
// made in different checkouts compare.
import { access } from 'node:fs/promises';
import path from 'node:path';

/** `cwd` relative to the git root above it ('.' at the root), else absolute. Found on disk, not by running git. */
export async function displayCwd(cwd: string): Promise<string> {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (await access(path.join(dir, '.git')).then(() => true, () => false)) {
      return path.relative(dir, cwd).split(path.sep).join('/') || '.';
    }
    if (path.dirname(dir) === dir) return cwd;
  }
}

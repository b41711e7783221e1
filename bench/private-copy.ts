// A private copy of a built tool for a bench: other work in this tree may rebuild dist/ while the
// bench runs.
import { copyFileSync } from 'node:fs';
import path from 'node:path';

/** Copies dist/testpace-<tool>.cjs into `dir`; returns the copy's path. */
export function privateCopy(root: string, tool: string, dir: string): string {
  const name = `testpace-${tool}.cjs`;
  copyFileSync(path.join(root, 'dist', name), path.join(dir, name));
  return path.join(dir, name);
}

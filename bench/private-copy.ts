// A private copy of a built tool for a bench: other work in this tree may rebuild dist/ while the
// bench runs. The executable comes with its code caches (dist/testpace-<tool>.cjs*.cache), without
// which it would run, but slower than what users run.
import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Copies dist/testpace-<tool>.cjs and its caches into `dir`; returns the copy's path. */
export function privateCopy(root: string, tool: string, dir: string): string {
  const name = `testpace-${tool}.cjs`;
  for (const file of readdirSync(path.join(root, 'dist'))) {
    if (file === name || (file.startsWith(`${name}.`) && file.endsWith('.cache'))) copyFileSync(path.join(root, 'dist', file), path.join(dir, file));
  }
  return path.join(dir, name);
}

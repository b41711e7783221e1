// Builds the bundles once before the suite: tests run the real executables as well as run() in-process.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  if (process.env.TESTPACE_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
}

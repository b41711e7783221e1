// Before the suite: builds the bundles once (tests run the real executables as well as run()
// in-process), and gives the run a temp directory of its own as TMPDIR, removed at the end, so that
// what tests and the processes they start leave in the temp directory does not pile up.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  if (process.env.TESTPACE_SKIP_BUILD !== '1') {
    execFileSync(process.execPath, [path.resolve(import.meta.dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
  }
  const previous = process.env.TMPDIR;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'testpace-tests-'));
  process.env.TMPDIR = tmp;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(tmp, { recursive: true, force: true });
  };
}

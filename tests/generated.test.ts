// STYLE.md: generated things are generated. lib/generated/ (document types and precompiled
// validators) must be what scripts/generate.mjs makes of schemas/ today.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.ts';

describe('generated code', () => {
  it('lib/generated/ matches schemas/ (run `make generate` after changing a schema)', async () => {
    const result = await promisify(execFile)(process.execPath, [path.join(repoRoot, 'scripts/generate.mjs'), '--check'], { cwd: repoRoot }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(result).toEqual({ code: 0, stderr: '' });
  });
});

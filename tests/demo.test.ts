// The README's demo (make demo → scripts/demo.sh) on the bundled examples, with the built tools:
// every step runs and every document it leaves validates.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../lib/read-document.ts';
import { repoRoot, tempDir } from './helpers.ts';

describe('the demo', () => {
  it('profiles, optimizes, selects and reports on the pytest example', async () => {
    const out = await tempDir('testpace-demo-');
    const { code, stderr, stdout } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('bash', [path.join(repoRoot, 'scripts', 'demo.sh')], { env: { ...process.env, TESTPACE_DEMO_OUT: out, NO_COLOR: '1' } }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
    expect(code, stderr).toBe(0);
    for (const [file, kind] of [
      ['profile.json', 'profile'],
      ['optimization.json', 'optimization'],
      ['selection.json', 'selection'],
    ] as const) {
      validateDocument(JSON.parse(readFileSync(path.join(out, file), 'utf8')), file, [kind]);
    }
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('<html');
    expect(stdout).toContain(`The report is at ${out}/report.html`);
  }, 120_000);
});

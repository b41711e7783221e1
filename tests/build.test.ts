// The executables scripts/build.mjs writes: each is one plain file that runs alone, on any Node >= 20.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binary } from './helpers.ts';

const tools = ['profile', 'mem-profile', 'optimize', 'select', 'report'];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'testpace-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('built executables', () => {
  it('are one file each, started by their #! line, with nothing beside them', () => {
    const dist = path.dirname(binary('profile'));
    expect(readdirSync(dist).sort()).toEqual(tools.map((tool) => `testpace-${tool}.cjs`).sort());
    for (const tool of tools) expect(readFileSync(binary(tool), 'utf8').split('\n', 1)[0], tool).toBe('#!/usr/bin/env node');
  });

  it('run alone, copied where no node_modules is, as users start them', () => {
    const version = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')).version as string;
    const alone = path.join(tmp, 'alone');
    mkdirSync(alone);
    for (const tool of tools) {
      const copy = path.join(alone, `testpace-${tool}`);
      copyFileSync(binary(tool), copy);
      expect(execFileSync(copy, ['--version'], { cwd: alone, encoding: 'utf8' }).trim(), tool).toBe(version);
      expect(execFileSync(copy, ['--help'], { cwd: alone, encoding: 'utf8' }), tool).toContain(`testpace-${tool}`);
    }
  });

  it('give optimize the parser it needs for TypeScript tests', () => {
    const project = path.join(tmp, 'project');
    mkdirSync(path.join(project, 'tests'), { recursive: true });
    const file = path.join(project, 'tests', 'cart.test.ts');
    const source = "import { it } from 'vitest';\nit('waits', async () => {\n  await new Promise<void>((resolve) => setTimeout(resolve, 300));\n});\n";
    writeFileSync(file, source);
    const out = path.join(tmp, 'optimization.json');
    const result = spawnSync(binary('optimize'), [project, '--out', out], { cwd: project, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const findings = (JSON.parse(readFileSync(out, 'utf8')) as { findings: Array<{ rule: string; file: string; line: number }> }).findings;
    expect(findings.map((f) => `${f.rule} ${f.file}:${f.line}`)).toContain('sleep tests/cart.test.ts:3');
  });
});

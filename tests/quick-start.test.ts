// The README's quick start, run as written on a copy of the pytest example.
import { execFile } from 'node:child_process';
import { chmod, cp, readFile, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { binary, examplesDir, repoRoot, tempDir } from './helpers.ts';

/** The README's quick-start block, a command a line, comments left to the shell. */
function quickStart(): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## My suite is slow'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md: no sh block under "## My suite is slow"');
  return block[1]!;
}

describe('the README', () => {
  it('quick start runs as written: profile, report, optimize, compare', { timeout: 240_000 }, async () => {
    const script = quickStart();
    expect(script.trim().split('\n')).toHaveLength(4);
    const project = await tempDir();
    await cp(path.join(examplesDir, 'pytest'), project, { recursive: true });
    // The tools as an install puts them on PATH.
    const bin = await tempDir();
    for (const tool of ['profile', 'mem-profile', 'optimize', 'select', 'report']) {
      await writeFile(path.join(bin, `testpace-${tool}`), `#!/bin/sh\nexec '${process.execPath}' '${binary(tool)}' "$@"\n`);
      await chmod(path.join(bin, `testpace-${tool}`), 0o755);
    }
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('sh', ['-ec', script], { cwd: project, env: { ...process.env, NO_COLOR: '1', PATH: `${bin}${path.delimiter}${process.env.PATH}` }, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(result.code, result.stderr).toBe(0);
    for (const file of ['before.json', 'after.json']) expect(JSON.parse(await readFile(path.join(project, file), 'utf8')).summary.runs).toBe(3);
    // report's tables, optimize's findings (the example plants sleeps), and the comparison's verdict.
    expect(result.stdout).toContain('Slowest tests (median over 3 runs)');
    expect(result.stderr).toMatch(/testpace-optimize: \d+ files analysed, [1-9]\d* findings/);
    expect(result.stdout).toMatch(/== Comparison/);
    // Nothing left behind but what the commands were asked to write.
    expect(existsSync(path.join(project, '.testpace'))).toBe(false);
    expect(readdirSync(project).filter((f) => f.endsWith('.json')).sort()).toEqual(['after.json', 'before.json', 'expected.json']);
  });

  it('user docs hold no dated measurements (they belong in bench/RESULTS.md)', () => {
    const docs = ['README.md', ...readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const dated = docs.flatMap((file) =>
      readFileSync(path.join(repoRoot, file), 'utf8')
        .split('\n')
        .filter((line) => /\b\d{1,2}:\d\d UTC\b|[Mm]easured (on|at) \d{4}-\d\d-\d\d/.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(dated).toEqual([]);
  });
});

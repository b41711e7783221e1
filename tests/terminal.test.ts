// The tools as a person sees them in a terminal: run under a real pseudo-terminal (util-linux script).
import { existsSync, readFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir, writeTree } from './helpers.ts';
import { runInTerminal, tool } from './terminal.ts';

const nodeSuite = {
  'a.test.js': "const test = require('node:test');\ntest('quick', () => {});\ntest('slower', async () => { await new Promise((r) => setTimeout(r, 30)); });\n",
};

describe('a document on a terminal', () => {
  it('profile writes .testpace/profile.json, says where and what next, and prints no JSON', async () => {
    const dir = await tempDir();
    await writeTree(dir, nodeSuite);
    const result = await runInTerminal(`${tool('profile')} -q -- node --test a.test.js`, { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.screen).not.toContain('"schemaVersion"');
    expect(result.screen).toContain('testpace-profile: wrote .testpace/profile.json');
    expect(result.screen).toContain('next: testpace-report .testpace/profile.json');
    expect(JSON.parse(readFileSync(path.join(dir, '.testpace/profile.json'), 'utf8')).kind).toBe('profile');
    // The directory it made ignores itself.
    expect(readFileSync(path.join(dir, '.testpace/.gitignore'), 'utf8')).toBe('*\n');
  });

  it('profile puts the JSON on stdout for --out - and when stdout is a pipe', async () => {
    const dir = await tempDir();
    await writeTree(dir, nodeSuite);
    const dashed = await runInTerminal(`${tool('profile')} -q --out - -- node --test a.test.js`, { cwd: dir });
    expect(dashed.screen).toContain('"kind": "profile"');
    const piped = await runInTerminal(`${tool('profile')} -q -- node --test a.test.js | grep -c '"schemaVersion"'`, { cwd: dir });
    expect(piped.screen).toMatch(/^1$/m);
    expect(existsSync(path.join(dir, '.testpace'))).toBe(false);
  });

  it('mem-profile, optimize, report --format json and select --format json write theirs to .testpace/', async () => {
    const dir = await tempDir();
    await writeTree(dir, nodeSuite);
    await copyFile(path.join(repoRoot, 'tests/fixtures/report/pytest-base.json'), path.join(dir, 'base.json'));
    await copyFile(path.join(repoRoot, 'tests/fixtures/report/pytest-new.json'), path.join(dir, 'new.json'));
    const lines = [
      `${tool('profile')} -q -- node --test a.test.js`,
      `${tool('mem-profile')} -q -- node -e 'setTimeout(() => {}, 300)'`,
      `${tool('optimize')} . --profile .testpace/profile.json`,
      `${tool('report')} base.json new.json --format json --allow-unrelated`,
      `git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm one && ${tool('select')} --files a.test.js --format json`,
    ];
    const result = await runInTerminal(lines.join(' && '), { cwd: dir });
    expect(result.code, result.screen).toBe(0);
    expect(result.screen).not.toContain('"schemaVersion"');
    for (const [name, kind] of [['mem-profile', 'memory'], ['optimize', 'optimization'], ['comparison', 'comparison'], ['selection', 'selection']]) {
      expect(result.screen).toContain(`wrote .testpace/${name}.json`);
      expect(JSON.parse(readFileSync(path.join(dir, `.testpace/${name}.json`), 'utf8')).kind).toBe(kind);
    }
    // optimize's next step profiles again the command the profile ran, and compares.
    expect(result.screen).toContain('next: testpace-profile --out .testpace/after.json -- node --test a.test.js');
    expect(result.screen).toContain('next: testpace-report .testpace/profile.json .testpace/after.json');
  });
});

describe('progress of several runs', () => {
  const slowSuite = { 'b.test.js': "const test = require('node:test');\ntest('waits', async () => { await new Promise((r) => setTimeout(r, 1200)); });\n" };

  it('on a terminal, says about how long the remaining runs take', async () => {
    const dir = await tempDir();
    await writeTree(dir, slowSuite);
    const result = await runInTerminal(`${tool('profile')} -q --runs 3 -- node --test b.test.js`, { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.screen).toMatch(/run 2 of 3, about \d+ s left \(from the mean of 1 run\)/);
    expect(result.screen).toMatch(/run 3 of 3, about \d+ s left \(from the mean of 2 runs\)/);
  });

  it('in a log (stderr not a terminal), names the run without an estimate', async () => {
    const dir = await tempDir();
    await writeTree(dir, slowSuite);
    const result = await runInTerminal(`${tool('profile')} -q --runs 2 --out p.json -- node --test b.test.js 2>&1 | cat`, { cwd: dir });
    expect(result.screen).toContain('testpace-profile: run 2 of 2\n');
    expect(result.screen).not.toContain('left');
  });
});


describe('--help', () => {
  it('prints each example on one line, at any width', async () => {
    const tools = ['profile', 'mem-profile', 'optimize', 'select', 'report'];
    for (const columns of [40, 200]) {
      const result = await runInTerminal(tools.map((name) => `${tool(name)} --help`).join(' && '), { cwd: repoRoot, columns });
      expect(result.code).toBe(0);
      const lines = result.screen.split('\n');
      for (const name of tools) {
        const { command } = await import(`../tools/${name}/cli.ts`);
        for (const [example] of command.examples as Array<[string, string]>) expect(lines, `${name} at ${columns} columns`).toContain(`  ${example}`);
      }
    }
  });
});

/** The cells of a box-drawn table's rows, by column: one entry per table row, its wrapped lines joined. */
function tableRows(screen: string, header: string): { headers: string[]; rows: string[][][] } {
  const lines = screen.split('\n');
  const start = lines.findIndex((line) => line.startsWith('│') && line.split('│').map((c) => c.trim()).includes(header));
  const headers = lines[start]!.split('│').slice(1, -1).map((c) => c.trim());
  const rows: string[][][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('│')) break;
    const cells = line.split('│').slice(1, -1);
    if (cells[0]!.trim() !== '' || rows.length === 0) rows.push(cells.map(() => []));
    cells.forEach((cell, i) => cell.trim() && rows.at(-1)![i]!.push(cell.trim()));
  }
  return { headers, rows };
}

describe('terminal tables', () => {
  const fixture = path.join(repoRoot, 'tests/fixtures/report/pytest-new.json');

  it('at 80 columns, break names only between their parts and keep setup and call', async () => {
    const result = await runInTerminal(`${tool('report')} ${fixture}`, { cwd: repoRoot, columns: 80 });
    for (const line of result.screen.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    const { headers, rows } = tableRows(result.screen, 'test');
    expect(headers).toEqual(['#', 'test', 'median', 'setup', 'call', 'outcome']);
    const names = JSON.parse(readFileSync(fixture, 'utf8')).tests.map((t: { id: string }) => t.id);
    for (const row of rows) {
      const parts = row[1]!;
      expect(names).toContain(parts.join(''));
      for (const part of parts.slice(0, -1)) expect(part).toMatch(/(::|\/|›|_)$/);
    }
    expect(rows.some((row) => row[1]!.length > 1)).toBe(true);
  });

  it('a single run shows no min–max or MAD', async () => {
    const single = path.join(repoRoot, 'tests/fixtures/documents/profile.json');
    const result = await runInTerminal(`${tool('report')} ${single}`, { cwd: repoRoot, columns: 120 });
    expect(result.screen).toContain('Slowest tests (1 run)');
    expect(result.screen).not.toMatch(/min–max|MAD/);
  });

  it('a terminal that reports 0 columns gets COLUMNS, else 80', async () => {
    const plain = await runInTerminal(`${tool('report')} ${fixture}`, { cwd: repoRoot, columns: 0 });
    const widths = plain.screen.split('\n').map((line) => [...line].length);
    expect(Math.max(...widths)).toBeLessThanOrEqual(80);
    expect(Math.max(...widths)).toBeGreaterThan(60);
    const set = await runInTerminal(`${tool('report')} ${fixture}`, { cwd: repoRoot, columns: 0, env: { COLUMNS: '120' } });
    expect(Math.max(...set.screen.split('\n').map((line) => [...line].length))).toBeGreaterThan(80);
  });
});

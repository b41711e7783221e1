// Issue 17, item 2: a test name or file name holding terminal controls (ESC sequences that clear the
// screen or set the title, BEL, C1 controls), a right-to-left override or a line separator reaches
// every human output of every tool escaped, through real runs.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBinary, tempDir, writeTree } from '../helpers.ts';

const HOSTILE = 'clear \x1b[2J title \x1b]0;pwned\x07 bell \x07 rlo \u202egnp.exe ls \u2028 nel \x85 end';
const SHOWN = 'clear \\x1b[2J title \\x1b]0;pwned\\x07 bell \\x07 rlo \\u202egnp.exe ls \\u2028 nel \\x85 end';
// Anything that would act on a terminal or reorder a line, other than the newlines between lines.
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const TEST_FILE = [
  "import test from 'node:test';",
  "import { setTimeout as sleep } from 'node:timers/promises';",
  `test(${JSON.stringify(HOSTILE)}, async () => { await sleep(300); });`,
  '',
].join('\n');

let dir: string;
let profile: { code: number; stderr: string };

beforeAll(async () => {
  dir = await tempDir('testpace-hostile-');
  await writeTree(dir, { 'hostile.test.mjs': TEST_FILE, 'package.json': '{ "type": "module" }\n' });
  profile = await runBinary('profile', ['-o', 'profile.json', '--', 'node', '--test', 'hostile.test.mjs'], { cwd: dir });
});

afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await rm(dir, { recursive: true, force: true });
});

function expectInert(text: string, shown = SHOWN): void {
  expect(text).toContain(shown);
  expect(text).not.toMatch(ACTIVE);
}

describe('hostile test names stay inert', () => {
  it("in profile's summary on stderr", () => {
    expect(profile.code).toBe(0);
    expectInert(profile.stderr);
  });

  it("in mem-profile's summary on stderr", async () => {
    const result = await runBinary('mem-profile', ['-o', 'memory.json', '--', 'node', '--test', 'hostile.test.mjs'], { cwd: dir });
    expect(result.code).toBe(0);
    expectInert(result.stderr);
  });

  it("in report's terminal tables and Markdown", async () => {
    // The document keeps the name as the runner gave it: only what people read is escaped.
    expect(await readFile(path.join(dir, 'profile.json'), 'utf8')).toContain(JSON.stringify(HOSTILE).slice(1, -1));
    const terminal = await runBinary('report', ['profile.json'], { cwd: dir });
    expect(terminal.code).toBe(0);
    expectInert(terminal.stdout, 'clear \\x1b[2J'); // the table wraps the rest
    const markdown = await runBinary('report', ['profile.json', '--format', 'markdown'], { cwd: dir });
    expect(markdown.stdout).not.toMatch(ACTIVE);
    expect(markdown.stdout).toContain('clear \\\\x1b\\[2J title \\\\x1b\\]0;pwned\\\\x07');
  });

  it("in optimize's findings", async () => {
    const result = await runBinary('optimize', ['hostile.test.mjs'], { cwd: dir });
    expect(result.code).toBe(0);
    expectInert(result.stderr);
  });

  it("in select's --explain and its summary, for a test file whose name holds the controls", async () => {
    const repo = await tempDir('testpace-hostile-select-');
    const name = `tests/${HOSTILE.replace(/[/\x85]/g, '')}.test.mjs`;
    await writeTree(repo, { [name]: "import '../src/a.mjs';\n", 'src/a.mjs': 'export const a = 1;\n', 'package.json': '{ "type": "module" }\n' });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    await writeTree(repo, { 'src/a.mjs': 'export const a = 2;\n' });
    const explained = await runBinary('select', ['--tests', 'tests/*.mjs', '--since', 'HEAD', '--explain', name], { cwd: repo });
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain('clear \\x1b[2J title \\x1b]0;pwned\\x07');
    expect(explained.stdout).not.toMatch(ACTIVE);
    const json = await runBinary('select', ['--tests', 'tests/*.mjs', '--since', 'HEAD', '--format', 'json'], { cwd: repo });
    expect(json.stderr).not.toMatch(ACTIVE);
  });

  it('in one-line errors that name a file', async () => {
    const result = await runBinary('report', [`${HOSTILE}.json`], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`testpace-report: ${SHOWN}.json: no such file\n`);
  });
});

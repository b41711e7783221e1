// Problems optimize once missed on real suites (issue 18): two test files that both remove the same
// directory (a collision when their files run in parallel), and helpers that wait or start processes
// imported from another file of the project's tests.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../tools/optimize/run.ts';
import { memoryIo, tempDir, writeTree } from '../helpers.ts';
import { options } from './options.ts';

interface Finding {
  rule: string;
  file: string;
  line: number;
  hazard?: string;
  message: string;
  savings: { ms: number | null; basis: string };
}

let root: string;

const lines = (...rows: string[]) => rows.join('\n') + '\n';

beforeAll(async () => {
  root = await tempDir('testpace-optimize-missed-');
  await writeTree(root, {
    'mocha/package.json': JSON.stringify({ scripts: { test: 'mocha' } }),
    // Three files of one suite clear test/tmp, each its own way; a fourth uses a directory of its own.
    'mocha/test/a.test.js': lines(
      "const fs = require('fs');",
      "const path = require('path');",
      "const TMP = path.join(__dirname, 'tmp');",
      '',
      "describe('a', () => {",
      '  beforeEach(() => {',
      '    fs.rmSync(TMP, { recursive: true, force: true });',
      '  });',
      "  it('writes', () => {});",
      '});',
    ),
    'mocha/test/b.test.js': lines(
      "const { execSync } = require('child_process');",
      '',
      "it('cleans', () => {",
      "  execSync('rm -rf test/tmp && mkdir -p test/tmp');",
      '});',
    ),
    'mocha/test/c.test.js': lines(
      "const rimraf = require('rimraf');",
      '',
      "it('cleans a part', async () => {",
      "  await rimraf('test/tmp/c');",
      '});',
    ),
    'mocha/test/own.test.js': lines(
      "const fs = require('fs');",
      "const os = require('os');",
      "const path = require('path');",
      '',
      "it('uses its own directory', () => {",
      "  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'own-'));",
      '  fs.rmSync(dir, { recursive: true, force: true });',
      '});',
    ),
    'py/tests/test_a.py': lines(
      'import os',
      'import shutil',
      '',
      'TMP = os.path.join(os.path.dirname(__file__), "tmp")',
      '',
      'def test_cleans():',
      '    shutil.rmtree(TMP, ignore_errors=True)',
      '',
      'def test_own(tmp_path):',
      '    shutil.rmtree(tmp_path / "x", ignore_errors=True)',
    ),
    'py/tests/test_b.py': lines(
      'import os',
      'import subprocess',
      '',
      'def test_cleans_too():',
      '    subprocess.run(["rm", "-rf", "tests/tmp"], check=True)',
      '',
      'def test_shell():',
      '    os.system("rm -rf tests/tmp/b")',
    ),
    'bats/test/one.bats': lines('@test "one" {', '  rm -rf "$BATS_TEST_DIRNAME/tmp"', '}'),
    'bats/test/two.bats': lines('@test "two" {', '  rm -rf "${BATS_TEST_DIRNAME}/tmp"', '}'),
    // Helpers of the tests, in other files: one starts a process, one waits for its parameter (with a default),
    // one waits a literal; the code under test (src/) is not followed.
    'helpers/package.json': JSON.stringify({ scripts: { test: 'mocha' } }),
    'helpers/test/support/cli.js': lines(
      "const { spawnSync } = require('child_process');",
      '',
      'function runCli(args) {',
      "  return spawnSync(process.execPath, ['cli.js', ...args]);",
      '}',
      '',
      'module.exports = { runCli };',
    ),
    'helpers/test/support/wait.mjs': lines(
      'export function sleep(ms = 300) {',
      '  return new Promise((resolve) => setTimeout(resolve, ms));',
      '}',
      '',
      'export const pause = () => new Promise((resolve) => setTimeout(resolve, 200));',
      '',
      'export async function tick(ms = 1) {',
      '  return new Promise((resolve) => setTimeout(resolve, ms));',
      '}',
    ),
    'helpers/src/server.js': lines("const { spawn } = require('child_process');", '', 'exports.start = () => spawn(process.execPath, ["server.js"]);'),
    'helpers/test/cli.test.js': lines(
      "const { runCli } = require('./support/cli');",
      "const support = require('./support/cli');",
      "const server = require('../src/server');",
      '',
      "it('prints help', () => {",
      "  runCli(['--help']);",
      '});',
      '',
      "it('prints the version', () => {",
      "  support.runCli(['--version']);",
      '});',
      '',
      "it('starts the server (the code under test)', () => {",
      '  server.start();',
      '});',
    ),
    'helpers/test/wait.test.mjs': lines(
      "import { sleep, pause, tick } from './support/wait.mjs';",
      '',
      "it('waits what it passes', async () => {",
      '  await sleep(400);',
      '});',
      '',
      "it('waits the default', async () => {",
      '  await sleep();',
      '});',
      '',
      "it('pauses', async () => {",
      '  await pause();',
      '});',
      '',
      "it('ticks', async () => {",
      '  await tick();',
      '});',
    ),
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function analyse(cwd: string, paths: string[]): Promise<Finding[]> {
  const io = memoryIo({ cwd: `${root}/${cwd}`, env: { ...process.env, NO_COLOR: '1' } });
  expect(await run(options({ paths }), io), io.err()).toBe(0);
  return (JSON.parse(io.out()) as { findings: Finding[] }).findings;
}

const places = (findings: Finding[]) => findings.map((f) => `${f.rule} ${f.file}:${f.line}${f.hazard ? ` ${f.hazard}` : ''}`).sort();

describe('a directory that several test files remove', () => {
  it('is found in each file, by its path in the project, naming the other files (JavaScript)', async () => {
    const findings = (await analyse('mocha', ['test'])).filter((f) => f.rule === 'parallel-unsafe');
    expect(places(findings)).toEqual([
      'parallel-unsafe test/a.test.js:7 shared-resource',
      'parallel-unsafe test/b.test.js:4 shared-resource',
      'parallel-unsafe test/c.test.js:4 shared-resource',
    ]);
    const a = findings.find((f) => f.file === 'test/a.test.js')!;
    expect(a.message).toContain('test/tmp');
    expect(a.message).toContain('test/b.test.js');
    expect(a.message).toContain('test/c.test.js');
    expect(findings.find((f) => f.file === 'test/c.test.js')!.message).toContain('test/tmp/c');
  });

  it('is found in each file (Python: a constant built from __file__, rm -rf through subprocess and os.system)', async () => {
    const findings = (await analyse('py', ['tests'])).filter((f) => f.rule === 'parallel-unsafe');
    expect(places(findings)).toEqual([
      'parallel-unsafe tests/test_a.py:7 shared-resource',
      'parallel-unsafe tests/test_b.py:5 shared-resource',
      'parallel-unsafe tests/test_b.py:8 shared-resource',
    ]);
    expect(findings.find((f) => f.file === 'tests/test_a.py')!.message).toContain('tests/test_b.py');
  });

  it('is found in each file (bats: $BATS_TEST_DIRNAME is the file’s own directory, shared by every test in it)', async () => {
    const findings = await analyse('bats', ['test']);
    expect(places(findings)).toEqual(['parallel-unsafe test/one.bats:2 shared-resource', 'parallel-unsafe test/two.bats:2 shared-resource']);
    expect(findings[0]!.message).toContain('test/tmp');
    expect(findings[0]!.message).toContain('test/two.bats');
  });
});

describe('helpers imported from another file of the tests', () => {
  it('are followed one level: a process started, a wait of the duration passed or of its default, a literal wait', async () => {
    const findings = await analyse('helpers', ['test']);
    expect(places(findings)).toEqual([
      'sleep test/wait.test.mjs:12',
      'sleep test/wait.test.mjs:4',
      'sleep test/wait.test.mjs:8',
      'subprocess test/cli.test.js:10',
      'subprocess test/cli.test.js:6',
    ]);
    const byLine = (file: string, line: number) => findings.find((f) => f.file === file && f.line === line)!;
    expect(byLine('test/cli.test.js', 6).message).toBe('runCli → child_process.spawnSync in test "prints help" starts a process');
    expect(byLine('test/wait.test.mjs', 4).savings).toMatchObject({ ms: 400, basis: 'static' });
    expect(byLine('test/wait.test.mjs', 8).savings).toMatchObject({ ms: 300, basis: 'static' });
    expect(byLine('test/wait.test.mjs', 12).savings).toMatchObject({ ms: 200, basis: 'static' });
  });
});

// The faults issue 13 found in the runner adapters, each on a real runner and a project on disk: the
// user's reporters and files kept, collection errors counted, a run that ends before any test
// explained, tests with the same name told apart, jest's path arguments, fake timers, --cpu-profile
// with node:test, and bats' output and files.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir, writeTree } from '../helpers.ts';
import { profile } from './profile-helpers.ts';

const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);
const pytest = ['python3', '-m', 'pytest', '-p', 'no:cacheprovider'];

/** A project in a temp dir whose config files can import the runners (node_modules linked in). */
async function project(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  await writeTree(dir, { 'package.json': '{ "name": "project", "private": true }\n', ...files });
  await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** Runs a command bare, as the user would; stdout and stderr apart. */
function bare(command: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command[0]!, command.slice(1), { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const passing = "import { it } from 'vitest';\nit('adds', () => { if (1 + 1 !== 2) throw new Error('no'); });\n";

describe("the user's reporters and the files they write are kept", () => {
  it('vitest: reporters and outputFile from the config', async () => {
    const dir = await project({
      'vitest.config.mjs': "export default { test: { reporters: ['default', 'junit'], outputFile: 'junit.xml' } };\n",
      'a.test.js': passing,
    });
    const result = await profile(dir, ['--', bin('vitest'), 'run']);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'junit.xml'))).toBe(true);
    expect(result.document.summary.counts.total).toBe(1);
  });

  it('jest: a reporter with options from the config', async () => {
    const dir = await project({
      'jest.config.js': "module.exports = { reporters: ['default', ['<rootDir>/file-reporter.js', { out: 'jest-report.txt' }]] };\n",
      'file-reporter.js': [
        "const fs = require('node:fs');",
        'module.exports = class { constructor(globalConfig, options) { this.out = options.out; }',
        "  onRunComplete(contexts, results) { fs.writeFileSync(this.out, String(results.numTotalTests)); } };",
        '',
      ].join('\n'),
      'a.test.js': "test('adds', () => expect(1 + 1).toBe(2));\n",
    });
    const result = await profile(dir, ['--', bin('jest')]);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'jest-report.txt'), 'utf8')).toBe('1');
    expect(result.document.summary.counts.total).toBe(1);
  });

  it("mocha: the reporter and its options from .mocharc", async () => {
    const dir = await project({
      '.mocharc.json': JSON.stringify({ reporter: 'xunit', 'reporter-option': ['output=xunit.xml'] }),
      'test/a.spec.js': "it('adds', () => { if (1 + 1 !== 2) throw new Error('no'); });\n",
    });
    const result = await profile(dir, ['--', bin('mocha')]);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'xunit.xml'), 'utf8')).toContain('<testcase');
    expect(result.document.summary.counts.total).toBe(1);
  });

  it('pytest: --junitxml', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'test_a.py': 'def test_adds():\n    assert 1 + 1 == 2\n' });
    const result = await profile(dir, ['--', ...pytest, '-q', '--junitxml=out/junit.xml']);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'out/junit.xml'), 'utf8')).toContain('test_adds');
  });

  it("node:test: node's own default reporter (TAP when the output is not a terminal, on Node < 23)", async () => {
    const dir = await project({ 'a.test.mjs': "import { it } from 'node:test';\nit('adds', () => {});\n" });
    const plain = await bare(['node', '--test'], dir);
    const result = await profile(dir, ['--', 'node', '--test']);
    expect(result.code, result.stderr).toBe(0);
    // The first line says which reporter ran: "TAP version 13" or spec's "✔ adds (…ms)".
    expect(result.stderr.split('\n')[0]).toBe(plain.stdout.split('\n')[0]);
  });
});

describe('errors outside tests are in the document, counted as errors', () => {
  it('pytest: a broken test package with --continue-on-collection-errors', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      'tests/good/test_ok.py': 'def test_ok():\n    pass\n',
      'tests/broken/__init__.py': 'raise RuntimeError("the broken package")\n',
      'tests/broken/test_never.py': 'def test_never():\n    pass\n',
    });
    const result = await profile(dir, ['--', ...pytest, '-q', '--continue-on-collection-errors', 'tests']);
    expect(result.code).toBe(1);
    expect(result.document.summary.counts).toMatchObject({ passed: 1, error: 1 });
    const error = result.document.runs[0]!.tests.find((t) => t.outcome === 'error')!;
    expect(error.file).toBe('tests/broken/test_never.py'); // where pytest itself puts it
    expect(error.message).toContain('the broken package');
  });

  it('pytest -n 2: a collection error is counted once', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      'tests/test_ok.py': 'def test_ok():\n    pass\n',
      'tests/test_broken.py': 'import no_such_module_here\n',
    });
    const result = await profile(dir, ['--', ...pytest, '-q', '-n', '2', '--continue-on-collection-errors', 'tests']);
    expect(result.document.summary.counts).toMatchObject({ error: 1 });
    expect(result.document.runs[0]!.tests.find((t) => t.outcome === 'error')!.message).toContain('no_such_module_here');
  });

  const throwing = "throw new Error('the module fails to load');\n";
  const cases = {
    'node:test': { files: { 'a.test.mjs': "import { it } from 'node:test';\nit('adds', () => {});\n", 'b.test.mjs': throwing }, command: ['node', '--test'] },
    vitest: { files: { 'a.test.js': passing, 'b.test.js': throwing }, command: [bin('vitest'), 'run'] },
    jest: { files: { 'a.test.js': "test('adds', () => {});\n", 'b.test.js': throwing }, command: [bin('jest')] },
  };
  for (const [runner, setup] of Object.entries(cases)) {
    it(`${runner}: a test file that throws at import`, async () => {
      const dir = await project(setup.files);
      const result = await profile(dir, ['--', ...setup.command]);
      expect(result.code).toBe(1);
      expect(result.document.summary.counts).toMatchObject({ passed: 1, error: 1 });
      const error = result.document.runs[0]!.tests.find((t) => t.outcome === 'error')!;
      expect(error.file).toBe('b.test.' + (runner === 'node:test' ? 'mjs' : 'js'));
      expect(error.message).toContain('the module fails to load');
    });
  }
});

describe('a run that ends before any test says why', () => {
  it('pytest with an unknown option, also under --quiet', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'test_a.py': 'def test_a():\n    pass\n' });
    // Under --quiet the tool keeps the output's last lines for the document.
    const quiet = await profile(dir, ['--quiet', '--', ...pytest, '--no-such-option']);
    expect(quiet.code).toBe(4);
    expect(quiet.document.warnings!.join('\n')).toContain('unrecognized arguments: --no-such-option');
    // Otherwise the output goes straight to the tool's stderr, where the user reads why; the document points there.
    const shown = await profile(dir, ['--', ...pytest, '--no-such-option']);
    expect(shown.code).toBe(4);
    expect(shown.stderr).toContain('unrecognized arguments: --no-such-option');
    expect(shown.document.warnings!.join('\n')).toContain("no test results were recorded (exit code 4); the command's output says why");
  });

  it('mocha with a test file that throws at import', async () => {
    const dir = await project({ 'test/a.spec.js': "throw new Error('the module fails to load');\n" });
    const result = await profile(dir, ['--quiet', '--', bin('mocha')]);
    expect(result.code).toBe(1);
    expect(result.document.warnings!.join('\n')).toContain('the module fails to load');
  });
});

describe('tests with the same name in one file are told apart', () => {
  it('node:test: two it() of the same name, the first failing, give 1 failed', async () => {
    const dir = await project({
      'a.test.mjs': [
        "import { describe, it } from 'node:test';",
        "describe('cli', () => {",
        "  it('should print an error message', () => { throw new Error('first fails'); });",
        "  it('should print an error message', () => {});",
        "  it('runs', () => {});",
        '});',
        '',
      ].join('\n'),
    });
    const result = await profile(dir, ['--', 'node', '--test']);
    expect(result.code).toBe(1);
    expect(result.document.summary.counts).toMatchObject({ total: 3, passed: 2, failed: 1 });
    expect(result.document.tests).toHaveLength(3);
  });

  const twins = (call: string) => `${call}('twin', () => {});\n${call}('twin', () => { throw new Error('second fails'); });\n${call}('other', () => {});\n`;
  const runners = {
    jest: { files: { 'a.test.js': twins('test') }, command: [bin('jest')] },
    vitest: { files: { 'a.test.js': "import { it } from 'vitest';\n" + twins('it') }, command: [bin('vitest'), 'run'] },
    mocha: { files: { 'test/a.spec.js': twins('it') }, command: [bin('mocha')] },
  };
  for (const [runner, setup] of Object.entries(runners)) {
    it(`${runner}: twins are two tests, the failing one failed`, async () => {
      const dir = await project(setup.files);
      const result = await profile(dir, ['--', ...setup.command]);
      expect(result.code).toBe(1);
      expect(result.document.summary.counts).toMatchObject({ total: 3, passed: 2, failed: 1 });
      expect(result.document.tests).toHaveLength(3);
    });
  }
});

describe('jest with a path or a pattern', () => {
  for (const argument of ['tests/dst.test.js', 'dst']) {
    it(`runs "jest ${argument}" as jest would`, async () => {
      const dir = await project({ 'tests/dst.test.js': "test('springs forward', () => {});\n", 'tests/other.test.js': "test('other', () => {});\n" });
      const result = await profile(dir, ['--', bin('jest'), argument]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.document.tests.map((t) => t.name)).toEqual(['springs forward']);
    });
  }
});

describe('fake timers cannot move tests on the timeline', () => {
  const expectOnTimeline = (document: Awaited<ReturnType<typeof profile>>['document']) => {
    const run = document.runs[0]!;
    expect(run.tests.length).toBeGreaterThan(0);
    for (const test of run.tests) {
      expect(test.startMs!).toBeGreaterThanOrEqual(-1);
      expect(test.endMs!).toBeLessThanOrEqual(run.wallMs + 1);
      expect(test.worker).toMatch(/\S/);
    }
  };

  it("mocha with sinon's fake timers installed when the test file loads", async () => {
    const dir = await project({
      'test/a.spec.js': [
        "const FakeTimers = require('@sinonjs/fake-timers');",
        'const clock = FakeTimers.install({ now: 0 });',
        "it('ticks', () => { clock.tick(5000); });",
        "it('ticks again', () => { clock.tick(1e9); });",
        'after(() => clock.uninstall());',
        '',
      ].join('\n'),
    });
    const result = await profile(dir, ['--', bin('mocha')]);
    expect(result.code, result.stderr).toBe(0);
    expectOnTimeline(result.document);
  });

  it('mocha with fake timers installed by a --require module, before the reporter loads', async () => {
    const dir = await project({
      'fake.js': "require('@sinonjs/fake-timers').install({ now: 0, toFake: ['Date', 'performance', 'hrtime'] });\n",
      'test/a.spec.js': "it('runs', () => {});\n",
    });
    const result = await profile(dir, ['--', bin('mocha'), '--require', './fake.js']);
    expect(result.code, result.stderr).toBe(0);
    expectOnTimeline(result.document);
  });

  it('pytest with time.time patched in a test', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      'conftest.py': 'import time\n\ndef pytest_configure(config):\n    time.time = lambda: 0.0\n    time.perf_counter = lambda: 0.0\n',
      'test_a.py': 'def test_a():\n    pass\n\ndef test_b():\n    pass\n',
    });
    const result = await profile(dir, ['--', ...pytest, '-q']);
    expect(result.code, result.stderr).toBe(0);
    expectOnTimeline(result.document);
  });
});

describe('--cpu-profile with node:test', () => {
  it('runs the tests and gives hotspots', async () => {
    const dir = await project({ 'a.test.mjs': "import { it } from 'node:test';\nit('spins', () => { let x = 0; for (let i = 0; i < 3e7; i++) x += i; return x; });\n" });
    const result = await profile(dir, ['--cpu-profile', '--', 'node', '--test']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.document.summary.counts.passed).toBe(1);
    expect(result.document.cpuProfile?.functions.length).toBeGreaterThan(0);
  });
});

describe('bats', () => {
  const files = {
    'test/parallel.bats': '@test "top level" {\n  true\n}\n',
    'test/fixtures/bats/parallel.bats': '@test "in fixtures" {\n  true\n}\n',
    'test/other.bats': '@test "other" {\n  [ 1 -eq 1 ]\n}\n',
  };
  // bats from npm (1.13) takes testpace's formatter; Debian's 1.8 only its own (the JUnit report is read).
  const batsVersions = { 'bats >= 1.9': bin('bats'), 'bats 1.8': 'bats' };

  it('leaves the TAP output as bats writes it', async () => {
    const dir = await tempDir();
    await writeTree(dir, files);
    const plain = await bare([bin('bats'), 'test'], dir);
    const result = await profile(dir, ['--', bin('bats'), 'test']);
    expect(result.code).toBe(0);
    expect(result.stderr.slice(0, plain.stdout.length)).toBe(plain.stdout);
    expect(result.document.tests).toHaveLength(2);
  });

  for (const [version, executable] of Object.entries(batsVersions)) {
    it(`credits tests to their own file when two files share a base name (${version})`, async () => {
      const dir = await tempDir();
      await writeTree(dir, files);
      const result = await profile(dir, ['--', executable, '-r', 'test']);
      expect(result.code, result.stderr).toBe(0);
      const byName = Object.fromEntries(result.document.tests.map((t) => [t.name, t.file]));
      expect(byName).toEqual({ 'top level': 'test/parallel.bats', 'in fixtures': 'test/fixtures/bats/parallel.bats', other: 'test/other.bats' });
    });
  }
});

describe('jest under our config', () => {
  it("keeps the project's id, which names its transform cache", async () => {
    const dir = await project({ 'jest.config.js': 'module.exports = { testEnvironment: "node" };\n', 'a.test.js': "test('adds', () => {});\n" });
    const idOf = (stdout: string) => /"id": "([0-9a-f]+)"/.exec(stdout)?.[1];
    const plain = idOf((await bare([bin('jest'), '--showConfig'], dir)).stdout);
    const tmpDir = await tempDir();
    const { instrument } = await import('../../lib/runners/instrument.ts');
    const ours = await instrument('jest', [bin('jest'), '--showConfig'], { cwd: dir, eventsFile: path.join(tmpDir, 'events.jsonl'), tmpDir });
    expect(ours.command.some((arg) => arg.startsWith('--config='))).toBe(true);
    expect(idOf((await bare(ours.command, dir)).stdout)).toBe(plain);
    expect(plain).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('pytest behind env', () => {
  it('finds its plugin when the command sets PYTHONPATH itself (env PYTHONPATH=src pytest)', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'src/shop.py': 'def total():\n    return 3\n', 'tests/test_shop.py': 'from shop import total\n\ndef test_total():\n    assert total() == 3\n' });
    const result = await profile(dir, ['--', 'env', 'PYTHONPATH=src', ...pytest, '-q', 'tests']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.document.summary.counts).toMatchObject({ total: 1, passed: 1 });
  });
});

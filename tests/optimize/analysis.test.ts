// The analysers on small projects written to temp dirs: what they flag, what they leave alone,
// and files that do not parse (reported, never skipped).
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import { run } from '../../tools/optimize/run.ts';
import { memoryIo, tempDir, writeTree } from '../helpers.ts';
import { options } from './options.ts';

interface Doc {
  files: { analysed: number; failed: Array<{ file: string; line?: number; error: string }> };
  findings: Array<{ rule: string; file: string; line: number; test?: { name: string }; tests?: Array<{ name: string }>; message: string; savings: { ms: number | null; basis: string } }>;
  summary: { totalSavingsMs: number };
}

let root: string;

beforeAll(async () => {
  root = await tempDir('testpace-optimize-');
  await writeTree(root, {
    'py/test_broken.py': 'def test_x(:\n    pass\n',
    'py/test_fine.py': [
      'import os, sqlite3, time',
      'import pytest',
      'from app import config',
      '',
      'DELAY = 0.2',
      '',
      '@pytest.fixture(scope="module")',
      'def shared():',
      '    time.sleep(1)',
      '    return 1',
      '',
      'def test_monkeypatched(monkeypatch, tmp_path):',
      '    monkeypatch.setenv("A", "1")',
      '    monkeypatch.setattr(config, "LIMIT", 3)',
      '    (tmp_path / "out.txt").write_text("x")',
      '    sqlite3.connect(":memory:")',
      '',
      'def test_restores_in_finally():',
      '    old = os.environ.get("B")',
      '    os.environ["B"] = "2"',
      '    try:',
      '        pass',
      '    finally:',
      '        os.environ["B"] = old',
      '',
      'def test_short_sleep():',
      '    time.sleep(0.01)',
      '',
      'class TestGroup:',
      '    def test_constant_sleep(self, shared):',
      '        time.sleep(DELAY * 2)',
      '',
      '    def test_mutates(self):',
      '        config.SETTINGS.update(debug=True)',
      '        os.chdir("/")',
      '',
      '@pytest.mark.parametrize("n", [1, 2])',
      'def test_one(n):',
      '    total = n + 1',
      '    assert total > n',
      '',
      '@pytest.mark.parametrize("n", [1, 2])',
      'def test_two(k):',
      '    result = k + 1',
      '    assert result > k',
      '',
    ].join('\n'),
    'js/broken.test.ts': "test('x', () => {\n  const a = ;\n});\n",
    'js/fine.test.ts': [
      "import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';",
      "import { spawn } from 'node:child_process';",
      "import * as settings from '../src/settings';",
      '',
      'const WAIT = 250;',
      '',
      "describe('outer', () => {",
      '  beforeAll(async () => {',
      '    await new Promise((r) => setTimeout(r, 2000));',
      '  });',
      '',
      "  describe('inner', () => {",
      "    test('waits a constant', async () => {",
      '      await new Promise((r) => setTimeout(r, WAIT));',
      '    });',
      '  });',
      '});',
      '',
      "test('stubs the environment', () => {",
      "  vi.stubEnv('MODE', 'x');",
      '  const local = { a: 1 };',
      '  local.a = 2;',
      '  const list = [];',
      '  list.push(1);',
      '});',
      '',
      "test('restores in afterEach', () => {",
      "  process.env.TOKEN = 'abc';",
      '});',
      '',
      'afterEach(() => {',
      '  delete process.env.TOKEN;',
      '});',
      '',
      "test('spawns and mutates', () => {",
      "  spawn('ls');",
      '  settings.flags.fast = true;',
      '});',
      '',
      "test('sets a global', () => {",
      '  globalThis.fetchTimeout = 5;',
      '});',
      '',
      "test('listens on a fixed port', async () => {",
      "  const { createServer } = await import('node:http');",
      '  createServer().listen(8080);',
      '});',
      '',
    ].join('\n'),
    'mut/test_mutation.py': [
      'import time',
      'import pytest',
      '',
      '@pytest.fixture',
      'def catalog():',
      '    time.sleep(0.1)',
      '    return {"tea": 1}',
      '',
      'def test_reads(catalog):',
      '    assert catalog["tea"] == 1',
      '',
      'def test_writes(catalog):',
      '    catalog["tea"] = 2',
      '',
    ].join('\n'),
    'mut/mutation.test.js': [
      "const { setTimeout: wait } = require('node:timers/promises');",
      '',
      "describe('cart', () => {",
      '  let cart;',
      '  beforeEach(async () => {',
      '    await wait(100);',
      '    cart = { items: [] };',
      '  });',
      "  it('starts empty', () => {",
      '    expect(cart.items).toEqual([]);',
      '  });',
      "  it('adds an item', () => {",
      "    cart.items.push('tea');",
      '  });',
      '});',
      '',
    ].join('\n'),
    'hooks/after.test.js': [
      "test('one', () => {});",
      "test('two', () => {});",
      'afterEach(async () => {',
      '  await new Promise((r) => setTimeout(r, 200));',
      '});',
      '',
    ].join('\n'),
    'hooks/test_finally.py': [
      'import time',
      '',
      'def test_waits_in_finally():',
      '    try:',
      '        pass',
      '    finally:',
      '        time.sleep(0.2)',
      '',
    ].join('\n'),
    'helpers/waits.test.js': [
      'const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));',
      '',
      "test('waits through a helper', async () => {",
      '  await sleep(300);',
      '});',
      '',
    ].join('\n'),
    'helpers/test_waits.py': [
      'import time',
      '',
      'def wait(seconds):',
      '    time.sleep(seconds)',
      '',
      'def test_waits_through_a_helper():',
      '    wait(0.3)',
      '',
      'import unittest',
      '',
      'class Checkout(unittest.TestCase):',
      '    def test_pays(self):',
      '        wait(0.3)',
      '',
    ].join('\n'),
    'sh/broken.bats': '@test "never closed" {\n  echo "x\n',
    'sh/fine.bats': [
      'setup_file() {',
      '  sleep 2',
      '}',
      '',
      '@test "writes in its temp dir" {',
      '  echo x > "$BATS_TEST_TMPDIR/out.txt"',
      '  echo y >/dev/null',
      '  run sqlite3 :memory: "select 1"',
      '}',
      '',
      '@test "sleeps in a substitution" {',
      '  value=$(sleep 1; echo done)',
      '  cp a.txt /var/tmp/shared.txt',
      '}',
      '',
    ].join('\n'),
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function analyse(paths: string[]): Promise<Doc> {
  const io = memoryIo({ cwd: root });
  expect(await run(options({ paths }), io), io.err()).toBe(0);
  const document = JSON.parse(io.out()) as Doc;
  validateDocument(document, 'optimize output', ['optimization']);
  return document;
}

const places = (document: Doc) => document.findings.map((f) => `${f.rule} ${f.file}:${f.line}`).sort();

describe('files that do not parse', () => {
  it('are reported with their line in files.failed, and the others are still analysed', async () => {
    const document = await analyse(['.']);
    expect(document.files.failed.map((f) => [f.file, f.line])).toEqual([
      ['js/broken.test.ts', 2],
      ['py/test_broken.py', 1],
      // The quote opened on line 2 is never closed.
      ['sh/broken.bats', 2],
    ]);
    for (const failed of document.files.failed) expect(failed.error.length).toBeGreaterThan(3);
    expect(document.files.analysed).toBe(9);
  });
});

describe('Python', () => {
  it('flags leaks and literal sleeps, not monkeypatch, tmp_path, :memory: or restores in finally', async () => {
    const document = await analyse(['py/test_fine.py']);
    expect(places(document)).toEqual([
      'duplicate-test py/test_fine.py:38',
      'duplicate-test py/test_fine.py:43',
      'parallel-unsafe py/test_fine.py:34',
      'parallel-unsafe py/test_fine.py:35',
      'sleep py/test_fine.py:31',
      'sleep py/test_fine.py:9',
    ]);
    // A module-scoped fixture's sleep runs once per module, and is not a costly per-test fixture.
    expect(document.findings.find((f) => f.line === 9)!.savings.ms).toBe(1000);
    const sleep = document.findings.find((f) => f.rule === 'sleep' && f.line === 31)!;
    expect(sleep.test?.name).toBe('TestGroup::test_constant_sleep');
    expect(sleep.savings).toEqual({ ms: 400, basis: 'static', detail: '400 ms literal × 1 run per suite run' });
  });
});

describe('JavaScript and TypeScript', () => {
  it('follows constants, nested suites, stubs and after-hook restores', async () => {
    const document = await analyse(['js/fine.test.ts']);
    // settings.flags.fast (line 37) is module state, which vitest isolates per file: not a finding.
    expect(places(document)).toEqual([
      'parallel-unsafe js/fine.test.ts:41',
      'parallel-unsafe js/fine.test.ts:46',
      'sleep js/fine.test.ts:9',
      'sleep js/fine.test.ts:14',
      'subprocess js/fine.test.ts:36',
    ].sort());
    const constant = document.findings.find((f) => f.rule === 'sleep' && f.line === 14)!;
    expect(constant.test?.name).toBe('outer > inner > waits a constant');
    expect(constant.savings.ms).toBe(250);
    // A beforeAll runs once: its sleep counts once, not per test.
    const once = document.findings.find((f) => f.rule === 'sleep' && f.line === 9)!;
    expect(once.savings.ms).toBe(2000);
    expect(once.tests?.map((t) => t.name)).toEqual(['outer > inner > waits a constant']);
  });
});

describe('bats', () => {
  it('reads commands inside $( ) and leaves temp dirs, /dev/null and :memory: alone', async () => {
    const document = await analyse(['sh/fine.bats']);
    expect(places(document)).toEqual(['parallel-unsafe sh/fine.bats:13', 'sleep sh/fine.bats:12', 'sleep sh/fine.bats:2'].sort());
  });
});

describe('costly fixtures', () => {
  it('say when the tests mutate what the set-up builds, and ask for a copy', async () => {
    const document = await analyse(['mut']);
    const fixtures = document.findings.filter((f) => f.rule === 'costly-fixture');
    expect(fixtures.map((f) => `${f.file}:${f.line}`).sort()).toEqual(['mut/mutation.test.js:5', 'mut/test_mutation.py:5']);
    for (const finding of fixtures) {
      expect(finding.message).toContain('1 test mutates what it builds');
      expect(finding.savings).toMatchObject({ ms: 100, basis: 'static' });
    }
    expect(fixtures.find((f) => f.file.endsWith('.py'))!.tests!.map((t) => t.name)).toEqual(['test_reads', 'test_writes']);
  });
});

describe('slow collection', () => {
  it('names the heaviest import of the test modules, measured by python -X importtime', async () => {
    const dir = await tempDir('testpace-optimize-imports-');
    try {
      await writeTree(dir, {
        'pytest.ini': '[pytest]\npythonpath = src\n',
        'src/heavy.py': 'import time\ntime.sleep(0.3)\nVALUE = 1\n',
        'tests/test_a.py': 'import os\n\nimport heavy\n\n\ndef test_a():\n    assert heavy.VALUE == 1\n',
      });
      const stats = (ms: number) => ({ runs: 1, min: ms, median: ms, max: ms, mad: 0 });
      const profile = {
        kind: 'profile',
        schemaVersion: 1,
        tool: { name: 'testpace-profile', version: '0.1.0' },
        createdAt: '2026-11-24T05:00:00.000Z',
        environment: { os: { platform: 'linux', release: '6', arch: 'x64' }, cpus: { count: 2, model: 'test' }, memoryBytes: 1, runtimes: {}, git: null },
        command: ['pytest'],
        cwd: '.',
        runner: 'pytest',
        status: 'passed',
        runs: [],
        tests: [{ file: 'tests/test_a.py', name: 'test_a', id: 'tests/test_a.py::test_a', outcome: 'passed', durationMs: stats(1), flaky: false }],
        summary: { runs: 1, warmup: 0, wallMs: stats(1000), collectionMs: stats(800), counts: { total: 1, passed: 1, failed: 0, skipped: 0, error: 0 }, flaky: 0 },
      };
      validateDocument(profile, 'inline profile', ['profile']);
      await writeTree(dir, { 'profile.json': JSON.stringify(profile) });
      const io = memoryIo({ cwd: dir });
      expect(await run(options({ paths: ['tests'], profile: 'profile.json' }), io), io.err()).toBe(0);
      const document = JSON.parse(io.out()) as Doc;
      const collection = document.findings.filter((f) => f.rule === 'slow-collection');
      // The suite-level finding points at pytest's configuration, not at `.:0`.
      expect(collection.map((f) => `${f.file}:${f.line}`)).toEqual(['pytest.ini:1', 'tests/test_a.py:3']);
      expect(collection[0]!.message).toBe('start-up and collection take 800 ms, 80% of the 1000 ms run (medians over 1 measured run) before the first of 1 test starts');
      const heavy = collection[1]!;
      expect(heavy.message).toContain('importing heavy takes');
      expect(heavy.savings.basis).toBe('measured');
      // The module sleeps 0.3 s while it is imported.
      expect(heavy.savings.ms).toBeGreaterThanOrEqual(300);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('total savings', () => {
  it('never exceed the measured run, however long the static waits of tests the profile did not run', async () => {
    const dir = await tempDir('testpace-optimize-cap-');
    try {
      await writeTree(dir, { 'tests/test_waits.py': 'import time\n\n\ndef test_waits():\n    time.sleep(5)\n' });
      const stats = (ms: number) => ({ runs: 1, min: ms, median: ms, max: ms, mad: 0 });
      const profile = {
        kind: 'profile',
        schemaVersion: 1,
        tool: { name: 'testpace-profile', version: '0.1.0' },
        createdAt: '2026-11-24T05:00:00.000Z',
        environment: { os: { platform: 'linux', release: '6', arch: 'x64' }, cpus: { count: 2, model: 'test' }, memoryBytes: 1, runtimes: {}, git: null },
        command: ['pytest'],
        cwd: '.',
        runner: 'pytest',
        status: 'passed',
        runs: [],
        tests: [{ file: 'tests/test_other.py', name: 'test_other', id: 'tests/test_other.py::test_other', outcome: 'passed', durationMs: stats(100), flaky: false }],
        summary: { runs: 1, warmup: 0, wallMs: stats(1000), collectionMs: stats(100), counts: { total: 1, passed: 1, failed: 0, skipped: 0, error: 0 }, flaky: 0 },
      };
      await writeTree(dir, { 'profile.json': JSON.stringify(profile) });
      const io = memoryIo({ cwd: dir });
      expect(await run(options({ paths: ['tests'], profile: 'profile.json' }), io), io.err()).toBe(0);
      const document = JSON.parse(io.out()) as Doc;
      expect(document.findings.find((f) => f.rule === 'sleep')!.savings.ms).toBe(5000);
      expect(document.summary.totalSavingsMs).toBe(1000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the test environment', () => {
  it('is named, at the config that sets it, when building it is a large share of the files’ time', async () => {
    const dir = await tempDir('testpace-optimize-environment-');
    try {
      await writeTree(dir, {
        'vitest.config.ts': "import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({\n  test: {\n    environment: 'jsdom',\n  },\n});\n",
        'tests/a.test.ts': "import { test } from 'vitest';\n\ntest('a', () => {});\n",
        'tests/b.test.ts': "import { test } from 'vitest';\n\ntest('b', () => {});\n",
      });
      const stats = (ms: number) => ({ runs: 1, min: ms, median: ms, max: ms, mad: 0 });
      const test = (file: string, name: string, startMs: number) => ({ file, name, outcome: 'passed', durationMs: 5, startMs, endMs: startMs + 5, worker: '1' });
      const profile = {
        kind: 'profile',
        schemaVersion: 1,
        tool: { name: 'testpace-profile', version: '0.1.0' },
        createdAt: '2026-11-24T05:00:00.000Z',
        environment: { os: { platform: 'linux', release: '6', arch: 'x64' }, cpus: { count: 2, model: 'test' }, memoryBytes: 1, runtimes: {}, git: null },
        command: ['npx', 'vitest', 'run'],
        cwd: '.',
        runner: 'vitest',
        status: 'passed',
        runs: [
          {
            index: 0, warmup: false, wallMs: 2000, exitCode: 0, signal: null, interrupted: false, collectionMs: 900, tailMs: 50,
            files: [
              { file: 'tests/a.test.ts', durationMs: 800, environmentMs: 600 },
              { file: 'tests/b.test.ts', durationMs: 700, environmentMs: 500 },
            ],
            tests: [test('tests/a.test.ts', 'a', 900), test('tests/b.test.ts', 'b', 1700)],
          },
        ],
        tests: [
          { file: 'tests/a.test.ts', name: 'a', outcome: 'passed', durationMs: stats(5), flaky: false },
          { file: 'tests/b.test.ts', name: 'b', outcome: 'passed', durationMs: stats(5), flaky: false },
        ],
        summary: { runs: 1, warmup: 0, wallMs: stats(2000), collectionMs: stats(900), counts: { total: 2, passed: 2, failed: 0, skipped: 0, error: 0 }, flaky: 0 },
      };
      validateDocument(profile, 'inline profile', ['profile']);
      await writeTree(dir, { 'profile.json': JSON.stringify(profile) });
      const io = memoryIo({ cwd: dir });
      expect(await run(options({ paths: ['tests'], profile: 'profile.json' }), io), io.err()).toBe(0);
      const document = JSON.parse(io.out()) as Doc;
      const environment = document.findings.find((f) => f.message.startsWith('setting up the test environment'))!;
      expect(`${environment.file}:${environment.line}`).toBe('vitest.config.ts:5');
      expect(environment.message).toBe("setting up the test environment takes 1100 ms over 2 files, 73% of the files' measured time (medians over 1 measured run)");
      expect(environment.savings).toMatchObject({ ms: 1100, basis: 'measured' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('clean-up code', () => {
  it('still costs time: sleeps in after-hooks and finally blocks are reported', async () => {
    const document = await analyse(['hooks']);
    expect(places(document)).toEqual(['costly-fixture hooks/after.test.js:3', 'sleep hooks/after.test.js:4', 'sleep hooks/test_finally.py:7']);
    const hook = document.findings.find((f) => f.rule === 'costly-fixture')!;
    expect(hook.savings).toMatchObject({ ms: 200, basis: 'static' });
    expect(hook.tests!.map((t) => t.name)).toEqual(['one', 'two']);
  });
});

describe('helpers that wait', () => {
  it('are followed to the sleep they make, with the duration the test passes', async () => {
    const document = await analyse(['helpers']);
    expect(places(document)).toEqual(['sleep helpers/test_waits.py:13', 'sleep helpers/test_waits.py:7', 'sleep helpers/waits.test.js:4']);
    for (const finding of document.findings) expect(finding.savings).toMatchObject({ ms: 300, basis: 'static' });
    // unittest.TestCase methods are named as pytest names them.
    expect(document.findings.find((f) => f.line === 13)!.test?.name).toBe('Checkout::test_pays');
  });
});

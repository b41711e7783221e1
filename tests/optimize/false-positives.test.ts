// Patterns real suites (click, attrs, structlog, packaging, luxon, sinon, express, ufo, bats-core) use
// that optimize once reported falsely, each as a minimal reproduction beside a true positive of the same
// kind, so that a fix cannot simply stop reporting the rule.
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
}

let root: string;

const lines = (...rows: string[]) => rows.join('\n') + '\n';

beforeAll(async () => {
  root = await tempDir('testpace-optimize-fp-');
  await writeTree(root, {
    // click: the env variable is written in a callback of a test that deleted it through monkeypatch first.
    'py/test_env.py': lines(
      'import os',
      '',
      'def test_callback_sets_env(monkeypatch):',
      '    monkeypatch.delenv("APP_DEBUG", raising=False)',
      '',
      '    def set_debug(value):',
      '        os.environ["APP_DEBUG"] = "1" if value else "0"',
      '',
      '    set_debug(True)',
      '',
      'def test_leaks_env():',
      '    os.environ["LEAKED"] = "1"',
      '',
      'def test_update_names_the_variables():',
      '    os.environ.update({"MODE": "x", "LEVEL": "2"})',
    ),
    // click and attrs: a yield fixture that restores after its yield, an autouse fixture that restores, and the
    // restoring line itself.
    'py/test_restores.py': lines(
      'import pytest',
      'from shop import registry',
      '',
      '@pytest.fixture',
      'def clean_registry():',
      '    saved = registry.HANDLERS.copy()',
      '    registry.HANDLERS.clear()',
      '    yield',
      '    registry.HANDLERS.clear()',
      '    registry.HANDLERS.update(saved)',
      '',
      'def test_uses_clean_registry(clean_registry):',
      '    registry.HANDLERS["x"] = 1',
      '',
      'class TestDisable:',
      '    @pytest.fixture(autouse=True)',
      '    def _reset(self):',
      '        yield',
      '        registry.ENABLED = True',
      '',
      '    def test_disables(self):',
      '        registry.ENABLED = False',
      '',
      'def test_sets_and_puts_back():',
      '    registry.ENABLED = False',
      '    assert registry.ENABLED is False',
      '    registry.ENABLED = True',
    ),
    // click: streams swapped inside a context manager that puts them back.
    'py/test_streams.py': lines(
      'import sys',
      '',
      'def test_no_streams(runner):',
      '    with runner.isolation():',
      '        sys.stdout = None',
      '        sys.stderr = None',
      '',
      'def test_leaves_stdout():',
      '    sys.stdout = None',
    ),
    // structlog: a thread-local deleted where an autouse fixture resets it through the module's own function.
    'py/test_context.py': lines(
      'import pytest',
      'from shop.context import _CONTEXT, clear_context',
      '',
      '@pytest.fixture(autouse=True)',
      'def _clean():',
      '    clear_context()',
      '',
      'def test_no_context():',
      '    del _CONTEXT.context',
    ),
    // attrs: the same body in classes with other class attributes; structlog: sync and async twins.
    'py/test_dups.py': lines(
      'class TestInts:',
      '    cls = int',
      '',
      '    def test_eq(self):',
      '        assert self.cls(1) == self.cls(1)',
      '',
      'class TestFloats:',
      '    cls = float',
      '',
      '    def test_eq(self):',
      '        assert self.cls(1) == self.cls(1)',
      '',
      'class TestBind:',
      '    def test_bind(self, log):',
      '        assert log.bind(a=1)',
      '',
      '    async def test_bind_async(self, log):',
      '        assert log.bind(a=1)',
      '',
      'def test_empty_placeholder():',
      '    pass',
      '',
      'def test_other_placeholder():',
      '    """Advisory text only."""',
      '',
      'def test_copy_one():',
      '    assert sorted([2, 1]) == [1, 2]',
      '',
      'def test_copy_two():',
      '    assert sorted([2, 1]) == [1, 2]',
    ),
    // The planted-file miss: a sleep inside a helper imported from another module of the tests.
    'py/helpers.py': lines('import time', '', 'def wait_for_server():', '    time.sleep(0.5)'),
    'py/test_helper_import.py': lines('from helpers import wait_for_server', '', 'def test_server_starts():', '    wait_for_server()'),
    // express: a helper of the file that starts a process, used by the slowest tests.
    'mocha/cli.test.js': lines(
      "const { spawnSync } = require('node:child_process');",
      '',
      'function runCli(args) {',
      "  return spawnSync(process.execPath, ['bin/cli.js', ...args]);",
      '}',
      '',
      "it('prints help', () => {",
      "  runCli(['--help']);",
      '});',
    ),
    // luxon, sinon, express (mocha: one process for all files, so module state crosses files).
    'mocha/.mocharc.json': '{}\n',
    'mocha/state.test.js': lines(
      "const { Settings } = require('../src/settings');",
      "const registry = require('../src/registry');",
      '',
      "it('restores in finally', () => {",
      '  const old = Settings.now;',
      '  try {',
      '    Settings.now = () => 1;',
      '  } finally {',
      '    Settings.now = old;',
      '  }',
      '});',
      '',
      "describe('errors', () => {",
      '  beforeEach(function () {',
      '    this.old = Error;',
      '    globalThis.Error = function () {};',
      '  });',
      '  afterEach(function () {',
      '    globalThis.Error = this.old;',
      '  });',
      "  it('throws', () => {});",
      '});',
      '',
      "it('registers a local object', () => {",
      '  const object = {};',
      "  registry.set(object, 'stub');",
      '});',
      '',
      "it('uses a scoped helper', () => {",
      "  withDefaultZone('Asia/Tokyo', () => {",
      "    Settings.defaultZone = 'system';",
      '  });',
      '});',
      '',
      "it('leaks', () => {",
      "  Settings.zone = 'utc';",
      '});',
    ),
    // sinon: generated by two helpers with other arguments; a built artifact beside its source.
    'mocha/generated.test.js': lines(
      'function calledTests(method) {',
      "  it('returns false when not called', function () {",
      '    expect(this.spy[method]()).toBe(false);',
      '  });',
      '}',
      '',
      'function alwaysCalledTests(method) {',
      "  it('returns false when not called', function () {",
      '    expect(this.spy[method]()).toBe(false);',
      '  });',
      '}',
      '',
      "describe('calledWith', () => calledTests('calledWith'));",
      "describe('alwaysCalledWith', () => alwaysCalledTests('alwaysCalledWith'));",
      '',
      "describe('withTrailingSlash, false', () => {",
      "  it('falsy value', () => {",
      "    expect(withTrailingSlash()).toBe('/');",
      '  });',
      '});',
      '',
      "describe('withTrailingSlash, true', () => {",
      "  it('falsy value', () => {",
      "    expect(withTrailingSlash()).toBe('/');",
      '  });',
      '});',
    ),
    'mocha/colorizer.test.js': lines(
      "const { Colorizer } = require('../src/colorizer');",
      '',
      "it('colours', () => {",
      "  expect(new Colorizer().red('x')).toContain('31m');",
      '});',
    ),
    'mocha/colorizer-built.test.js': lines(
      "const { Colorizer } = require('../dist/colorizer');",
      '',
      "it('colours', () => {",
      "  expect(new Colorizer().red('x')).toContain('31m');",
      '});',
    ),
    // Fake timers (vitest, sinon clock): setTimeout does not wait.
    'timers/fake.test.js': lines(
      "import { describe, it, test, vi } from 'vitest';",
      "import sinon from 'sinon';",
      '',
      "test('fake timers', () => {",
      '  vi.useFakeTimers();',
      '  setTimeout(() => {}, 10000);',
      '  vi.advanceTimersByTime(10000);',
      '});',
      '',
      "describe('sinon clock', () => {",
      '  beforeEach(function () {',
      '    this.clock = sinon.useFakeTimers();',
      '  });',
      "  it('waits', () => {",
      '    setTimeout(() => {}, 1000);',
      '  });',
      '});',
      '',
      "test('real', async () => {",
      '  await new Promise((resolve) => setTimeout(resolve, 500));',
      '});',
    ),
    // jest and node --test: each file has its own modules (and process), so module state stays in the file.
    'jest/jest.config.js': 'module.exports = {};\n',
    'jest/state.test.js': lines("const { Settings } = require('../src/settings');", '', "test('sets', () => {", "  Settings.throwOnInvalid = true;", '});'),
    'node/state.test.mjs': lines("import test from 'node:test';", "import { Settings } from '../src/settings.js';", '', "test('sets', () => {", '  Settings.throwOnInvalid = true;', '});'),
    // bats-core: comparisons are not redirections; writes after cd into the test's temp dir are its own.
    'bats/test/compare.bats': lines(
      '@test "compares" {',
      '  (( a > b ))',
      '  [[ "$a" > "$b" ]]',
      '  if (( BASH_VERSINFO[0] > 4 )) || (( BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] > 0 )); then',
      '    echo "$(( a > b ))"',
      '  fi',
      '}',
      '',
      '@test "writes in its temp dir" {',
      '  cd "$BATS_TEST_TMPDIR"',
      '  echo x > out.txt',
      '  touch marker',
      '}',
      '',
      '@test "writes a shared file" {',
      '  echo x > /tmp/shared.txt',
      '}',
    ),
    'bats/test/fixtures/suite/failing.bats': lines('@test "a fixture the suite runs" {', '  sleep 5', '  echo x > /tmp/fixture.txt', '}'),
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function analyse(paths: string[]): Promise<Finding[]> {
  const io = memoryIo({ cwd: root, env: { ...process.env, NO_COLOR: '1' } });
  expect(await run(options({ paths }), io), io.err()).toBe(0);
  return (JSON.parse(io.out()) as { findings: Finding[] }).findings;
}

const places = (findings: Finding[]) => findings.map((f) => `${f.rule} ${f.file}:${f.line}${f.hazard ? ` ${f.hazard}` : ''}`).sort();

describe('Python state that is put back', () => {
  it('an env variable monkeypatch deleted first is restored by pytest; one written bare is not', async () => {
    const findings = await analyse(['py/test_env.py']);
    expect(places(findings)).toEqual(['parallel-unsafe py/test_env.py:12 order-dependent', 'parallel-unsafe py/test_env.py:15 order-dependent']);
  });

  it('os.environ.update names the variables it writes', async () => {
    const update = (await analyse(['py/test_env.py'])).find((f) => f.line === 15)!;
    expect(update.message).toContain('writes the environment variables MODE, LEVEL and leaves them changed');
    expect(update.message).not.toContain('?');
  });

  it('a yield fixture, an autouse fixture and a test that puts the value back are not leaks', async () => {
    // The test that sets and resets is reported once, at its first write, not at the reset.
    expect(places(await analyse(['py/test_restores.py']))).toEqual(['parallel-unsafe py/test_restores.py:25 order-dependent']);
  });

  it('streams swapped inside a context manager are put back by it; swapped bare they are not', async () => {
    expect(places(await analyse(['py/test_streams.py']))).toEqual(['parallel-unsafe py/test_streams.py:9 order-dependent']);
  });

  it("a thread-local deleted where an autouse fixture calls the module's reset is not a leak", async () => {
    expect(places(await analyse(['py/test_context.py']))).toEqual([]);
  });
});

describe('duplicate tests', () => {
  it('differ by their class attributes, by async, and placeholders are no duplicates; true copies are', async () => {
    expect(places(await analyse(['py/test_dups.py']))).toEqual(['duplicate-test py/test_dups.py:26', 'duplicate-test py/test_dups.py:29']);
  });

  it('differ when generated by helpers with other arguments or bound to another module; true copies stay', async () => {
    const findings = await analyse(['mocha/generated.test.js', 'mocha/colorizer.test.js', 'mocha/colorizer-built.test.js']);
    expect(places(findings)).toEqual(['duplicate-test mocha/generated.test.js:17', 'duplicate-test mocha/generated.test.js:23']);
  });
});

describe('a sleep in a helper imported from another test module', () => {
  it('is found at the call', async () => {
    const findings = await analyse(['py/test_helper_import.py']);
    expect(places(findings)).toEqual(['sleep py/test_helper_import.py:4']);
    expect(findings[0]!.message).toBe('wait_for_server → time.sleep(0.5) in test "test_server_starts" waits 500 ms of real time');
  });
});

describe('a process started in a helper of the file', () => {
  it('is found at the test’s call', async () => {
    const findings = await analyse(['mocha/cli.test.js']);
    expect(places(findings)).toEqual(['subprocess mocha/cli.test.js:8']);
    expect(findings[0]!.message).toBe('runCli → child_process.spawnSync in test "prints help" starts a process');
  });
});

describe('JavaScript state that is put back', () => {
  it('finally blocks, after-hooks and scoped helpers restore; an API call on a local object is no module state', async () => {
    expect(places(await analyse(['mocha/state.test.js']))).toEqual(['parallel-unsafe mocha/state.test.js:36 order-dependent']);
  });

  it('module state stays inside its file under jest and node --test', async () => {
    expect(places(await analyse(['jest', 'node']))).toEqual([]);
  });
});

describe('sleeps under fake timers', () => {
  it('are not real waits; a real one is named in ms as written', async () => {
    const findings = await analyse(['timers']);
    expect(places(findings)).toEqual(['sleep timers/fake.test.js:20']);
    expect(findings[0]!.message).toBe('setTimeout in test "real" waits 500 ms of real time');
  });
});

describe('bats', () => {
  it('reads comparisons as comparisons, paths after cd "$BATS_TEST_TMPDIR" as the test’s own, and skips fixtures', async () => {
    const findings = await analyse(['bats']);
    expect(places(findings)).toEqual(['parallel-unsafe bats/test/compare.bats:16 shared-resource']);
  });
});

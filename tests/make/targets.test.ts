// The Make targets of testpace.mk, run for real: through this project's Makefile and from another
// project's Makefile that includes testpace.mk, on a copy of the pytest example, with the built tools.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import { examplesDir, repoRoot, tempDir } from '../helpers.ts';

// Some of these tests run this project's own suite through make. Test selection follows data-file
// edges, so it may pick this very file: a run started from here must not start those tests again.
const nested = process.env.TESTPACE_MAKE_NESTED === '1';
const ownSuiteEnv = { TESTPACE_SKIP_BUILD: '1', TESTPACE_MAKE_NESTED: '1' };

interface MakeResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs make with the given arguments (the tools are already built: no `build` prerequisite). */
function make(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<MakeResult> {
  return new Promise((resolve) => {
    execFile(
      'make',
      ['--no-print-directory', 'TESTPACE_PREREQS=', ...args],
      { cwd: options.cwd ?? repoRoot, env: { ...process.env, NO_COLOR: '1', ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs make without presetting TESTPACE_PREREQS. */
function execMake(args: string[], cwd: string): Promise<MakeResult> {
  return new Promise((resolve) => {
    execFile('make', ['--no-print-directory', ...args], { cwd }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd }, (error, stdout, stderr) => (error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr}`)) : resolve(stdout)));
  });
}

/** A tool whose run.ts is still the foundation's placeholder cannot be exercised yet. */
const notBuilt = (tool: string): boolean => {
  const source = path.join(repoRoot, 'tools', tool, 'run.ts');
  return !existsSync(source) || /throw new TestpaceError\('not built yet'\)/.test(readFileSync(source, 'utf8'));
};

/** A copy of an example (default: pytest), as a git repo with one commit. */
async function pytestProject(example = 'pytest'): Promise<string> {
  const dir = path.join(await tempDir('testpace-make-'), 'suite');
  await cp(path.join(examplesDir, example), dir, {
    recursive: true,
    filter: (source) => !/(__pycache__|\.pytest_cache)$/.test(source),
  });
  await run('git', ['init', '-q', '-b', 'main'], dir);
  await run('git', ['add', '-A'], dir);
  await run('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-qm', 'suite'], dir);
  return dir;
}

/** The tests pytest ran, from `pytest -v` output lines like `tests/test_x.py::test_y PASSED`. */
function testsRun(output: string): string[] {
  return [...new Set([...output.matchAll(/^(tests\/[\w/]+\.py::\S+) (?:PASSED|FAILED|ERROR|SKIPPED)/gm)].map((match) => match[1] ?? ''))].sort();
}

/** The test files pytest ran. */
function filesRun(output: string): string[] {
  return [...new Set(testsRun(output).map((id) => id.split('::')[0] ?? id))].sort();
}

const PYTEST = 'python3 -m pytest -q -p no:cacheprovider';
const PYTEST_VERBOSE = 'python3 -m pytest -v -p no:cacheprovider';
// A quick part of the example, for the targets that run the suite several times.
const QUICK = `${PYTEST} tests/test_labels.py tests/test_clean.py`;

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8')) as unknown;
}

describe.skipIf(nested)('testpace.mk on this project', () => {
  it('runs this project\'s own vitest suite from its root by default', async () => {
    // Running the suite itself here would take minutes (and recurse into this test): check what
    // each target would run instead.
    for (const target of ['test-profile', 'test-baseline', 'test-memory-profile']) {
      const result = await make(['-n', target]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`cd '${repoRoot}' && ${repoRoot}/dist/testpace-`);
      expect(result.stdout).toMatch(/ -- npx vitest run\n/);
    }
    const select = await make(['-n', 'test-select']);
    expect(select.stdout).toContain(`xargs -0 -r npx vitest run`);
  });

  it.skipIf(notBuilt('select'))('test-select pipes a selection into this project\'s own vitest suite', async () => {
    // One changed test file selects itself (and this file, which names it: a data-file edge), and
    // the default TEST_CMD (npx vitest run) runs them; this file skips itself when nested.
    const result = await make(['test-select', 'SELECT_ARGS=--files tests/layering.test.ts'], { env: ownSuiteEnv });
    expect(result.code, result.stderr).toBe(0);
    const output = stripVTControlCharacters(result.stdout);
    expect(output).toMatch(/✓ tests\/layering\.test\.ts/);
    expect(output).toMatch(/Test Files +1 passed/);
  });

  it.skipIf(['profile', 'mem-profile', 'optimize', 'report'].some(notBuilt))(
    'every target runs on a quick part of this project\'s own vitest suite',
    async () => {
      // The whole suite takes minutes (and would run this test again): a part of it, through the
      // same targets, tools and vitest adapter, shows the targets work on this project itself.
      const docs = await tempDir('testpace-make-own-');
      const part = ['tests/lib/output.test.ts', 'tests/layering.test.ts'];
      const vars = [`TEST_CMD=npx vitest run ${part.join(' ')}`, `TESTPACE_DIR=${docs}`, `TEST_PATHS=${part.join(' ')}`, 'RUNS=2'];
      const env = ownSuiteEnv;
      const step = async (target: string, extra: string[] = []) => {
        const result = await make([target, ...vars, ...extra], { env });
        expect(result.code, `${target}: ${result.stderr}`).toBe(0);
        return result;
      };
      await step('test-profile');
      const profile = validateDocument<{ tests: Array<{ file: string }> }>(await readJson(path.join(docs, 'profile.json')), 'profile.json', ['profile']);
      expect(new Set(profile.tests.map((test) => test.file))).toEqual(new Set(part));
      await step('test-optimize');
      validateDocument(await readJson(path.join(docs, 'optimization.json')), 'optimization.json', ['optimization']);
      // Each shard runs one of the two files: vitest prints what it ran.
      for (const shard of [1, 2]) {
        const result = await step('test-shard', [`SHARD=${shard}`, 'SHARDS=2', 'TEST_CMD=npx vitest run']);
        expect(stripVTControlCharacters(result.stdout)).toMatch(/Test Files +1 passed \(1\)/);
      }
      await step('test-memory-profile');
      validateDocument(await readJson(path.join(docs, 'memory.json')), 'memory.json', ['memory']);
      await step('test-baseline');
      // Noise on a busy machine must not fail this test: what is checked is that the chain works.
      await step('test-benchmark', ['REPORT_ARGS=--min-delta 10s --total-threshold 1000%']);
      await step('test-report');
      expect(await readFile(path.join(docs, 'report.html'), 'utf8')).toContain('output.test.ts');
    },
    240_000,
  );

  it('builds the tools first when run through the Makefile', async () => {
    const result = await make(['-n', 'test-profile', 'TESTPACE_PREREQS=build']);
    expect(result.stdout).toContain('node scripts/build.mjs');
  });

  it('lists the targets in make help', async () => {
    const result = await make(['help']);
    for (const target of ['test-profile', 'test-benchmark', 'test-baseline', 'test-memory-profile', 'test-optimize', 'test-select', 'test-shard', 'test-report', 'nix-check', 'nix-hash']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${target} +\\S`, 'm'));
    }
  });
});

describe.skipIf(nested)('testpace.mk included by another project', () => {
  it('asks for TEST_CMD, keeps the project\'s default goal, and finds the tools in dist/', async () => {
    const dir = await tempDir('testpace-make-');
    await writeFile(path.join(dir, 'Makefile'), `all:\n\t@echo the project default goal\ninclude ${repoRoot}/testpace.mk\n`);
    const goal = await make([], { cwd: dir });
    expect(goal.stdout).toBe('the project default goal\n');
    const missing = await make(['test-profile'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('testpace.mk: set TEST_CMD to the command that runs your suite');
    const planned = await make(['-n', 'test-profile', 'TEST_CMD=pytest -q'], { cwd: dir });
    expect(planned.stdout).toContain(` ${repoRoot}/dist/testpace-profile.cjs --out '${dir}/.testpace/profile.json'`);
  });

  it("make help lists the project's targets and testpace's, without a help of its own", async () => {
    const dir = await tempDir('testpace-make-');
    await writeFile(path.join(dir, 'Makefile'), `all: ## the project's own\n\t@echo all\ninclude ${repoRoot}/testpace.mk\n`);
    const result = await make(['help'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}all +the project's own$/m);
    expect(result.stdout).toMatch(/^ {2}test-profile +Profile the suite/m);
    // A project with a help of its own keeps it.
    await writeFile(path.join(dir, 'Makefile'), `TESTPACE_HELP =\nhelp:\n\t@echo own help\ninclude ${repoRoot}/testpace.mk\n`);
    const own = await make(['help'], { cwd: dir });
    expect(own.stdout + own.stderr).toBe('own help\n');
  });

  it('takes the tools from a dist/ that a prerequisite has just built', async () => {
    // A fresh checkout has no dist/ when make reads testpace.mk; the build prerequisite writes it.
    const dir = await tempDir('testpace-make-');
    await cp(path.join(repoRoot, 'testpace.mk'), path.join(dir, 'testpace.mk'));
    await writeFile(
      path.join(dir, 'Makefile'),
      `TESTPACE_PREREQS = fake-build\ninclude testpace.mk\nfake-build:\n\tmkdir -p dist && printf '%s\\n' '#!/bin/sh' 'echo from dist' > dist/testpace-profile.cjs && chmod +x dist/testpace-profile.cjs\n`,
    );
    const result = await execMake(['test-profile', 'TEST_CMD=true'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(` ${dir}/dist/testpace-profile.cjs --out`);
    expect(result.stdout).toContain('from dist\n');
  });

  it('says what to run first when a document a target needs is missing', async () => {
    const dir = await tempDir('testpace-make-');
    const args = [`TESTPACE_DIR=${dir}/.testpace`, `TEST_CMD=${PYTEST}`, `SUITE_DIR=${dir}`];
    const benchmark = await make(['test-benchmark', ...args]);
    expect(benchmark.code).toBe(2);
    expect(benchmark.stderr).toContain(`test-benchmark: no baseline at ${dir}/.testpace/baseline.json: record one with 'make test-baseline'`);
    for (const target of ['test-optimize', 'test-shard', 'test-report']) {
      const result = await make([target, ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${target}: no profile in ${dir}/.testpace: run 'make test-profile' first`);
    }
  });
});

describe.skipIf(nested)('testpace.mk targets on the pytest example', () => {
  it.skipIf(notBuilt('profile'))('test-profile writes a profile of every test and prints a summary', async () => {
    const suite = await pytestProject();
    const docs = path.join(suite, '..', 'docs');
    // From another project's Makefile, as a user would include it.
    await writeFile(path.join(suite, '..', 'Makefile'), `include ${repoRoot}/testpace.mk\n`);
    const result = await make(['test-profile', `SUITE_DIR=${suite}`, `TEST_CMD=${PYTEST}`, `TESTPACE_DIR=${docs}`], { cwd: path.dirname(suite) });
    expect(result.code, result.stderr).toBe(0);
    const profile = validateDocument<{ tests: { file: string }[] }>(await readJson(path.join(docs, 'profile.json')), 'profile.json', ['profile']);
    const expected = (await readJson(path.join(examplesDir, 'pytest', 'expected.json'))) as { testCount: number };
    expect(profile.tests).toHaveLength(expected.testCount);
    expect(result.stderr.length).toBeGreaterThan(0);
  });

  it.skipIf(notBuilt('profile') || notBuilt('report'))(
    'test-benchmark passes against its own baseline and fails when a test gets slower',
    async () => {
      const suite = await pytestProject();
      const docs = path.join(suite, '..', 'docs');
      // A shared, busy machine moves the whole run's wall time by tens of per cent (start-up is
      // most of it here): judge the tests alone, counting changes of at least 100 ms.
      const args = [`SUITE_DIR=${suite}`, `TEST_CMD=${QUICK}`, `TESTPACE_DIR=${docs}`, 'REPORT_ARGS=--min-delta 100ms --total-threshold 1000%'];
      const baseline = await make(['test-baseline', ...args]);
      expect(baseline.code, baseline.stderr).toBe(0);
      validateDocument(await readJson(path.join(docs, 'baseline.json')), 'baseline.json', ['profile']);

      const same = await make(['test-benchmark', ...args]);
      expect(same.code, same.stderr + same.stdout).toBe(0);
      validateDocument(await readJson(path.join(docs, 'benchmark.json')), 'benchmark.json', ['profile']);

      // A 400 ms sleep in the first test of test_clean.py: a regression on every one of 5 runs.
      const file = path.join(suite, 'tests', 'test_clean.py');
      const source = await readFile(file, 'utf8');
      const slowed = source.replace(/^(def test_\w+\([^)]*\):\n)/m, '$1    __import__("time").sleep(0.4)\n');
      expect(slowed).not.toBe(source);
      await writeFile(file, slowed);
      const slower = await make(['test-benchmark', ...args]);
      expect(slower.code, slower.stderr + slower.stdout).not.toBe(0);
      const slowedTest = /^def (test_\w+)\(/m.exec(source)?.[1] ?? '';
      expect(slower.stdout).toMatch(new RegExp(`^regressed tests/test_clean\\.py::${slowedTest}: `, 'm'));
    },
    180_000,
  );

  it.skipIf(notBuilt('mem-profile'))('test-memory-profile writes a memory document', async () => {
    const suite = await pytestProject();
    const docs = path.join(suite, '..', 'docs');
    const result = await make(['test-memory-profile', `SUITE_DIR=${suite}`, `TEST_CMD=${QUICK}`, `TESTPACE_DIR=${docs}`]);
    expect(result.code, result.stderr).toBe(0);
    validateDocument(await readJson(path.join(docs, 'memory.json')), 'memory.json', ['memory']);
  });

  it.skipIf(notBuilt('mem-profile'))('test-memory-profile fails when the peak exceeds MAX_RSS', async () => {
    const suite = await pytestProject();
    const docs = path.join(suite, '..', 'docs');
    // A Python interpreter alone needs more than 1 MiB.
    const result = await make(['test-memory-profile', `SUITE_DIR=${suite}`, `TEST_CMD=${QUICK}`, `TESTPACE_DIR=${docs}`, 'MAX_RSS=1M']);
    expect(result.code).not.toBe(0);
  });

  it.skipIf(notBuilt('profile') || notBuilt('optimize'))('test-optimize finds the planted sleeps with the latest profile', async () => {
    const suite = await pytestProject();
    const docs = path.join(suite, '..', 'docs');
    const args = [`SUITE_DIR=${suite}`, `TEST_CMD=${PYTEST}`, `TESTPACE_DIR=${docs}`];
    expect((await make(['test-profile', ...args])).code).toBe(0);
    const result = await make(['test-optimize', ...args]);
    expect(result.code, result.stderr).toBe(0);
    const optimization = validateDocument<{ findings: { rule: string; file: string; line: number }[] }>(
      await readJson(path.join(docs, 'optimization.json')),
      'optimization.json',
      ['optimization'],
    );
    const expected = (await readJson(path.join(examplesDir, 'pytest', 'expected.json'))) as { planted: { rule: string; file: string; line: number }[] };
    const sleeps = expected.planted.filter((planted) => planted.rule === 'sleep' && planted.file.startsWith('tests/test_'));
    expect(sleeps.length).toBeGreaterThan(0);
    for (const sleep of sleeps) {
      expect(optimization.findings).toContainEqual(expect.objectContaining({ rule: 'sleep', file: sleep.file, line: sleep.line }));
    }
  });

  it.skipIf(notBuilt('select'))('test-select pipes only the tests affected since BASE into the runner', async () => {
    const suite = await pytestProject();
    const expected = (await readJson(path.join(examplesDir, 'pytest', 'expected.json'))) as { imports: Record<string, string[]> };
    const labels = path.join(suite, 'src', 'labels.py');
    await writeFile(labels, (await readFile(labels, 'utf8')) + '\n# a change\n');
    const result = await make(['test-select', `SUITE_DIR=${suite}`, `TEST_CMD=${PYTEST_VERBOSE}`, 'BASE=HEAD']);
    expect(result.code, result.stderr).toBe(0);
    expect(filesRun(result.stdout)).toEqual([...(expected.imports['src/labels.py'] ?? [])].sort());
  });

  it.skipIf(notBuilt('select'))('test-select runs nothing when nothing changed', async () => {
    const suite = await pytestProject();
    const result = await make(['test-select', `SUITE_DIR=${suite}`, `TEST_CMD=${PYTEST_VERBOSE}`, 'BASE=HEAD']);
    expect(result.code, result.stderr).toBe(0);
    expect(filesRun(result.stdout)).toEqual([]);
  });

  it.skipIf(notBuilt('profile') || notBuilt('optimize'))('test-shard runs two disjoint shards that together run every test', async () => {
    const suite = await pytestProject();
    const docs = path.join(suite, '..', 'docs');
    const args = [`SUITE_DIR=${suite}`, `TESTPACE_DIR=${docs}`, 'SHARDS=2'];
    expect((await make(['test-profile', `TEST_CMD=${PYTEST}`, ...args])).code).toBe(0);
    const first = await make(['test-shard', 'SHARD=1', `TEST_CMD=${PYTEST_VERBOSE}`, ...args]);
    const second = await make(['test-shard', 'SHARD=2', `TEST_CMD=${PYTEST_VERBOSE}`, ...args]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const one = testsRun(first.stdout);
    const two = testsRun(second.stdout);
    expect(one.length).toBeGreaterThan(0);
    expect(two.length).toBeGreaterThan(0);
    expect(one.filter((id) => two.includes(id))).toEqual([]);
    const profile = (await readJson(path.join(docs, 'profile.json'))) as { tests: { id: string }[] };
    expect([...one, ...two].sort()).toEqual(profile.tests.map((test) => test.id).sort());
  });

  it.skipIf(notBuilt('report'))('test-report writes report.html from the newest profile, with the baseline', async () => {
    const docs = await tempDir('testpace-make-');
    const fixture = path.join(repoRoot, 'tests', 'fixtures', 'documents', 'profile.json');
    await cp(fixture, path.join(docs, 'baseline.json'));
    // Older than the profile below by mtime: cp gives each copy the time it was made.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await cp(fixture, path.join(docs, 'profile.json'));
    const result = await make(['-n', 'test-report', `TESTPACE_DIR=${docs}`]);
    expect(result.stdout).toMatch(new RegExp(`testpace-report\\.cjs '${docs}/profile\\.json' +\\\\\\n +--baseline '${docs}/baseline\\.json'`));
    const written = await make(['test-report', `TESTPACE_DIR=${docs}`]);
    expect(written.code, written.stderr).toBe(0);
    const html = await readFile(path.join(docs, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('test_sleeps');
  });

  it.skipIf(notBuilt('profile') || notBuilt('report'))('test-report writes report.html from the latest profile', async () => {
    const suite = await pytestProject();
    const docs = path.join(suite, '..', 'docs');
    const args = [`SUITE_DIR=${suite}`, `TEST_CMD=${PYTEST}`, `TESTPACE_DIR=${docs}`];
    expect((await make(['test-profile', ...args])).code).toBe(0);
    const result = await make(['test-report', ...args]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`test-report: wrote ${docs}/report.html`);
    const html = await readFile(path.join(docs, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('test_checkout_waits_for_payment_gateway');
  });
});

interface Expected {
  command: string[];
  testCount: number;
  imports: Record<string, string[]>;
}

// How each runner is given test files (the examples' own commands name a directory for bats).
const runFiles: Record<string, string> = { 'node-test': 'node --test', bats: 'bats' };

describe.skipIf(nested).each(['node-test', 'bats'])('testpace.mk targets on the %s example', (example) => {
  it.skipIf(notBuilt('profile'))('test-profile profiles every test with the example\'s own command', async () => {
    const expected = (await readJson(path.join(examplesDir, example, 'expected.json'))) as Expected;
    const suite = await pytestProject(example);
    const docs = path.join(suite, '..', 'docs');
    const result = await make(['test-profile', `SUITE_DIR=${suite}`, `TEST_CMD=${expected.command.join(' ')}`, `TESTPACE_DIR=${docs}`]);
    expect(result.code, result.stderr).toBe(0);
    const profile = validateDocument<{ tests: unknown[] }>(await readJson(path.join(docs, 'profile.json')), 'profile.json', ['profile']);
    expect(profile.tests).toHaveLength(expected.testCount);
  });

  it.skipIf(notBuilt('select'))('test-select hands the runner exactly the test files that import the change', async () => {
    const expected = (await readJson(path.join(examplesDir, example, 'expected.json'))) as Expected;
    const suite = await pytestProject(example);
    // The source file with the fewest dependent tests: a selection that is clearly not "all".
    const [source, dependents] = Object.entries(expected.imports)
      .filter(([file]) => file.startsWith('src/'))
      .sort((a, b) => a[1].length - b[1].length)[0] ?? ['', []];
    await writeFile(path.join(suite, source), (await readFile(path.join(suite, source), 'utf8')) + '\n');
    // A runner that records the files it was given, then runs them with the example's command.
    const args = path.join(suite, '..', 'args.txt');
    await writeFile(path.join(suite, '..', 'runner.sh'), `printf '%s\\n' "$@" > '${args}'\nexec ${runFiles[example] ?? ''} "$@"\n`);
    const result = await make(['test-select', `SUITE_DIR=${suite}`, `TEST_CMD=sh ../runner.sh`, 'BASE=HEAD']);
    expect(result.code, result.stderr).toBe(0);
    expect((await readFile(args, 'utf8')).trim().split('\n').sort()).toEqual([...dependents].sort());
  });
});

// testpace-optimize with real profiles (recorded by testpace-profile on the examples): measured savings,
// the parallel plan, balanced shards, and the shard lists piped to a runner.
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import { run } from '../../tools/optimize/run.ts';
import { examplesDir, memoryIo, repoRoot, runBinary } from '../helpers.ts';
import { options } from './options.ts';

// Real documents of the examples: testpace-profile's own fixtures, and a -n 2 profile recorded for optimize.
const fixture = (name: string) =>
  name.endsWith('-example.json') ? path.join(repoRoot, 'tests', 'fixtures', 'profile', name) : path.join(repoRoot, 'tests', 'fixtures', 'optimize', name);
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

interface Stats {
  median: number;
}
interface Profile {
  command: string[];
  summary: { wallMs: Stats };
  tests: Array<{ file: string; name: string; id: string; durationMs: Stats; setupMs?: Stats }>;
}
interface Doc {
  inputs: { profile: { runs: number; runner: string } | null };
  findings: Array<{ rule: string; file: string; line: number; test?: { name: string }; tests?: Array<{ name: string }>; savings: { ms: number | null; basis: string; detail: string } }>;
  parallel: {
    policy: string;
    workerStartupMs: number;
    serialTests: Array<{ file: string; name: string }>;
    predictions: Array<{ workers: number; predictedWallMs: number; speedup: number }>;
    recommended: { workers: number; command: string };
    basis: string;
  };
  shards: { count: number; unit: string; groups: Array<{ index: number; items: string[]; predictedMs: number }>; imbalance: number; unknownItems: number };
  summary: { totalSavingsMs: number; byRule: Record<string, { savingsMs: number }>; parallelGainMs: number | null; serialTests: number; parallelSafeTests: number };
}

async function expectGolden(name: string, actual: string): Promise<void> {
  const file = path.join(repoRoot, 'tests', 'optimize', 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1') {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, actual);
  }
  expect(actual).toBe(await readFile(file, 'utf8'));
}

async function optimize(example: string, overrides: Parameters<typeof options>[0]): Promise<Doc> {
  const io = memoryIo({ cwd: path.join(examplesDir, example) });
  const code = await run(options(overrides), io);
  expect(code, io.err()).toBe(0);
  const document = JSON.parse(io.out()) as Doc;
  validateDocument(document, 'optimize output', ['optimization']);
  return document;
}

describe('with the pytest profile', () => {
  const profile = readJson<Profile>(fixture('pytest-example.json'));

  it('the profile fixtures are valid profile documents', () => {
    for (const name of ['pytest-example.json', 'pytest-n2-profile.json', 'vitest-example.json']) {
      expect(() => validateDocument(readJson(fixture(name)), name, ['profile'])).not.toThrow();
    }
  });

  it('measures the costly fixture as (uses − 1) × the median set-up of its users', async () => {
    const document = await optimize('pytest', { profile: fixture('pytest-example.json') });
    const finding = document.findings.find((f) => f.rule === 'costly-fixture')!;
    const users = finding.tests!.map((t) => t.name);
    const setups = profile.tests.filter((t) => users.includes(t.name)).map((t) => t.setupMs!.median).sort((a, b) => a - b);
    expect(setups).toHaveLength(3);
    expect(finding.savings.basis).toBe('measured');
    expect(finding.savings.ms).toBeCloseTo(2 * setups[1]!, 0);
    const runs = readJson<{ summary: { runs: number } }>(fixture('pytest-example.json')).summary.runs;
    expect(finding.savings.detail).toContain(`over ${runs} measured run`);
    expect(document.inputs.profile).toEqual({ source: fixture('pytest-example.json'), runs, runner: 'pytest' });
  });

  it('reports measured slow tests and never counts a test twice in the total', async () => {
    const document = await optimize('pytest', { profile: fixture('pytest-example.json') });
    const slow = document.findings.filter((f) => f.rule === 'slow-test').map((f) => f.test!.name).sort();
    expect(slow).toEqual(profile.tests.filter((t) => t.durationMs.median >= 250).map((t) => t.name).sort());
    const byRuleSum = Object.values(document.summary.byRule).reduce((sum, r) => sum + r.savingsMs, 0);
    const allTests = profile.tests.reduce((sum, t) => sum + t.durationMs.median, 0);
    // The fixture's sleep and its wider scope save the same time: the total counts it once.
    expect(document.summary.totalSavingsMs).toBeLessThan(byRuleSum);
    expect(document.summary.totalSavingsMs).toBeLessThanOrEqual(allTests);
    // Physical floor: the 0.5 s and 0.3 s sleeps and two of three 0.1 s fixture set-ups at least.
    expect(document.summary.totalSavingsMs).toBeGreaterThanOrEqual(1000);
  });

  it('tells people what to fix first on stderr, and the plan', async () => {
    const io = memoryIo({ cwd: path.join(examplesDir, 'pytest') });
    expect(await run(options({ profile: fixture('pytest-example.json') }), io)).toBe(0);
    const lines = io.err().split('\n');
    expect(lines[0]).toMatch(/^testpace-optimize: \d+ files analysed, \d+ findings$/);
    // Most costly first: the half-second sleep leads.
    expect(lines[1]).toMatch(/^ {2}sleep +tests\/test_checkout\.py:7 .*\(saves 500 ms, static\)$/);
    expect(io.err()).toMatch(/\n {2}parallel-unsafe +tests\/test_state\.py:9 /);
    // An assumed prediction shows its interval.
    expect(io.err()).toMatch(/\nparallel plan \(pytest-xdist loadgroup\), predicted wall time by workers: 1: [\d.]+ s, 2: [\d.]+ s \([\d.]+ s–[\d.]+ s\)\n {2}basis: simulated from \d+ tests, medians over \d+ measured runs? on 1 worker and 2 CPUs;/);
    expect(io.err()).toContain('total, each test counted once: ');
  });

  it('balances tests into shards, longest first', async () => {
    const document = await optimize('pytest', { profile: fixture('pytest-example.json'), shards: 3 });
    const shards = document.shards;
    expect(shards.unit).toBe('test');
    const items = shards.groups.flatMap((g) => g.items).sort();
    expect(items).toEqual(profile.tests.map((t) => t.id).sort());
    const duration = new Map(profile.tests.map((t) => [t.id, t.durationMs.median]));
    for (const group of shards.groups) {
      expect(group.predictedMs).toBeCloseTo(group.items.reduce((sum, id) => sum + duration.get(id)!, 0), 0);
    }
    const loads = shards.groups.map((g) => g.predictedMs);
    expect(shards.imbalance).toBeCloseTo(Math.max(...loads) / (loads.reduce((a, b) => a + b, 0) / loads.length), 2);
    // The 0.5 s test gets a shard of its own share: no shard holds both sleeping checkout tests.
    const checkout = shards.groups.filter((g) => g.items.some((i) => i.includes('test_checkout.py')));
    expect(checkout).toHaveLength(2);
  });
});

// Whole documents against committed golden files (tests/optimize/golden; UPDATE_GOLDEN=1 rewrites them). The inputs
// are recorded profiles, so the plan is deterministic; what is volatile is pinned: the time (run's clock), the
// machine's environment, and the repository's absolute path.
describe('whole documents', () => {
  const NOW = new Date('2026-12-01T12:00:00.000Z');

  async function document(example: string, overrides: Parameters<typeof options>[0], part?: 'parallel'): Promise<string> {
    const io = memoryIo({ cwd: path.join(examplesDir, example), env: { ...process.env, NO_COLOR: '1' } });
    expect(await run(options(overrides), io, NOW), io.err()).toBe(0);
    const parsed = JSON.parse(io.out()) as Record<string, unknown>;
    validateDocument(parsed, 'optimize output', ['optimization']);
    const pinned = part ? parsed[part] : { ...parsed, environment: '<pinned>' };
    return JSON.stringify(pinned, null, 2).replaceAll(repoRoot, '<repo>') + '\n';
  }

  it.each([
    ['pytest-serial.json', 'pytest', { profile: fixture('pytest-example.json'), workers: 4, shards: 3 }],
    ['pytest-worksteal.json', 'pytest', { profile: fixture('pytest-example.json'), workers: 2, dist: 'worksteal' as const }],
    ['vitest.json', 'vitest', { profile: fixture('vitest-example.json'), workers: 3, shards: 2 }],
  ])('%s is the document optimize writes', async (name, example, overrides) => {
    await expectGolden(name, await document(example, overrides));
  });

  it('pytest-n2-parallel.json is the plan from a profile recorded with -n 2', async () => {
    // Only the plan: this profile's slow collection also times imports with python -X importtime, which varies.
    await expectGolden('pytest-n2-parallel.json', await document('pytest', { profile: fixture('pytest-n2-profile.json'), workers: 4 }, 'parallel'));
  });
});

describe('run from another directory than the profile', () => {
  it('rebases the profile onto its own cwd, so findings and tests still join', async () => {
    const io = memoryIo({ cwd: repoRoot });
    expect(await run(options({ paths: ['examples/pytest'], profile: fixture('pytest-example.json'), shards: 2 }), io), io.err()).toBe(0);
    const document = JSON.parse(io.out()) as Doc & { warnings?: string[] };
    expect(document.warnings).toBeUndefined();
    const fixtureFinding = document.findings.find((f) => f.rule === 'costly-fixture')!;
    expect(fixtureFinding.file).toBe('examples/pytest/tests/conftest.py');
    expect(fixtureFinding.savings.basis).toBe('measured');
    expect(document.parallel.serialTests.map((t) => t.file)).toEqual(['examples/pytest/tests/test_state.py']);
    expect(document.shards.groups.flatMap((g) => g.items).every((id) => id.startsWith('examples/pytest/tests/'))).toBe(true);
  });
});

describe('with the vitest profile', () => {
  it('simulates the per-file pool and balances files', async () => {
    const document = await optimize('vitest', { profile: fixture('vitest-example.json'), workers: 3, shards: 2 });
    expect(document.parallel.policy).toContain('vitest per-file worker pool');
    expect(document.parallel.predictions).toHaveLength(3);
    // The fixture's timings are fixed, so the plan is too: compared whole, not by its shape.
    const vitest = '../../node_modules/.bin/vitest run';
    expect({ recommended: document.parallel.recommended, predictions: document.parallel.predictions }).toEqual({
      predictions: [
        { workers: 1, command: `${vitest} --no-file-parallelism`, predictedWallMs: 7631.8, speedup: 1 },
        { workers: 2, command: `${vitest} --maxWorkers=2`, predictedWallMs: 4533.8, speedup: 1.68 },
        { workers: 3, command: `${vitest} --maxWorkers=3`, predictedWallMs: 4247.3, speedup: 1.8 },
      ],
      recommended: {
        workers: 3,
        command: `${vitest} --maxWorkers=3`,
        // The rest of the reason names this machine's CPU count.
        reason: expect.stringMatching(/^fewest workers within 5% of the best predicted wall time \(4247\.3 ms\)/),
      },
    });
    expect(document.shards.unit).toBe('file');
    expect(document.shards.groups.flatMap((g) => g.items).sort()).toContain('tests/checkout.test.ts');
    // Savings of the network and subprocess calls are measured on the tests that make them.
    const subprocess = document.findings.find((f) => f.rule === 'subprocess')!;
    expect(subprocess.savings.basis).toBe('measured');
    expect(subprocess.savings.ms).toBeGreaterThan(0);
  });
});

describe('the built binary', () => {
  it('prints one shard per call, for piping into the runner', async () => {
    const cwd = path.join(examplesDir, 'pytest');
    const profile = fixture('pytest-example.json');
    const [one, two] = await Promise.all([
      runBinary('optimize', ['--profile', profile, '--shard', '1/2', '--format', 'list'], { cwd }),
      runBinary('optimize', ['--profile', profile, '--shard', '2/2', '--format', 'list'], { cwd }),
    ]);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    const first = one.stdout.trim().split('\n');
    const second = two.stdout.trim().split('\n');
    expect(first.filter((id) => second.includes(id))).toEqual([]);
    const all = readJson<Profile>(profile).tests.map((t) => t.id);
    expect([...first, ...second].sort()).toEqual(all.sort());
    expect(one.stderr).toMatch(/^shard 1\/2: \d+ tests, predicted \d+ ms \(imbalance [\d.]+\)\n$/);
  });

  it('parses TypeScript with the typescript-estree it carries packed, as the in-process run does', async () => {
    const cwd = path.join(examplesDir, 'vitest');
    const io = memoryIo({ cwd });
    await run(options(), io);
    const inProcess = JSON.parse(io.out()) as Doc;
    const result = await runBinary('optimize', [], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const bundled = JSON.parse(result.stdout) as Doc;
    expect(bundled.findings).toEqual(inProcess.findings);
    expect(bundled.findings.length).toBeGreaterThanOrEqual(10);
  });

  it('refuses a document that is not a profile in one line, exit 2', async () => {
    const result = await runBinary('optimize', ['--profile', path.join(repoRoot, 'tests/fixtures/documents/optimization.json')], { cwd: path.join(examplesDir, 'pytest') });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`testpace-optimize: ${path.join(repoRoot, 'tests/fixtures/documents/optimization.json')} at $.kind: expected a profile document, received a optimization document\n`);
  });

  it('says in one line that python3 is missing when there are Python files', async () => {
    const result = await runBinary('optimize', ['tests'], { cwd: path.join(examplesDir, 'pytest'), env: { ...process.env, NO_COLOR: '1', TESTPACE_PYTHON: '/nonexistent/python3' } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'testpace-optimize: /nonexistent/python3: cannot start (ENOENT)\n  Python files are parsed by python3 and its ast module; install python3 or set TESTPACE_PYTHON\n',
    );
  });

  it('asks for a profile before balancing shards', async () => {
    const result = await runBinary('optimize', ['--shards', '2'], { cwd: path.join(examplesDir, 'pytest') });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('testpace-optimize: shards are balanced by measured duration: give --profile');
  });
});

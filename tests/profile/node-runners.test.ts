// testpace-profile on the real vitest, jest, node:test and mocha examples: one profile each, shared by the assertions.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Profiled, example, expectSleep, profile, testNamed } from './profile-helpers.ts';

const runners = {
  vitest: { dir: 'vitest', command: ['../../node_modules/.bin/vitest', 'run'], tests: 19, receipt: 'receipt prints after the printer warms up', marker: 'Test Files', fileTimings: true },
  jest: { dir: 'jest', command: ['../../node_modules/.bin/jest'], tests: 19, receipt: 'receipt prints after the printer warms up', marker: 'Tests:', fileTimings: true },
  'node-test': { dir: 'node-test', command: ['node', '--test'], tests: 20, receipt: 'receipt prints after the printer warms up', marker: 'pass 20', fileTimings: true },
  mocha: { dir: 'mocha', command: ['../../node_modules/.bin/mocha'], tests: 19, receipt: 'prints the receipt after the printer warms up', marker: '19 passing', fileTimings: false },
} as const;

describe.each(Object.entries(runners))('profile on the %s example', (runner, setup) => {
  let result: Profiled;
  beforeAll(async () => {
    result = await profile(example(setup.dir), ['--', ...setup.command]);
  });

  it('passes through the exit code and detects the runner', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.document.runner).toBe(runner);
    expect(result.document.status).toBe('passed');
  });

  it('measures every test, and the 300 ms and 500 ms sleeps within physical bounds', () => {
    expect(result.document.tests).toHaveLength(setup.tests);
    expectSleep(testNamed(result.document, setup.receipt), 300);
    const gateway = result.document.tests.find((t) => t.name.endsWith('waits for the payment gateway'))!;
    expectSleep(gateway, 500);
    // The beforeEach hook's 100 ms lands in each catalog test.
    expect(testNamed(result.document, 'tea costs four fifty').durationMs.median).toBeGreaterThanOrEqual(99);
  });

  it('keeps the runner output on stderr and the document alone on stdout', () => {
    expect(result.stdout.trimStart().startsWith('{')).toBe(true);
    expect(result.stderr).toContain(setup.marker); // the runner's own reporter still reports
    expect(result.stderr).toContain(`testpace-profile: ${runner}, ${setup.tests} tests`);
  });

  it.runIf(setup.fileTimings)('gives every test file its time, covering the time of its tests', () => {
    const files = result.document.runs[0]!.files!;
    expect(files.map((f) => f.file).sort()).toEqual([...new Set(result.document.tests.map((t) => t.file))].sort());
    const checkout = files.find((f) => f.file.includes('checkout'))!;
    expect(checkout.durationMs).toBeGreaterThanOrEqual(800); // its 500 ms and 300 ms sleeps
    if (runner === 'vitest') expect(checkout.collectMs).toBeGreaterThan(0);
  });

  it('places tests on the timeline after start-up, on a worker, with CPU counted', () => {
    const run = result.document.runs[0]!;
    expect(run.collectionMs).toBeGreaterThan(0);
    for (const test of run.tests) {
      expect(test.startMs!).toBeGreaterThanOrEqual(0);
      expect(test.endMs!).toBeLessThanOrEqual(run.wallMs + 1);
      expect(test.worker).toMatch(/\S/);
    }
    expect(run.workers.reduce((sum, w) => sum + w.tests, 0)).toBe(setup.tests);
    expect(run.cpu!.userMs).toBeGreaterThan(0);
    expect(run.parallelEfficiency).toBeGreaterThan(0);
  });
});

describe('mocha phases', () => {
  it('puts beforeEach time in setup and the test body in call', async () => {
    const { document } = await profile(example('mocha'), ['--quiet', '--', '../../node_modules/.bin/mocha', 'test/catalog.spec.js', 'test/checkout.spec.js']);
    const catalog = testNamed(document, 'tea costs four fifty');
    expect(catalog.setupMs!.median).toBeGreaterThanOrEqual(99);
    expect(catalog.callMs!.median).toBeLessThan(90); // well under the planted 100 ms, with room for a loaded machine
    const receipt = testNamed(document, 'prints the receipt after the printer warms up');
    expect(receipt.callMs!.median).toBeGreaterThanOrEqual(299);
    expect(receipt.setupMs!.median).toBeLessThan(90); // well under the planted 100 ms, with room for a loaded machine
  });
});

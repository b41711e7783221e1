// Repeated runs: statistics over the measured runs, warm-up kept apart, flaky tests marked; --cpu-profile.
import { describe, expect, it } from 'vitest';
import { tempDir, writeTree } from '../helpers.ts';
import { example, profile, testNamed } from './profile-helpers.ts';

describe('profile --runs --warmup', () => {
  it('keeps warm-up runs apart, gives median and MAD over the measured runs, and marks a flaky test', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      // Fails on every second run of the suite: a counter file next to the test.
      'test_flaky.py': [
        'import pathlib, time',
        'COUNTER = pathlib.Path(__file__).with_name("runs.txt")',
        'def test_steady():',
        '    time.sleep(0.2)',
        'def test_flaky():',
        '    n = int(COUNTER.read_text()) + 1 if COUNTER.exists() else 1',
        '    COUNTER.write_text(str(n))',
        '    assert n % 2 == 1, "even run"',
        '',
      ].join('\n'),
    });
    const { code, document, stderr } = await profile(dir, ['--runs', '2', '--warmup', '1', '--', 'python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider']);
    expect(code).toBe(1); // a measured run failed
    expect(document.runs.map((r) => r.warmup)).toEqual([true, false, false]);
    expect(document.summary).toMatchObject({ runs: 2, warmup: 1, flaky: 1 });
    expect(document.summary.wallMs.runs).toBe(2);
    expect(document.summary.wallMs.values).toHaveLength(2);
    const steady = testNamed(document, 'test_steady');
    expect(steady.durationMs.runs).toBe(2);
    expect(steady.durationMs.min).toBeGreaterThanOrEqual(199);
    expect(steady.durationMs.max).toBeLessThan(1500);
    expect(steady.flaky).toBe(false);
    const flaky = testNamed(document, 'test_flaky');
    // The warm-up was the suite's first run (passed); the measured runs are its second and third.
    expect(flaky.outcomes).toEqual(['failed', 'passed']);
    expect(flaky.flaky).toBe(true);
    expect(stderr).toContain('median of 2 runs');
    expect(stderr).toContain('flaky (outcome differed between runs): 1');
  });
});

describe('profile --cpu-profile', () => {
  it('summarises cProfile data of a pytest run as top functions, the project’s own among them', async () => {
    const { document } = await profile(example('pytest'), ['--cpu-profile', '--quiet', '--', 'python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/test_checkout.py']);
    expect(document.cpuProfile!.profiler).toBe('cProfile');
    const own = document.cpuProfile!.functions.find((f) => f.name === 'test_checkout_waits_for_payment_gateway')!;
    expect(own.file).toBe('tests/test_checkout.py');
    expect(own.cumulativeMs).toBeGreaterThanOrEqual(499); // cProfile measures wall time: the sleep counts
  });

  it('summarises V8 CPU profiles of every vitest process', async () => {
    const { document, code } = await profile(example('vitest'), ['--cpu-profile', '--quiet', '--', '../../node_modules/.bin/vitest', 'run', 'tests/network.test.ts']);
    expect(code).toBe(0);
    expect(document.cpuProfile!.profiler).toBe('v8');
    expect(document.cpuProfile!.functions.some((f) => f.file === 'tests/network.test.ts')).toBe(true);
  });
});

// Overhead of testpace-profile where it matters (issue 13): generated suites of 2,000 tests, pytest
// (~15 s serial) and vitest, three arms measured side by side in rotating order:
//   bare          the suite alone
//   instrumented  the suite with the runner adapter (plugin or reporter, events file), started directly
//   profiled      `testpace-profile -q --out FILE -- <suite>`: adapter, start-up, reading and assembly, document
// Reports the medians, the whole tool's ratio (median of the per-round ratios to bare, with its spread
// and a 90% bootstrap interval), and the adapter's cost per test in µs ((instrumented − bare) / tests,
// median over rounds). Target: profiled at most ×1.02. The machine is shared: say how busy it was.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { detectRunner } from '../lib/runners/detect.ts';
import { instrument } from '../lib/runners/instrument.ts';
import { median, quantile } from '../lib/stats.ts';
import { writeTree } from '../tests/helpers.ts';

const root = path.resolve(import.meta.dirname, '..');
const rounds = Math.max(7, Number(process.env.BENCH_RUNS ?? 7));
const FILES = 20;
const PER_FILE = 100;
const TESTS = FILES * PER_FILE;
const TARGET = 1.02;

/** A pytest suite of 2,000 tests of ~7 ms each (sleeps, with a little work), in 20 files. */
function pytestSuite(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let f = 0; f < FILES; f++) {
    const tests = Array.from({ length: PER_FILE }, (_, t) => `def test_case_${t}():\n    time.sleep(0.007)\n    assert sum(range(${100 + t})) > 0\n`);
    files[`tests/test_generated_${f}.py`] = `import time\n\n\n${tests.join('\n\n')}`;
  }
  return files;
}

/** The same for vitest: 2,000 tests of ~7 ms each in 20 files (vitest runs the files on its workers). */
function vitestSuite(): Record<string, string> {
  const files: Record<string, string> = { 'vitest.config.mjs': "export default { test: { include: ['tests/**/*.test.js'] } };\n", 'package.json': '{ "private": true, "type": "module" }\n' };
  for (let f = 0; f < FILES; f++) {
    const tests = Array.from({ length: PER_FILE }, (_, t) => `it('case ${t}', async () => {\n  await new Promise((resolve) => setTimeout(resolve, 7));\n  if ([...Array(${100 + t}).keys()].reduce((a, b) => a + b, 0) < 0) throw new Error('no');\n});`);
    files[`tests/generated-${f}.test.js`] = `import { it } from 'vitest';\n\n${tests.join('\n')}\n`;
  }
  return files;
}

function wall(command: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command[0]!, command.slice(1), { cwd, stdio: 'ignore', env: { ...env, NO_COLOR: '1' } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`${command.join(' ')} exited ${code}`))));
  });
}

/** 90% interval of the median of `values`, by resampling them (seeded, so a run repeats itself). */
function bootstrapMedian(values: readonly number[], resamples = 4000): [number, number] {
  let seed = 20261203;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const medians = Array.from({ length: resamples }, () => median(values.map(() => values[Math.floor(random() * values.length)]!)));
  return [quantile(medians, 0.05), quantile(medians, 0.95)];
}

const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`load average ${load()} on ${os.availableParallelism()} cores; ${rounds} rounds per suite; ${TESTS} tests each`);
const tmp = await mkdtemp(path.join(os.tmpdir(), 'testpace-bench-large-'));
try {
  const suites = [
    { name: 'pytest', files: pytestSuite(), command: ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'] },
    { name: 'vitest', files: vitestSuite(), command: [path.join(root, 'node_modules', '.bin', 'vitest'), 'run'] },
  ];
  // BENCH_SUITES=pytest (or vitest) measures one of them.
  const only = process.env.BENCH_SUITES?.split(',');
  for (const suite of suites.filter((s) => !only || only.includes(s.name))) {
    const cwd = path.join(tmp, suite.name);
    await writeTree(cwd, suite.files);
    await symlink(path.join(root, 'node_modules'), path.join(cwd, 'node_modules'));
    const adapterDir = path.join(tmp, `${suite.name}-adapter`);
    await mkdir(adapterDir, { recursive: true });
    const instrumented = await instrument(detectRunner(suite.command)!, suite.command, { cwd, eventsFile: path.join(adapterDir, 'events.jsonl'), tmpDir: adapterDir });
    const arms = {
      bare: () => wall(suite.command, cwd),
      instrumented: async () => {
        await rm(path.join(adapterDir, 'events.jsonl'), { force: true });
        return wall(instrumented.command, cwd, instrumented.env);
      },
      profiled: () => wall([process.execPath, path.join(root, 'dist', 'testpace-profile.cjs'), '-q', '--out', path.join(tmp, 'profile.json'), '--', ...suite.command], cwd),
    };
    const names = Object.keys(arms) as Array<keyof typeof arms>;
    for (const name of names) await arms[name](); // warm the file and transform caches
    const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof typeof arms, number[]>;
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length]!; // rotate the order
        samples[name].push(await arms[name]());
      }
    }
    const perRound = (name: keyof typeof arms) => samples[name].map((t, i) => t / samples.bare[i]!);
    const ratios = perRound('profiled');
    const [low, high] = bootstrapMedian(ratios);
    const perTestUs = median(samples.instrumented.map((t, i) => ((t - samples.bare[i]!) * 1000) / TESTS));
    const verdict = high <= TARGET ? 'within the 2% target' : low > TARGET ? 'OVER the 2% target' : 'cannot tell against the 2% target at this noise';
    console.log(
      `${suite.name}: bare ${median(samples.bare).toFixed(0)} ms, instrumented ${median(samples.instrumented).toFixed(0)} ms, profiled ${median(samples.profiled).toFixed(0)} ms; ` +
        `whole tool ×${median(ratios).toFixed(3)} (per-round ratios ×${Math.min(...ratios).toFixed(3)}..×${Math.max(...ratios).toFixed(3)}, 90% interval of the median ×${low.toFixed(3)}..×${high.toFixed(3)}) — ${verdict}; ` +
        `adapter ${perTestUs.toFixed(0)} µs per test (median over ${rounds} rounds; per-round ${samples.instrumented.map((t, i) => (((t - samples.bare[i]!) * 1000) / TESTS).toFixed(0)).join(', ')})`,
    );
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}
console.log(`load average ${load()} at the end`);

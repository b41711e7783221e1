// Prediction honesty: the wall time testpace-optimize predicts for 2 workers against the measured wall
// time of the real command on 2 workers, for the pytest example under `pytest -n 2` and the vitest example
// with 2 workers. Budget: within ±15%. Profiles are recorded here with the built testpace-profile; the
// measured runs are plain runs of the runner (no instrumentation). Each round records one profile per
// scenario and then measures one run, so that the machine's load falls on predictions and measurements
// alike; the error compares the median prediction with the median measurement over the rounds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { privateCopy } from './private-copy.ts';
import { mad, median } from '../lib/stats.ts';

const root = path.resolve(import.meta.dirname, '..');
const rounds = Number(process.env.BENCH_RUNS ?? 5);
const only = process.env.BENCH_ONLY;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'testpace-bench-prediction-'));
for (const name of ['profile', 'optimize']) privateCopy(root, name, tmp);
const tool = (name: string) => path.join(tmp, `testpace-${name}.cjs`);

function timed(command: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command[0]!, command.slice(1), { cwd, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command.join(' ')} exited ${result.status}`);
  return ms;
}

/** Records one profile of `command` and returns the predicted wall time on 2 workers (and its basis). */
function predict(example: string, command: string[], round: number): { ms: number; basis: string } {
  const cwd = path.join(root, 'examples', example);
  const profile = path.join(tmp, `${example}-${round}-${command.length}.json`);
  const recorded = spawnSync(process.execPath, [tool('profile'), '-q', '--allow-failures', '--out', profile, '--', ...command], { cwd, encoding: 'utf8' });
  if (!existsSync(profile)) throw new Error(`testpace-profile exited ${recorded.status} without a profile: ${recorded.stderr.split('\n').slice(-5).join('\n')}`);
  const result = spawnSync(process.execPath, [tool('optimize'), '--profile', profile, '--workers', '2'], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`testpace-optimize exited ${result.status}: ${result.stderr}`);
  const document = JSON.parse(result.stdout) as { parallel: { predictions: Array<{ workers: number; predictedWallMs: number }>; basis: string } };
  return { ms: document.parallel.predictions.find((p) => p.workers === 2)!.predictedWallMs, basis: document.parallel.basis };
}

interface Scenario {
  label: string;
  example: string;
  profiled: string[];
  predictions: number[];
  basis: string;
}

const pytest = ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider'];
const vitest = [path.join(root, 'node_modules', '.bin', 'vitest'), 'run'];
const targets = [
  { example: 'pytest', measured: [...pytest, '-n', '2'], walls: [] as number[], scenarios: [
    { label: 'from a serial profile (worker start-up assumed)', example: 'pytest', profiled: pytest, predictions: [], basis: '' },
    { label: 'from a -n 2 profile (worker start-up measured)', example: 'pytest', profiled: [...pytest, '-n', '2'], predictions: [], basis: '' },
  ] as Scenario[] },
  { example: 'vitest', measured: [...vitest, '--maxWorkers=2'], walls: [] as number[], scenarios: [
    { label: 'from a one-worker profile', example: 'vitest', profiled: [...vitest, '--maxWorkers=1'], predictions: [], basis: '' },
  ] as Scenario[] },
].filter((t) => !only || t.example === only);

try {
  const loadBefore = os.loadavg()[0]!;
  for (let round = 0; round < rounds; round++) {
    for (const target of targets) {
      for (const scenario of target.scenarios) {
        const { ms, basis } = predict(scenario.example, scenario.profiled, round);
        scenario.predictions.push(ms);
        scenario.basis = basis;
      }
      target.walls.push(timed(target.measured, path.join(root, 'examples', target.example)));
    }
  }
  console.log(`prediction honesty over ${rounds} interleaved rounds on ${os.cpus().length} CPUs (load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after)`);
  for (const target of targets) {
    const measured = median(target.walls);
    console.log(`${target.example}: measured \`${target.measured.map((a) => path.basename(a)).join(' ')}\`: median ${measured.toFixed(0)} ms, MAD ${mad(target.walls).toFixed(0)} ms (${target.walls.map((w) => w.toFixed(0)).join(', ')})`);
    for (const scenario of target.scenarios) {
      const predicted = median(scenario.predictions);
      const error = (predicted - measured) / measured;
      console.log(`  ${scenario.label}: predicted median ${predicted.toFixed(0)} ms (${scenario.predictions.map((p) => p.toFixed(0)).join(', ')}), error ${(error * 100).toFixed(1)}% ${Math.abs(error) <= 0.15 ? '(within ±15%)' : '(OUTSIDE ±15%)'}`);
      console.log(`    basis of the last: ${scenario.basis}`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

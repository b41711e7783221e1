// Prediction honesty: the wall time testpace-optimize predicts for 2 workers against the measured wall
// time of the real command on 2 workers (median of 5 runs), for the pytest example under `pytest -n 2`
// and the vitest example with 2 workers. Budget: within ±15%. The profiles are recorded here, with
// the built testpace-profile, and the measured runs are plain runs of the runner (no instrumentation).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mad, median } from '../lib/stats.ts';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const profileRuns = Number(process.env.BENCH_PROFILE_RUNS ?? 3);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'testpace-bench-prediction-'));
const tool = (name: string) => path.join(root, 'dist', `testpace-${name}.mjs`);

function run(command: string[], cwd: string): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(command[0]!, command.slice(1), { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

function predict(example: string, label: string, command: string[]): number {
  const cwd = path.join(root, 'examples', example);
  const profile = path.join(tmp, `${example}-${label}.json`);
  const recorded = spawnSync(process.execPath, [tool('profile'), '-q', '--allow-failures', '--runs', String(profileRuns), '--out', profile, '--', ...command], { cwd, encoding: 'utf8' });
  if (!existsSync(profile)) throw new Error(`testpace-profile exited ${recorded.status} without a profile: ${recorded.stderr.split('\n').slice(-5).join('\n')}`);
  const { stdout } = run([process.execPath, tool('optimize'), '--profile', profile, '--workers', '2'], cwd);
  const document = JSON.parse(stdout) as { parallel: { predictions: Array<{ workers: number; predictedWallMs: number }>; basis: string } };
  const predicted = document.parallel.predictions.find((p) => p.workers === 2)!.predictedWallMs;
  console.log(`  from a profile of \`${command.join(' ')}\` (${profileRuns} runs): predicted ${predicted.toFixed(0)} ms on 2 workers`);
  console.log(`    basis: ${document.parallel.basis}`);
  return predicted;
}

function measure(example: string, command: string[]): number {
  const cwd = path.join(root, 'examples', example);
  const walls = Array.from({ length: runs }, () => run(command, cwd).ms);
  const m = median(walls);
  console.log(`  measured \`${command.join(' ')}\`: median ${m.toFixed(0)} ms of ${runs} runs, MAD ${mad(walls).toFixed(0)} ms (${walls.map((w) => w.toFixed(0)).join(', ')})`);
  return m;
}

const report = (label: string, predicted: number, measured: number) => {
  const error = (predicted - measured) / measured;
  console.log(`  ${label}: error ${(error * 100).toFixed(1)}% ${Math.abs(error) <= 0.15 ? '(within ±15%)' : '(OUTSIDE ±15%)'}`);
};

try {
  console.log(`prediction honesty on ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`);
  const only = process.env.BENCH_ONLY;
  const pytest = ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider'];
  if (only !== 'vitest') {
  console.log('pytest example, pytest -n 2:');
  const fromSerial = predict('pytest', 'serial', pytest);
  const fromParallel = predict('pytest', 'n2', [...pytest, '-n', '2']);
  const pytestWall = measure('pytest', [...pytest, '-n', '2']);
  report('serial profile (worker start-up assumed)', fromSerial, pytestWall);
  report('-n 2 profile (worker start-up measured)', fromParallel, pytestWall);

  }
  const vitest = [path.join(root, 'node_modules', '.bin', 'vitest'), 'run'];
  if (only !== 'pytest') {
  console.log('vitest example, 2 workers:');
  const vitestPredicted = predict('vitest', 'one-worker', [...vitest, '--maxWorkers=1']);
  const vitestWall = measure('vitest', [...vitest, '--maxWorkers=2']);
  report('one-worker profile', vitestPredicted, vitestWall);
  }
  console.log(`load average after: ${os.loadavg()[0]!.toFixed(1)}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

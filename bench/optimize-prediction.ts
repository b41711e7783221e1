// Prediction honesty on real public suites: the wall time testpace-optimize predicts for 1, 2 and 4 workers
// against the measured wall time of the command it prints for that many workers, run bare (no testpace).
// Two bases per suite: a profile of the serial run, and a profile of the run on 2 workers.
// Target: within ±15% where the basis was measured; inside the printed interval where it was assumed.
//
// The suites are checked out under BENCH_SUITES_DIR (default $TMPDIR/testpace-suites), one directory per
// project, with their dependencies installed (docs/optimize.md says how); a missing one is skipped.
// BENCH_RUNS rounds (default 3), each recording both profiles and then timing each worker count once, so
// the machine's load falls on profiles and measurements alike; medians over the rounds.
// BENCH_ONLY=name[,name] picks suites.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../lib/stats.ts';
import { commandFor, shellJoin } from '../tools/optimize/command.ts';
import type { Runner } from '../tools/optimize/file-analysis.ts';
import { privateCopy } from './private-copy.ts';

interface Suite {
  name: string;
  /** Public repository it comes from. */
  repository: string;
  runner: Runner;
  command: string[];
  env?: Record<string, string>;
}

const SUITES: Suite[] = [
  { name: 'structlog', repository: 'hynek/structlog', runner: 'pytest', command: ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-p', 'no:randomly'], env: { PYTHONPATH: 'src' } },
  { name: 'attrs', repository: 'python-attrs/attrs', runner: 'pytest', command: ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/test_make.py', 'tests/test_funcs.py', 'tests/test_validators.py'] },
  { name: 'ufo', repository: 'unjs/ufo', runner: 'vitest', command: ['node_modules/.bin/vitest', 'run'] },
  { name: 'luxon', repository: 'moment/luxon', runner: 'jest', command: ['node_modules/.bin/jest'] },
  { name: 'express', repository: 'expressjs/express', runner: 'mocha', command: ['node_modules/.bin/mocha', '--require', 'test/support/env', '--check-leaks', 'test/', 'test/acceptance/'] },
];

const root = path.resolve(import.meta.dirname, '..');
const rounds = Number(process.env.BENCH_RUNS ?? 3);
const suitesDir = process.env.BENCH_SUITES_DIR ?? path.join(os.tmpdir(), 'testpace-suites');
const only = process.env.BENCH_ONLY?.split(',');
const WORKERS = [1, 2, 4];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'testpace-bench-prediction-'));
for (const name of ['profile', 'optimize']) privateCopy(root, name, tmp);
const tool = (name: string) => path.join(tmp, `testpace-${name}.cjs`);

interface Prediction {
  ms: number;
  low?: number;
  high?: number;
}

/**
 * Wall time of a bare run, in a session of its own (setsid), as testpace-profile starts its command and as a
 * terminal does: with the kernel's autogroup scheduling a session shares the CPUs as one, so a command
 * run inside this bench's session would compete with everything else started from it.
 */
function timed(command: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const result = spawnSync('setsid', ['-w', ...command], { cwd, env, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  return ms;
}

/** Profiles `command` once and returns optimize's predictions for 1..4 workers and the command it prints for each. */
function predict(suite: Suite, cwd: string, env: NodeJS.ProcessEnv, command: string[], label: string): Map<number, Prediction> {
  const profile = path.join(tmp, `${suite.name}-${label}.json`);
  const recorded = spawnSync(process.execPath, [tool('profile'), '-q', '--allow-failures', '--out', profile, '--', ...command], { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (!existsSync(profile)) throw new Error(`${suite.name}: testpace-profile exited ${recorded.status} without a profile: ${recorded.stderr.split('\n').slice(-5).join('\n')}`);
  const result = spawnSync(process.execPath, [tool('optimize'), '--profile', profile, '--workers', String(Math.max(...WORKERS))], { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${suite.name}: testpace-optimize exited ${result.status}: ${result.stderr}`);
  const document = JSON.parse(result.stdout) as { parallel: { predictions: Array<{ workers: number; predictedWallMs: number; lowMs?: number; highMs?: number }> } };
  rmSync(profile, { force: true });
  return new Map(document.parallel.predictions.map((p) => [p.workers, { ms: p.predictedWallMs, low: p.lowMs, high: p.highMs }]));
}

const pct = (predicted: number, measured: number) => `${predicted >= measured ? '+' : ''}${(((predicted - measured) / measured) * 100).toFixed(0)}%`;

function verdict(p: Prediction, measured: number): string {
  if (p.low === undefined) return Math.abs(p.ms - measured) / measured <= 0.15 ? 'measured basis, within 15%' : 'measured basis, OUTSIDE 15%';
  return measured >= p.low && measured <= p.high! ? 'assumed, inside interval' : 'assumed, OUTSIDE interval';
}

try {
  const loadBefore = os.loadavg()[0]!;
  const rows: string[] = [];
  for (const suite of SUITES.filter((s) => !only || only.includes(s.name))) {
    const cwd = path.join(suitesDir, suite.name);
    if (!existsSync(cwd)) {
      console.log(`${suite.name}: not checked out under ${suitesDir}, skipped`);
      continue;
    }
    const env = { ...process.env, ...suite.env, NO_COLOR: '1', CI: '1' };
    const bases = { serial: suite.command, parallel: commandFor(suite.runner, suite.command, 2) };
    const predicted: Record<'serial' | 'parallel', Map<number, Prediction[]>> = { serial: new Map(), parallel: new Map() };
    const walls = new Map<number, number[]>();
    for (let round = 0; round < rounds; round++) {
      for (const basis of ['serial', 'parallel'] as const) {
        for (const [n, p] of predict(suite, cwd, env, bases[basis], `${basis}-${round}`)) predicted[basis].set(n, [...(predicted[basis].get(n) ?? []), p]);
      }
      // The command exactly as optimize prints it for n workers.
      for (const n of WORKERS) walls.set(n, [...(walls.get(n) ?? []), timed(commandFor(suite.runner, suite.command, n), cwd, env)]);
    }
    for (const n of WORKERS) {
      const measured = median(walls.get(n)!);
      const cells = (['serial', 'parallel'] as const).map((basis) => {
        const list = predicted[basis].get(n)!;
        const p: Prediction = { ms: median(list.map((x) => x.ms)), low: list[0]!.low === undefined ? undefined : median(list.map((x) => x.low!)), high: list[0]!.high === undefined ? undefined : median(list.map((x) => x.high!)) };
        const range = p.low === undefined ? '' : ` [${(p.low / 1000).toFixed(1)}–${(p.high! / 1000).toFixed(1)}]`;
        return `${(p.ms / 1000).toFixed(2)} s${range} (${pct(p.ms, measured)}; ${verdict(p, measured)})`;
      });
      rows.push(`| ${suite.name} (${suite.runner}) | ${n} | \`${shellJoin(commandFor(suite.runner, suite.command, n))}\` | ${(measured / 1000).toFixed(2)} s | ${cells[0]} | ${cells[1]} |`);
      console.log(rows.at(-1));
    }
  }
  console.log(`\nprediction vs measurement, medians of ${rounds} interleaved rounds on ${os.cpus().length} CPUs (load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after)`);
  console.log('| suite | workers | command (as printed) | measured | predicted from a serial profile | predicted from a 2-worker profile |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// The parallel plan: the measured tests replayed on 1..N simulated workers with the runner's own
// scheduling policy, plus the measured start-up, per-file overhead, tail and the serial tests.
import { testKey } from '../../lib/test-id.ts';
import type { Measured, MeasuredTest } from './profile-data.ts';

export type Policy = 'load' | 'worksteal' | 'loadfile' | 'per-file' | 'per-test';

/** A schedulable unit: one test, one file, or the group of serial tests. */
interface Unit {
  label: string;
  cost: number;
}

export interface ParallelPlan {
  policy: string;
  workerStartupMs: number;
  serialTests: Array<{ file: string; name: string; id?: string }>;
  predictions: Array<{ workers: number; predictedWallMs: number; speedup: number }>;
  recommended: { workers: number; command: string; reason: string };
  basis: string;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** pytest-xdist's LoadScheduling: chunks sent up front, topped up as each worker drains its queue. */
export function simulateLoad(units: readonly Unit[], workers: number): number {
  const pending = [...units];
  const queues: Unit[][] = Array.from({ length: workers }, () => []);
  const free = new Array<number>(workers).fill(0);
  if (pending.length < 2 * workers) {
    pending.splice(0).forEach((unit, i) => queues[i % workers]!.push(unit));
  } else {
    const chunk = Math.max(2, Math.floor(pending.length / workers / 4));
    for (const queue of queues) queue.push(...pending.splice(0, chunk));
  }
  let end = 0;
  // Each step: the worker that frees up first finishes its current test, then may be topped up.
  for (;;) {
    let next = -1;
    for (let w = 0; w < workers; w++) if (queues[w]!.length && (next < 0 || free[w]! < free[next]!)) next = w;
    if (next < 0) break;
    const unit = queues[next]!.shift()!;
    free[next] = free[next]! + unit.cost;
    end = Math.max(end, free[next]!);
    if (pending.length) {
      const min = Math.max(2, Math.floor(pending.length / workers / 4));
      const max = Math.max(2, Math.floor(pending.length / workers / 2));
      if (queues[next]!.length < min) queues[next]!.push(...pending.splice(0, max - queues[next]!.length));
    }
    // Idle workers with nothing queued get work as soon as some is pending.
    for (let w = 0; w < workers; w++) {
      if (!queues[w]!.length && pending.length) {
        free[w] = Math.max(free[w]!, free[next]! - unit.cost);
        queues[w]!.push(...pending.splice(0, Math.max(2, Math.floor(pending.length / workers / 2))));
      }
    }
  }
  return end;
}

/** pytest-xdist's WorkStealingScheduling: equal contiguous slices; an idle worker takes half of the fullest queue. */
export function simulateWorksteal(units: readonly Unit[], workers: number): number {
  const queues: Unit[][] = [];
  const per = Math.ceil(units.length / workers);
  for (let w = 0; w < workers; w++) queues.push(units.slice(w * per, (w + 1) * per));
  const free = new Array<number>(workers).fill(0);
  let end = 0;
  for (;;) {
    // The earliest-free worker runs its next unit, stealing first when its queue is empty.
    let w = -1;
    for (let i = 0; i < workers; i++) if (w < 0 || free[i]! < free[w]!) w = i;
    if (!queues[w]!.length) {
      let victim = -1;
      for (let i = 0; i < workers; i++) if (queues[i]!.length > 1 && (victim < 0 || queues[i]!.length > queues[victim]!.length)) victim = i;
      if (victim < 0) {
        // Nothing to steal: this worker is done; let the others finish.
        const busy = queues.findIndex((q) => q.length);
        if (busy < 0) break;
        free[w] = Infinity;
        continue;
      }
      const take = Math.floor(queues[victim]!.length / 2);
      queues[w]!.push(...queues[victim]!.splice(queues[victim]!.length - take, take));
    }
    const unit = queues[w]!.shift()!;
    free[w] = free[w]! + unit.cost;
    end = Math.max(end, free[w]!);
  }
  return end;
}

/** A pool that hands the next unit to whichever worker frees up first (xdist loadfile/loadgroup, per-file pools). */
export function simulatePool(units: readonly Unit[], workers: number): number {
  const free = new Array<number>(workers).fill(0);
  for (const unit of units) {
    let w = 0;
    for (let i = 1; i < workers; i++) if (free[i]! < free[w]!) w = i;
    free[w] = free[w]! + unit.cost;
  }
  return Math.max(0, ...free);
}

export interface PlanOptions {
  maxWorkers: number;
  /** pytest-xdist policy asked for (--dist); others use their runner's pool. */
  dist: 'load' | 'worksteal' | 'loadfile' | undefined;
  serial: Set<string>;
  cpus: number;
}

function units(measured: Measured, policy: Policy, serial: Set<string>): Unit[] {
  const gap = measured.gapPerTestMs;
  const serialTests = measured.tests.filter((t) => serial.has(testKey(t)));
  const serialFiles = new Set(serialTests.map((t) => t.file));
  const out: Unit[] = [];
  if (policy === 'load' || policy === 'worksteal' || policy === 'per-test') {
    let group: Unit | undefined;
    for (const test of measured.tests) {
      if (serial.has(testKey(test))) {
        // With xdist_group marks and --dist loadgroup the serial tests travel together to one worker.
        if (!group) out.push((group = { label: 'serial group', cost: 0 }));
        group.cost += test.durationMs + gap;
      } else out.push({ label: test.id, cost: test.durationMs + gap });
    }
    return out;
  }
  const byFile = new Map<string, MeasuredTest[]>();
  for (const test of measured.tests) byFile.set(test.file, [...(byFile.get(test.file) ?? []), test]);
  let serialUnit: Unit | undefined;
  for (const [file, tests] of byFile) {
    const cost = tests.reduce((sum, t) => sum + t.durationMs + gap, 0) + (policy === 'per-file' ? measured.fileOverheadMs : 0);
    if (policy === 'per-file' && serialFiles.has(file)) {
      if (!serialUnit) out.push((serialUnit = { label: 'serial files', cost: 0 }));
      serialUnit.cost += cost;
    } else out.push({ label: file, cost });
  }
  // vitest and jest start the longest files first (from their duration cache); xdist keeps collection order.
  if (policy === 'per-file' && (measured.runner === 'vitest' || measured.runner === 'jest')) out.sort((a, b) => b.cost - a.cost);
  return out;
}

function policyFor(measured: Measured, dist: PlanOptions['dist']): Policy {
  if (measured.runner === 'pytest') return dist ?? 'load';
  if (measured.runner === 'bats') return 'per-test';
  return 'per-file';
}

const policyName = (runner: string, policy: Policy, serial: boolean) =>
  runner === 'pytest'
    ? `pytest-xdist ${serial && policy === 'load' ? 'loadgroup' : policy}`
    : runner === 'bats'
      ? 'bats --jobs (per test)'
      : `${runner} per-file worker pool${runner === 'vitest' || runner === 'jest' ? ', longest file first' : ''}`;

export function commandFor(measured: Measured, workers: number, policy: Policy, serial: boolean): string {
  const base = measured.command.join(' ');
  if (workers === 1) {
    if (measured.runner === 'vitest') return `${base} --no-file-parallelism`;
    if (measured.runner === 'jest') return `${base} --runInBand`;
    return base;
  }
  switch (measured.runner) {
    case 'pytest':
      return `${base} -n ${workers} --dist ${serial && policy === 'load' ? 'loadgroup' : policy}`;
    case 'vitest':
      return `${base} --maxWorkers=${workers}`;
    case 'jest':
      return `${base} --maxWorkers=${workers}`;
    case 'mocha':
      return `${base} --parallel --jobs ${workers}`;
    case 'node-test':
      return `${base} --test-concurrency=${workers}`;
    case 'bats':
      return `${base} --jobs ${workers}`;
    default:
      return base;
  }
}

export function planParallel(measured: Measured, options: PlanOptions): ParallelPlan {
  const policy = policyFor(measured, options.dist);
  const list = units(measured, policy, options.serial);
  const perFile = policy === 'per-file';
  // Per-file runners pay the file overhead inside each unit; the rest of the start-up is paid once.
  const globalStartup = perFile ? Math.max(0, measured.startupMs - measured.fileOverheadMs) : measured.startupMs;
  // xdist starts the controller (interpreter, pytest, plugins) and only then the workers, which each
  // import and collect again: without a -n profile, that is taken as twice the serial start-up.
  const workerStartup = measured.runner === 'pytest' ? (measured.workerStartupMs ?? 2 * measured.startupMs) : globalStartup;
  const predictions: ParallelPlan['predictions'] = [];
  for (let n = 1; n <= options.maxWorkers; n++) {
    const makespan =
      n === 1
        ? list.reduce((sum, u) => sum + u.cost, 0)
        : policy === 'load'
          ? simulateLoad(list, n)
          : policy === 'worksteal'
            ? simulateWorksteal(list, n)
            : simulatePool(list, n);
    const startup = n === 1 ? globalStartup : workerStartup;
    const tail = n === 1 || measured.workerTailMs === undefined ? measured.tailMs : measured.workerTailMs;
    predictions.push({ workers: n, predictedWallMs: round(startup + makespan + tail), speedup: 0 });
  }
  const single = predictions[0]!.predictedWallMs;
  for (const p of predictions) p.speedup = p.predictedWallMs ? Math.round((single / p.predictedWallMs) * 100) / 100 : 1;
  const best = Math.min(...predictions.map((p) => p.predictedWallMs));
  const chosen = predictions.find((p) => p.predictedWallMs <= best * 1.05)!;
  const serialTests = measured.tests.filter((t) => options.serial.has(testKey(t))).map((t) => ({ file: t.file, name: t.name, id: t.id }));
  const startupBasis =
    measured.runner === 'pytest'
      ? measured.workerStartupMs !== undefined
        ? `worker start-up ${round(measured.workerStartupMs)} ms measured on ${measured.workersSeen} workers`
        : `worker start-up assumed twice the measured serial start-up (${round(measured.startupMs)} ms: the controller's, then each worker's): profile a -n 2 run to measure it`
      : `start-up ${round(globalStartup)} ms and ${round(measured.fileOverheadMs)} ms per file, measured`;
  return {
    policy: policyName(measured.runner, policy, serialTests.length > 0),
    workerStartupMs: round(workerStartup),
    serialTests,
    predictions,
    recommended: {
      workers: chosen.workers,
      command: commandFor(measured, chosen.workers, policy, serialTests.length > 0),
      reason:
        chosen.workers === 1
          ? 'no predicted gain from more workers'
          : `fewest workers within 5% of the best predicted wall time (${round(best)} ms)${chosen.workers > options.cpus ? `; more workers than the ${options.cpus} CPUs only helps tests that wait` : ''}${serialTests.length && measured.runner === 'pytest' ? '; mark the serial tests @pytest.mark.xdist_group("serial") first' : ''}`,
    },
    basis: `simulated from ${measured.tests.length} tests, medians over ${measured.runs} measured run${measured.runs === 1 ? '' : 's'}; ${startupBasis}; tail ${round(measured.tailMs)} ms`,
  };
}

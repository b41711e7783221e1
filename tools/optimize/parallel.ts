// The parallel plan: the measured tests replayed on 1..N simulated workers with the runner's own
// scheduling policy, plus the measured start-up, per-file overhead, tail and the serial tests.
import { commandFor, shellJoin } from './command.ts';
import type { Measured } from './profile-data.ts';

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
  /** lowMs/highMs/assumed: where the prediction rests on an assumption, its bounds and what it assumes. */
  predictions: Array<{ workers: number; command: string; predictedWallMs: number; speedup: number; lowMs?: number; highMs?: number; assumed?: string }>;
  recommended: { workers: number; command: string; reason: string };
  basis: string;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** A queue read from its head: shift() on a long array costs its length, which made big plans quadratic. */
class Queue {
  private items: Unit[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(units: readonly Unit[], from: number, to: number): void {
    for (let i = from; i < to; i++) this.items.push(units[i]!);
  }
  shift(): Unit {
    const unit = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return unit;
  }
  /** Takes the last `count` units (for stealing). */
  takeTail(count: number): Unit[] {
    return this.items.splice(this.items.length - count, count);
  }
}

/** pytest-xdist's LoadScheduling: chunks sent up front, topped up as each worker drains its queue. */
export function simulateLoad(units: readonly Unit[], workers: number): number {
  let next = 0;
  const pendingCount = () => units.length - next;
  const send = (queue: Queue, count: number) => {
    const to = Math.min(units.length, next + Math.max(0, count));
    queue.push(units, next, to);
    next = to;
  };
  const queues: Queue[] = Array.from({ length: workers }, () => new Queue());
  const free = new Array<number>(workers).fill(0);
  if (units.length < 2 * workers) {
    for (let i = 0; i < units.length; i++) queues[i % workers]!.push(units, i, i + 1);
    next = units.length;
  } else {
    const chunk = Math.max(2, Math.floor(units.length / workers / 4));
    for (const queue of queues) send(queue, chunk);
  }
  let end = 0;
  // Each step: the worker that frees up first finishes its current test, then may be topped up.
  for (;;) {
    let w = -1;
    for (let i = 0; i < workers; i++) if (queues[i]!.length && (w < 0 || free[i]! < free[w]!)) w = i;
    if (w < 0) break;
    const unit = queues[w]!.shift();
    free[w] = free[w]! + unit.cost;
    end = Math.max(end, free[w]!);
    if (pendingCount()) {
      const min = Math.max(2, Math.floor(pendingCount() / workers / 4));
      const max = Math.max(2, Math.floor(pendingCount() / workers / 2));
      if (queues[w]!.length < min) send(queues[w]!, max - queues[w]!.length);
    }
    // Idle workers with nothing queued get work as soon as some is pending.
    for (let i = 0; i < workers; i++) {
      if (!queues[i]!.length && pendingCount()) {
        free[i] = Math.max(free[i]!, free[w]! - unit.cost);
        send(queues[i]!, Math.max(2, Math.floor(pendingCount() / workers / 2)));
      }
    }
  }
  return end;
}

/** pytest-xdist's WorkStealingScheduling: equal contiguous slices; an idle worker takes half of the fullest queue. */
export function simulateWorksteal(units: readonly Unit[], workers: number): number {
  const queues: Queue[] = [];
  const per = Math.ceil(units.length / workers);
  for (let w = 0; w < workers; w++) {
    const queue = new Queue();
    queue.push(units, Math.min(units.length, w * per), Math.min(units.length, (w + 1) * per));
    queues.push(queue);
  }
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
        if (!queues.some((q) => q.length)) break;
        free[w] = Infinity;
        continue;
      }
      const stolen = queues[victim]!.takeTail(Math.floor(queues[victim]!.length / 2));
      queues[w]!.push(stolen, 0, stolen.length);
    }
    const unit = queues[w]!.shift();
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

/**
 * How much longer CPU-bound work takes on n processes than alone: the share of the time spent on the CPU
 * stretches by n / CPUs once there are more processes than CPUs; the rest (waiting) does not.
 */
export const contention = (n: number, cpus: number, share: number) => 1 - share + share * Math.max(1, n / cpus);

function units(measured: Measured, policy: Policy, serial: Set<string>, scale: number): Unit[] {
  const gap = measured.gapPerTestMs;
  const serialTests = measured.tests.filter((t) => serial.has(t.key));
  const serialFiles = new Set(serialTests.map((t) => t.file));
  const out: Unit[] = [];
  if (policy === 'load' || policy === 'worksteal' || policy === 'per-test') {
    let group: Unit | undefined;
    for (const test of measured.tests) {
      const cost = test.durationMs * scale + gap;
      if (serial.has(test.key)) {
        // With xdist_group marks and --dist loadgroup the serial tests travel together to one worker.
        if (!group) out.push((group = { label: 'serial group', cost: 0 }));
        group.cost += cost;
      } else out.push({ label: test.id, cost });
    }
    return out;
  }
  const byFile = new Map<string, number>();
  for (const test of measured.tests) byFile.set(test.file, (byFile.get(test.file) ?? 0) + test.durationMs * scale + gap);
  let serialUnit: Unit | undefined;
  for (const [file, testsMs] of byFile) {
    // The runner's own figure for the file (set-up, environment, import, tests) where it reports one.
    const reported = measured.files.get(file)?.durationMs;
    const cost = policy === 'per-file' ? (reported !== undefined ? reported * scale : testsMs + measured.fileOverheadMs) : testsMs;
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

/** xdist's --dist for a policy: loadgroup when serial tests travel together. */
const distFlag = (policy: Policy, serial: boolean) => (serial && policy === 'load' ? 'loadgroup' : policy);

const policyName = (runner: string, policy: Policy, serial: boolean) =>
  runner === 'pytest'
    ? `pytest-xdist ${serial && policy === 'load' ? 'loadgroup' : policy}`
    : runner === 'bats'
      ? 'bats --jobs (per test)'
      : `${runner} per-file worker pool${runner === 'vitest' || runner === 'jest' ? ', longest file first' : ''}`;

/** Start-up and tail of a run on n workers: measured where the profile ran that way, else with an interval. */
interface Overheads {
  start: number;
  tail: number;
  /** Bounds of start + tail when part of it is assumed. */
  low?: number;
  high?: number;
  assumed?: string;
}

/**
 * What a run on n workers costs besides its tests. A profile measures this for the worker count it ran
 * with; for others it assumes, and says what: pytest-xdist starts its controller (interpreter and plugins,
 * `sessionStartMs`), then workers that each start and collect like a serial run, sharing the CPUs.
 */
function overheads(measured: Measured, n: number, cpus: number, perFileStart: number): Overheads {
  const k = Math.max(1, measured.workersSeen);
  const f = (m: number) => Math.max(1, m / cpus);
  const S = measured.startupMs;
  const T = measured.tailMs;
  if (measured.runner === 'pytest') {
    if (k === 1) {
      if (n === 1) return { start: S, tail: T };
      const P = measured.sessionStartMs;
      const workers = S * f(n);
      return {
        start: (P ?? S / 2) + workers,
        tail: T,
        low: (P ?? 0) + workers + T,
        high: (P ?? S) + 1.5 * workers + T + S / 2,
        assumed: `each of ${n} workers assumed to start and collect like the serial run (${round(S)} ms, sharing ${cpus} CPUs) after the controller's ${P === undefined ? 'start-up (not recorded)' : `${round(P)} ms`}, plus an unmeasured worker shutdown`,
      };
    }
    const W = measured.workerStartupMs ?? S;
    const WT = measured.workerTailMs ?? T;
    const P = measured.sessionStartMs ?? W / 3;
    if (n === k) return { start: W, tail: WT };
    if (n === 1) {
      // A serial run starts and collects once, in one process: about one worker's own share of W.
      const serial = Math.max(0, W - P);
      return {
        start: serial,
        tail: WT / 2,
        low: Math.max(0, W - 2 * P),
        high: W + WT,
        assumed: `serial start-up assumed to be one worker's own (${round(W)} ms measured on ${k} workers, less the controller's ${round(P)} ms${measured.sessionStartMs === undefined ? ', assumed' : ''})`,
      };
    }
    const start = P + (W - P) * (f(n) / f(k));
    return { start, tail: WT, low: start * 0.85 + WT, high: start * 1.3 + WT, assumed: `worker start-up scaled from ${k} measured workers to ${n} on ${cpus} CPUs` };
  }
  if (measured.runner === 'bats') {
    if (n === k) return { start: S, tail: T };
    // GNU parallel (bats --jobs) and its per-test bookkeeping are not in a serial profile.
    return { start: S, tail: T, low: S + T, high: S + T + S * f(n), assumed: `bats --jobs ${n} runs tests through GNU parallel, whose start-up and per-test cost a ${k === 1 ? 'serial' : `--jobs ${k}`} profile does not hold` };
  }
  // Per-file pools: the start before the first file and the tail are the runner's own; per-file costs are in the units.
  if (n === k || measured.runner === 'vitest' || measured.runner === 'node-test') return { start: perFileStart, tail: T };
  // jest --runInBand and mocha without --parallel run in one process; with workers each one starts anew.
  const pool = measured.fileOverheadMs * f(n) + S;
  return {
    start: perFileStart,
    tail: T,
    low: perFileStart + T,
    high: perFileStart + T + (k === 1 ? pool : 0),
    assumed: k === 1 ? `the start-up of ${n} worker processes is not in a one-process profile (up to ${round(pool)} ms assumed)` : `the one-process run's start-up is not in a ${k}-worker profile`,
  };
}

export function planParallel(measured: Measured, options: PlanOptions): ParallelPlan {
  const policy = policyFor(measured, options.dist);
  const perFile = policy === 'per-file';
  const cpus = Math.max(1, measured.cpus || options.cpus);
  const k = Math.max(1, measured.workersSeen);
  // Without CPU figures the work is taken as CPU-bound, the case where more workers than CPUs gain nothing.
  const share = measured.cpuShare ?? 1;
  // Per-file runners pay the file overhead inside each unit; the rest of the start-up is paid once.
  const perFileStart = perFile ? Math.max(0, measured.startupMs - measured.fileOverheadMs) : measured.startupMs;
  const serialTests = measured.tests.filter((t) => options.serial.has(t.key)).map((t) => ({ file: t.file, name: t.name, id: t.id }));
  const dist = measured.runner === 'pytest' ? distFlag(policy, serialTests.length > 0) : undefined;
  const commandLine = (n: number) => shellJoin(commandFor(measured.runner, measured.command, n, dist));
  const predictions: ParallelPlan['predictions'] = [];
  let narrowing: string | undefined;
  const makespanOf = (n: number, calibration: number) => {
    // Durations measured under k workers' contention, replayed under n workers'.
    const list = units(measured, policy, options.serial, (calibration * contention(n, cpus, share)) / contention(k, cpus, share));
    if (n === 1) return list.reduce((sum, u) => sum + u.cost, 0);
    return policy === 'load' ? simulateLoad(list, n) : policy === 'worksteal' ? simulateWorksteal(list, n) : simulatePool(list, n);
  };
  // The replay on the profile's own worker count must give the wall time measured: what the runner reports
  // per test or file leaves time out (vitest's per-file import and transform, reporting), and that time is
  // spread over the work in proportion, so it grows and shrinks with it on other worker counts.
  const atK = overheads(measured, k, cpus, perFileStart);
  const rawK = makespanOf(k, 1);
  const calibration = rawK > 0 && measured.wallMs > atK.start + atK.tail ? Math.min(10, Math.max(0.5, (measured.wallMs - atK.start - atK.tail) / rawK)) : 1;
  for (let n = 1; n <= options.maxWorkers; n++) {
    const makespan = makespanOf(n, calibration);
    const o = overheads(measured, n, cpus, perFileStart);
    const prediction: ParallelPlan['predictions'][number] = { workers: n, command: commandLine(n), predictedWallMs: round(o.start + makespan + o.tail), speedup: 0 };
    if (o.assumed !== undefined) {
      prediction.lowMs = round(o.low! + makespan);
      prediction.highMs = round(o.high! + makespan);
      prediction.assumed = o.assumed;
      // The run that would measure what this prediction assumes.
      narrowing ??= prediction.command;
    }
    predictions.push(prediction);
  }
  const single = predictions[0]!.predictedWallMs;
  for (const p of predictions) p.speedup = p.predictedWallMs ? Math.round((single / p.predictedWallMs) * 100) / 100 : 1;
  const best = Math.min(...predictions.map((p) => p.predictedWallMs));
  // A gain is recommended only when it is sure: an assumed prediction must win at its upper bound too.
  const sure = (p: ParallelPlan['predictions'][number]) => p.workers === 1 || (p.highMs ?? p.predictedWallMs) < (predictions[0]!.lowMs ?? single) * 0.95;
  const chosen = predictions.find((p) => p.predictedWallMs <= best * 1.05 && sure(p)) ?? predictions[0]!;
  const uncertain = predictions.find((p) => p.workers > 1 && p.predictedWallMs <= best * 1.05 && !sure(p));
  const startupBasis =
    measured.runner === 'pytest'
      ? measured.workerStartupMs !== undefined
        ? `worker start-up ${round(measured.workerStartupMs)} ms measured on ${k} workers`
        : `start-up ${round(measured.startupMs)} ms measured on one process${measured.sessionStartMs !== undefined ? ` (${round(measured.sessionStartMs)} ms before the session)` : ''}`
      : `start-up ${round(perFileStart)} ms and ${round(measured.fileOverheadMs)} ms per file, measured on ${k} worker${k === 1 ? '' : 's'}`;
  const calibrationBasis = Math.abs(calibration - 1) >= 0.05 ? `; the tests' own times cover ${Math.round((100 / calibration))}% of the measured run, the rest is spread over them in proportion` : '';
  const cpuBasis = measured.cpuShare === undefined ? 'CPU use not recorded: taken as CPU-bound' : `${Math.round(share * 100)}% of the time on the CPU`;
  return {
    policy: policyName(measured.runner, policy, serialTests.length > 0),
    workerStartupMs: round(measured.workerStartupMs ?? measured.startupMs),
    serialTests,
    predictions,
    recommended: {
      workers: chosen.workers,
      command: chosen.command,
      reason:
        chosen.workers === 1
          ? uncertain
            ? `${uncertain.workers} workers might gain (${round(uncertain.lowMs!)}–${round(uncertain.highMs!)} ms against ${round(single)} ms) but the profile cannot say: profile once with \`${uncertain.command}\` to measure it`
            : 'no predicted gain from more workers'
          : `fewest workers within 5% of the best predicted wall time (${round(best)} ms)${chosen.workers > cpus ? `; more workers than the ${cpus} CPUs only helps tests that wait` : ''}${serialTests.length && measured.runner === 'pytest' ? '; mark the serial tests @pytest.mark.xdist_group("serial") first' : ''}`,
    },
    basis: `simulated from ${measured.tests.length} tests, medians over ${measured.runs} measured run${measured.runs === 1 ? '' : 's'} on ${k} worker${k === 1 ? '' : 's'} and ${cpus} CPUs; ${startupBasis}; tail ${round(measured.workerTailMs ?? measured.tailMs)} ms${calibrationBasis}; ${cpuBasis}${narrowing ? `; where a prediction assumes, it gives an interval: profile once with \`${narrowing}\` to measure it` : ''}`,
  };
}

// One run's record from what was measured: the process (wall, CPU, exit) and the test events.
import type { Counts, FileTiming, TestResult, WorkerUse } from '../../lib/profile-document.ts';
import type { FileEvent, TestEndEvent, TestEvent } from '../../lib/runners/events.ts';
import type { Execution } from './execute.ts';
import type { RunRecord } from './built-document.ts';

const round = (value: number) => Math.round(value * 1000) / 1000;
// Loops rather than Math.min(...values): a suite of 100k tests would overflow the argument list.
const minOf = (values: readonly number[]) => values.reduce((a, b) => (b < a ? b : a), Infinity);
const maxOf = (values: readonly number[]) => values.reduce((a, b) => (b > a ? b : a), -Infinity);

export function countOutcomes(tests: readonly Pick<TestResult, 'outcome'>[]): Counts {
  const counts: Counts = { total: tests.length, passed: 0, failed: 0, skipped: 0, error: 0 };
  for (const test of tests) counts[test.outcome]++;
  return counts;
}

/**
 * Test results from end events, relative to the run's start. A test reported more than once in
 * a run (a runner's own retries) keeps its last result and counts the others as retries.
 * Start is end − duration: the one reading every runner gives in the clock of the process that ran the test.
 */
export function testsFromEvents(events: readonly TestEvent[], startEpochMs: number): TestResult[] {
  const byKey = new Map<string, { end: TestEndEvent; seen: number }>();
  for (const event of events) {
    if (event.event !== 'end') continue;
    const key = `${event.worker ?? ''}\u0000${event.file}\u0000${event.id}`;
    const known = byKey.get(key);
    byKey.set(key, { end: event, seen: (known?.seen ?? 0) + 1 });
  }
  const tests: TestResult[] = [];
  for (const { end, seen } of byKey.values()) {
    const result: TestResult = {
      file: end.file,
      name: end.name,
      id: end.id,
      outcome: end.outcome,
      durationMs: round(Math.max(0, end.durationMs)),
    };
    if (end.phases) {
      const phases: TestResult['phases'] = {};
      for (const key of ['setupMs', 'callMs', 'teardownMs'] as const) {
        const value = end.phases[key];
        if (typeof value === 'number') phases[key] = round(Math.max(0, value));
      }
      result.phases = phases;
    }
    if (end.t > 0) {
      result.startMs = round(end.t - end.durationMs - startEpochMs);
      result.endMs = round(end.t - startEpochMs);
    }
    if (end.worker) result.worker = end.worker;
    const retries = (end.retries ?? 0) + (seen - 1);
    if (retries > 0) result.retries = retries;
    if (end.message) result.message = end.message;
    tests.push(result);
  }
  return tests.sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
}

/** Per-file timings relative to the run's start, in the order the files finished. */
export function filesFromEvents(events: readonly FileEvent[], startEpochMs: number): FileTiming[] {
  return [...events]
    .sort((a, b) => a.t - b.t)
    .map((event) => {
      const timing: FileTiming = {
        file: event.file,
        durationMs: round(event.durationMs),
        startMs: round(event.t - event.durationMs - startEpochMs),
        endMs: round(event.t - startEpochMs),
      };
      for (const key of ['environmentMs', 'prepareMs', 'collectMs', 'setupMs'] as const) {
        if (typeof event[key] === 'number') timing[key] = round(event[key]);
      }
      return timing;
    });
}

/**
 * Runners that do not name their workers (vitest, jest, node:test report from the main process)
 * still run each file in one worker at a time: files whose spans overlap must have run on
 * different workers. Greedy interval packing of the file spans gives the fewest lanes that explain
 * the timeline; they are named lane-1, lane-2 ... (inferred, not the runner's own ids).
 */
export function inferLanes(tests: TestResult[]): void {
  const unnamed = tests.filter((t) => t.worker === undefined && t.startMs !== undefined && t.endMs !== undefined);
  if (unnamed.length === 0) return;
  const files = new Map<string, { start: number; end: number; tests: TestResult[] }>();
  for (const test of unnamed) {
    const span = files.get(test.file) ?? { start: Infinity, end: -Infinity, tests: [] };
    span.start = Math.min(span.start, test.startMs!);
    span.end = Math.max(span.end, test.endMs!);
    span.tests.push(test);
    files.set(test.file, span);
  }
  const lanes: number[] = []; // end time of each lane's last file
  for (const span of [...files.values()].sort((a, b) => a.start - b.start)) {
    // 1 ms of slack: clocks of different processes and rounding.
    let lane = lanes.findIndex((end) => end <= span.start + 1);
    if (lane === -1) {
      lanes.push(span.end);
      lane = lanes.length - 1;
    } else lanes[lane] = span.end;
    for (const test of span.tests) test.worker = `lane-${lane + 1}`;
  }
}

export function workersOf(tests: readonly TestResult[], wallMs: number): WorkerUse[] {
  const workers = new Map<string, WorkerUse>();
  for (const test of tests) {
    if (!test.worker) continue;
    const worker = workers.get(test.worker) ?? { id: test.worker, tests: 0, busyMs: 0, utilisation: 0 };
    worker.tests++;
    worker.busyMs += test.durationMs ?? 0;
    workers.set(test.worker, worker);
  }
  return [...workers.values()]
    .map((w) => ({ ...w, busyMs: round(w.busyMs), utilisation: wallMs > 0 ? round(w.busyMs / wallMs) : 0 }))
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

/** The record of one run. `cores` is what parallel efficiency is measured against. */
export function assembleRun(options: {
  index: number;
  warmup: boolean;
  execution: Execution;
  tests: TestResult[];
  files?: FileTiming[];
  sessionStartMs?: number;
  cores: number;
}): RunRecord {
  const { execution, tests } = options;
  const wallMs = execution.wallMs;
  const starts = tests.flatMap((t) => (t.startMs === undefined ? [] : [t.startMs]));
  const ends = tests.flatMap((t) => (t.endMs === undefined ? [] : [t.endMs]));
  const cpuMs = execution.cpu ? execution.cpu.userMs + execution.cpu.systemMs : undefined;
  const record: RunRecord = {
    index: options.index,
    warmup: options.warmup,
    startedAt: new Date(execution.startEpochMs).toISOString(),
    wallMs: round(wallMs),
    exitCode: execution.exitCode,
    signal: execution.signal,
    interrupted: execution.interruptedBy !== undefined,
    collectionMs: starts.length ? round(Math.max(0, minOf(starts))) : null,
    tailMs: ends.length ? round(Math.max(0, wallMs - maxOf(ends))) : null,
    workers: workersOf(tests, wallMs),
    parallelEfficiency: cpuMs !== undefined && wallMs > 0 ? round(cpuMs / (wallMs * options.cores)) : null,
    counts: countOutcomes(tests),
    tests,
  };
  if (execution.cpu) record.cpu = { userMs: round(execution.cpu.userMs), systemMs: round(execution.cpu.systemMs) };
  if (options.sessionStartMs !== undefined) record.sessionStartMs = options.sessionStartMs;
  if (options.files?.length) {
    // Keep the key order of the schema: files before tests.
    const { tests: results, ...rest } = record;
    return { ...rest, files: options.files, tests: results };
  }
  return record;
}

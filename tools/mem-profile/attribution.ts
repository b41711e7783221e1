// Per-test attribution: each test's RSS growth and peak within the process that ran it.
//
// The "scope" of a test is the process named by its events and, when that process has children of its
// own (vitest and jest report from the coordinating process, not from the worker that runs the test),
// its whole subtree. Readings of a scope are taken at every full sample and, for runners whose events
// arrive while the test runs (pytest, mocha, node:test), again the moment an event is seen.

/** RSS of one scope over time; `hwmBytes` only for a single process (a high-water mark does not add up). */
export interface ScopeSeries {
  tMs: number[];
  rssBytes: number[];
  hwmBytes: Array<number | null>;
}

/** One test's window, from its events (times in ms since the start of the run). */
export interface TestWindow {
  file: string;
  name: string;
  id: string;
  worker: string | null;
  pid: number;
  startMs: number;
  endMs: number;
  heapUsedBytes?: number;
  /** The end event arrived well after the test ended. */
  late?: boolean;
  /** Reported by a process that coordinates workers (vitest, jest, node:test): judged on the workers. */
  coordinator?: boolean;
}

/** One process's own readings, for tests reported by a coordinator. */
export interface ProcessSeries {
  pid: number;
  ppid: number;
  series: ScopeSeries;
  /** The kernel's peak RSS the process reported as it exited, if it did. */
  exitMaxRssBytes?: number;
}

export interface TestMemory {
  file: string;
  name: string;
  id: string;
  worker?: string;
  pid: number;
  startMs: number;
  endMs: number;
  rssStartBytes: number;
  rssEndBytes: number;
  growthBytes: number;
  /** Time between the readings the growth is measured between. */
  resolutionMs?: number;
  peakRssBytes: number;
  heapUsedBytes?: number;
  tracemallocPeakBytes?: number;
}

export const emptySeries = (): ScopeSeries => ({ tMs: [], rssBytes: [], hwmBytes: [] });

/** Index of the last reading at or before `t`, or -1. */
function lastAtOrBefore(series: ScopeSeries, t: number): number {
  let low = 0;
  let high = series.tMs.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (series.tMs[middle]! <= t) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/**
 * The memory of one test: RSS at the last reading at or before its start and at the last reading inside
 * it (else the first after its end); the
 * peak is the highest reading in between, or the process's high-water mark if that rose during the test
 * (the kernel saw a peak the readings missed). Undefined when its scope has no readings.
 */
export function attributeTest(test: TestWindow, series: ScopeSeries | undefined): TestMemory | undefined {
  if (!series || series.tMs.length === 0) return undefined;
  const before = Math.max(0, lastAtOrBefore(series, test.startMs));
  // The end: the last reading inside the test (the one dated at its end event), else the first after.
  // Reported late (a loaded machine), the end's reading is dated when it was taken, after the end.
  const atEnd = lastAtOrBefore(series, test.endMs);
  const inside = atEnd >= 0 && series.tMs[atEnd]! >= test.startMs && !test.late;
  const after = inside ? atEnd : Math.min(series.tMs.length - 1, atEnd + 1);
  const rssStart = series.rssBytes[before]!;
  const rssEnd = series.rssBytes[after]!;
  let peak = Math.max(rssStart, rssEnd);
  for (let i = before; i <= after; i++) peak = Math.max(peak, series.rssBytes[i]!);
  const hwmStart = series.hwmBytes[before];
  const hwmEnd = series.hwmBytes[after];
  if (hwmStart != null && hwmEnd != null && hwmEnd > hwmStart) peak = Math.max(peak, hwmEnd);
  const memory: TestMemory = {
    file: test.file,
    name: test.name,
    id: test.id,
    pid: test.pid,
    startMs: round(test.startMs),
    endMs: round(test.endMs),
    rssStartBytes: rssStart,
    rssEndBytes: rssEnd,
    growthBytes: rssEnd - rssStart,
    resolutionMs: round(series.tMs[after]! - series.tMs[before]!),
    peakRssBytes: peak,
  };
  if (test.worker) memory.worker = test.worker;
  if (test.heapUsedBytes !== undefined) memory.heapUsedBytes = test.heapUsedBytes;
  return memory;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * A test reported by a coordinating process (vitest, jest, node:test report from the parent of their
 * workers, after the fact): its memory is that of the workers alive when it started (a worker that
 * starts during the test runs another file).
 * Each one's end is its highest reading inside the window: the window's end is known only late, when a
 * worker that ran its last test may already be tearing down. Workers running at the same time share.
 */
export function attributeCoordinated(test: TestWindow, processes: readonly ProcessSeries[], settleMs: number): TestMemory | undefined {
  const aliveAtStart = (series: ScopeSeries) => series.tMs.length > 0 && series.tMs[0]! <= test.startMs && series.tMs.at(-1)! >= test.startMs;
  const workers = processes.filter((p) => p.ppid === test.pid && aliveAtStart(p.series));
  if (workers.length === 0) return undefined;
  const members = new Map(workers.map((p) => [p.pid, p]));
  let rssStart = 0;
  let rssEnd = 0;
  let firstReading = test.startMs;
  let lastReading = test.startMs;
  let main = workers[0]!;
  let mainGrowth = -Infinity;
  for (const p of members.values()) {
    const { series } = p;
    const before = lastAtOrBefore(series, test.startMs);
    const start = before >= 0 ? series.rssBytes[before]! : 0;
    let end = before >= 0 ? series.rssBytes[before]! : 0;
    let highWater = before >= 0 ? (series.hwmBytes[before] ?? start) : 0;
    if (before >= 0) firstReading = Math.min(firstReading, series.tMs[before]!);
    for (let i = before + 1; i < series.tMs.length && series.tMs[i]! <= test.endMs; i++) {
      end = Math.max(end, series.rssBytes[i]!);
      lastReading = Math.max(lastReading, series.tMs[i]!);
    }
    for (let i = 0; i < before; i++) highWater = Math.max(highWater, series.rssBytes[i]!);
    // A worker that exits within an interval of the test's end, with a peak above any it had reached
    // before the test: the test took it there (the samples missed the moment between allocation and exit).
    const exitedWithTest = series.tMs.length > 0 && series.tMs.at(-1)! <= test.endMs + settleMs;
    if (exitedWithTest && p.exitMaxRssBytes !== undefined && p.exitMaxRssBytes > highWater) end = Math.max(end, p.exitMaxRssBytes);
    rssStart += start;
    rssEnd += end;
    if (end - start > mainGrowth) {
      main = p;
      mainGrowth = end - start;
    }
  }
  const memory: TestMemory = {
    file: test.file,
    name: test.name,
    id: test.id,
    pid: main.pid,
    startMs: round(test.startMs),
    endMs: round(test.endMs),
    rssStartBytes: rssStart,
    rssEndBytes: rssEnd,
    growthBytes: rssEnd - rssStart,
    resolutionMs: round(Math.max(lastReading, test.endMs) - firstReading),
    peakRssBytes: Math.max(rssStart, rssEnd),
  };
  if (test.worker) memory.worker = test.worker;
  if (test.heapUsedBytes !== undefined) memory.heapUsedBytes = test.heapUsedBytes;
  return memory;
}

/** Slack for a reading dated at a test's event (the tracker reads within 5 ms of it). */
const EVENT_SLACK_MS = 5;

/**
 * Whether the samples resolve a test's growth: its readings span little more than the test itself.
 * A 0.1 ms test between readings 100 ms apart would be charged what its neighbours allocated.
 */
export function growthResolved(test: TestMemory): boolean {
  return test.resolutionMs === undefined || test.resolutionMs <= 2 * (test.endMs - test.startMs) + EVENT_SLACK_MS;
}

/** The `count` tests with the highest `key`, highest first (ties in run order). */
export function topTests(tests: readonly TestMemory[], key: 'growthBytes' | 'peakRssBytes', count: number): TestMemory[] {
  return [...tests].sort((a, b) => b[key] - a[key] || a.startMs - b.startMs).slice(0, count);
}

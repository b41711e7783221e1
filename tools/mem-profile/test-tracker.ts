// Following the runner's test events live: which test is in flight in which process, readings of the
// process that reported each test (and, for runners that report from a coordinating process, of its
// workers) at each event, glance and full sample, and, at the end, each test's window.
import type { TestEvent } from '../../lib/runners/index.ts';
import { type ProcessSeries, type ScopeSeries, type TestWindow, emptySeries } from './attribution.ts';
import type { Recorder } from './recorder.ts';
import type { ProcessReading } from './sampler.ts';

/**
 * A reading taken within this long of its event is dated at the event. Later, the test (or the next one)
 * may already be allocating, so the reading keeps its own time and the event counts as seen late.
 */
const LIVE_LAG_MS = 5;

type Read = ((pid: number) => ProcessReading | undefined) | undefined;

// Keeps a series in time order: a reading dated at its event can precede the last full sample.
function insert(series: ScopeSeries, tMs: number, rss: number, hwm: number | null): void {
  let at = series.tMs.length;
  while (at > 0 && series.tMs[at - 1]! > tMs) at--;
  series.tMs.splice(at, 0, tMs);
  series.rssBytes.splice(at, 0, rss);
  series.hwmBytes.splice(at, 0, hwm);
}

export class TestTracker {
  private readonly open = new Map<string, { event: TestEvent; tMs: number }>();
  private readonly windows: TestWindow[] = [];
  /** Readings of each process that reported tests: a test's memory is that of its worker process. */
  readonly scopes = new Map<number, ScopeSeries>();
  /** Readings of the workers below a coordinating process, each on its own. */
  private readonly workers = new Map<number, ProcessSeries>();

  constructor(
    /** Epoch milliseconds of t = 0 of the run. */
    private readonly epochMs: number,
    private readonly recorder: Recorder,
    /** Whether the runner reports from the parent of the processes that run the tests (vitest, jest, node:test). */
    private readonly coordinating: boolean,
  ) {}

  /** The live child processes of `pid` (a coordinator's workers). */
  private children(pid: number): number[] {
    const pids: number[] = [];
    for (const track of this.recorder.tracks.values()) if (track.alive && track.ppid === pid) pids.push(track.pid);
    return pids;
  }

  private record(pid: number, tMs: number, readings: ReadonlyMap<number, ProcessReading>): void {
    const own = readings.get(pid);
    if (own) {
      const series = this.scopes.get(pid) ?? emptySeries();
      this.scopes.set(pid, series);
      insert(series, tMs, own.rssBytes, own.hwmBytes);
    }
    if (!this.coordinating) return;
    for (const child of this.children(pid)) {
      const reading = readings.get(child);
      if (!reading) continue;
      let entry = this.workers.get(child);
      if (!entry) {
        entry = { pid: child, ppid: pid, series: emptySeries() };
        this.workers.set(child, entry);
      }
      insert(entry.series, tMs, reading.rssBytes, reading.hwmBytes);
    }
  }

  private readNow(pid: number, read: Read): Map<number, ProcessReading> {
    const readings = new Map<number, ProcessReading>();
    if (!read) return readings;
    for (const member of this.coordinating ? [pid, ...this.children(pid)] : [pid]) {
      const reading = read(member);
      if (reading) readings.set(member, reading);
    }
    return readings;
  }

  /**
   * At each glance between samples, a coordinator's workers are read: its events arrive batched, after
   * the test, so a test's window must find readings of its own, even of a worker that exited since.
   */
  glanced(tMs: number, read: Read): void {
    if (!this.coordinating) return;
    for (const pid of this.scopes.keys()) {
      if (this.children(pid).length > 0) this.record(pid, tMs, this.readNow(pid, read));
    }
  }

  /** Whether glances read anything for it (a coordinator's workers, once it has reported tests). */
  readsAtGlances(): boolean {
    return this.coordinating && this.scopes.size > 0;
  }

  /** After a full sample: a reading of every process that has reported tests. */
  sampled(tMs: number, readings: readonly ProcessReading[]): void {
    if (this.scopes.size === 0) return;
    const byPid = new Map(readings.map((reading) => [reading.pid, reading]));
    for (const pid of this.scopes.keys()) this.record(pid, tMs, byPid);
  }

  /**
   * New events. `read` takes fresh readings (procfs only); a reading taken within a few milliseconds of
   * its event is dated at the event, so a test's start and end are sharp where events come live.
   */
  events(events: readonly TestEvent[], nowMs: number, read: Read): void {
    for (const event of events) {
      const tMs = event.t - this.epochMs;
      const key = `${event.pid}\u0000${event.id}`;
      if (event.event === 'start') {
        this.open.set(key, { event, tMs });
      } else {
        const start = this.open.get(key);
        this.open.delete(key);
        // A suite's end (mocha, bats) closes its start but is no test of its own.
        if ((event as { suite?: boolean }).suite) continue;
        // The end's own duration is the better start where the start event arrives late (vitest).
        const fromDuration = tMs - event.durationMs;
        const window: TestWindow = {
          file: event.file,
          name: event.name,
          id: event.id,
          worker: event.worker,
          pid: event.pid,
          startMs: Math.min(start?.tMs ?? fromDuration, fromDuration),
          endMs: tMs,
        };
        if (event.heapUsedBytes !== undefined) window.heapUsedBytes = event.heapUsedBytes;
        // Readings the reporter stamped in the test's own process (start and end) are exact however
        // late the event is read: not late, and put in that process's series below.
        if (nowMs - tMs > LIVE_LAG_MS && (event.rssBytes === undefined || this.coordinating)) window.late = true;
        // Judged on the workers below the reporting process, when it has any (not jest --runInBand).
        if (this.coordinating) window.coordinator = true;
        this.windows.push(window);
      }
      if (!event.pid) continue;
      if (event.rssBytes !== undefined && !this.coordinating) {
        const series = this.scopes.get(event.pid) ?? emptySeries();
        this.scopes.set(event.pid, series);
        insert(series, tMs, event.rssBytes, null);
      }
      const readings = this.readNow(event.pid, read);
      if (readings.size === 0) continue;
      this.recorder.glance(nowMs, [...readings.values()]);
      this.record(event.pid, nowMs - tMs <= LIVE_LAG_MS ? tMs : nowMs, readings);
    }
  }

  /** The workers read on their own, for attributeCoordinated (with the peaks they reported at exit). */
  processes(): ProcessSeries[] {
    return [...this.workers.values()].map((entry) => {
      const exitMaxRssBytes = this.recorder.tracks.get(entry.pid)?.exitMaxRssBytes;
      return exitMaxRssBytes === undefined ? entry : { ...entry, exitMaxRssBytes };
    });
  }

  /**
   * The test in flight in the largest process (by its latest RSS), as `file::name`; null if none.
   * Within a process the latest start wins, so a test is named rather than the suite around it.
   */
  inFlight(): string | null {
    let best: { label: string; rss: number; tMs: number } | null = null;
    for (const { event, tMs } of this.open.values()) {
      const rss = this.scopes.get(event.pid)?.rssBytes.at(-1) ?? this.recorder.tracks.get(event.pid)?.lastRssBytes ?? 0;
      if (!best || rss > best.rss || (rss === best.rss && tMs > best.tMs)) best = { label: `${event.file}::${event.name}`, rss, tMs };
    }
    return best?.label ?? null;
  }

  /** Every test that ended, in the order their ends were seen. */
  finished(): TestWindow[] {
    return this.windows;
  }
}

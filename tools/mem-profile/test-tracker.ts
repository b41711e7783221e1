// Following the runner's test events live: which test is in flight in which process, readings of its
// process (scope) at each event and at each full sample, and, at the end, each test's window.
import type { TestEvent } from '../../lib/runners/index.ts';
import { type ScopeSeries, type TestWindow, emptySeries } from './attribution.ts';
import type { Recorder } from './recorder.ts';
import type { ProcessReading } from './sampler.ts';

/** Events seen later than this after they happened are not "at the event" (vitest batches its reports). */
const LIVE_LAG_MS = 25;

export class TestTracker {
  private readonly open = new Map<string, { event: TestEvent; tMs: number }>();
  private readonly windows: TestWindow[] = [];
  readonly scopes = new Map<number, ScopeSeries>();

  constructor(
    /** Epoch milliseconds of t = 0 of the run. */
    private readonly epochMs: number,
    private readonly recorder: Recorder,
  ) {}

  /** The pids of a scope: the process and, if it has any, its live descendants. */
  private scopePids(pid: number): number[] {
    const children = new Map<number, number[]>();
    for (const track of this.recorder.tracks.values()) {
      if (!track.alive) continue;
      const list = children.get(track.ppid) ?? [];
      list.push(track.pid);
      children.set(track.ppid, list);
    }
    const pids = [pid];
    for (let i = 0; i < pids.length; i++) pids.push(...(children.get(pids[i]!) ?? []));
    return pids;
  }

  private record(pid: number, tMs: number, readings: ReadonlyMap<number, ProcessReading>): void {
    const pids = this.scopePids(pid);
    let rss = 0;
    let seen = 0;
    for (const member of pids) {
      const reading = readings.get(member);
      if (reading) {
        rss += reading.rssBytes;
        seen++;
      }
    }
    if (seen === 0) return;
    const own = readings.get(pid);
    const hwm = pids.length === 1 && own ? own.hwmBytes : null;
    const series = this.scopes.get(pid) ?? emptySeries();
    this.scopes.set(pid, series);
    // Keep the series in time order: a reading dated at its event can precede the last full sample.
    let at = series.tMs.length;
    while (at > 0 && series.tMs[at - 1]! > tMs) at--;
    series.tMs.splice(at, 0, tMs);
    series.rssBytes.splice(at, 0, rss);
    series.hwmBytes.splice(at, 0, hwm);
  }

  /** After a full sample: a reading of every scope that has had events. */
  sampled(tMs: number, readings: readonly ProcessReading[]): void {
    if (this.scopes.size === 0 && this.open.size === 0) return;
    const byPid = new Map(readings.map((reading) => [reading.pid, reading]));
    for (const pid of this.scopes.keys()) this.record(pid, tMs, byPid);
  }

  /**
   * New events. `read` takes fresh readings of a pid (procfs only); a reading taken within a few
   * milliseconds of the event is dated at the event, so the test's start and end are sharp.
   */
  events(events: readonly TestEvent[], nowMs: number, read: ((pid: number) => ProcessReading | undefined) | undefined): void {
    for (const event of events) {
      const tMs = event.t - this.epochMs;
      const key = `${event.pid}\u0000${event.id}`;
      if (event.event === 'start') this.open.set(key, { event, tMs });
      else {
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
        this.windows.push(window);
      }
      if (!read || !event.pid) continue;
      const readings = new Map<number, ProcessReading>();
      for (const pid of this.scopePids(event.pid)) {
        const reading = read(pid);
        if (reading) readings.set(pid, reading);
      }
      if (readings.size === 0) continue;
      this.recorder.glance(nowMs, [...readings.values()]);
      this.record(event.pid, nowMs - tMs <= LIVE_LAG_MS ? tMs : nowMs, readings);
    }
  }

  /**
   * The test in flight in the largest process (by its latest RSS), as `file::name`; null if none.
   * Within a process the latest start wins, so a test is named rather than the suite around it.
   */
  inFlight(): string | null {
    let best: { label: string; rss: number; tMs: number } | null = null;
    for (const { event, tMs } of this.open.values()) {
      const series = this.scopes.get(event.pid);
      const rss = series?.rssBytes.at(-1) ?? this.recorder.tracks.get(event.pid)?.lastRssBytes ?? 0;
      if (!best || rss > best.rss || (rss === best.rss && tMs > best.tMs)) best = { label: `${event.file}::${event.name}`, rss, tMs };
    }
    return best?.label ?? null;
  }

  /** Every test that ended, in the order their ends were seen. */
  finished(): TestWindow[] {
    return this.windows;
  }
}

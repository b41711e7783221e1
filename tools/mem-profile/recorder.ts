// Accumulates readings into the run's record: the timeline of the whole tree (one point per full
// sample) and, per process, its life, peaks and RSS series.
import type { ProcessReading } from './sampler.ts';

export interface ProcessTrack {
  pid: number;
  ppid: number;
  name: string;
  command: string;
  firstSeenMs: number;
  lastSeenMs: number;
  peakRssBytes: number;
  /** Last VmHWM read while the process lived (the kernel's own peak, which sampling cannot miss). */
  hwmBytes: number | null;
  lastRssBytes: number;
  /** ru_maxrss the process reported as it exited (Node processes of Node runners). */
  exitMaxRssBytes?: number;
  alive: boolean;
  /** RSS at each full sample the process was alive for. */
  tMs: number[];
  rssBytes: number[];
}

export interface Timeline {
  tMs: number[];
  rssBytes: number[];
  processes: number[];
}

export class Recorder {
  readonly timeline: Timeline = { tMs: [], rssBytes: [], processes: [] };
  readonly tracks = new Map<number, ProcessTrack>();


  private track(tMs: number, reading: ProcessReading): ProcessTrack {
    let track = this.tracks.get(reading.pid);
    if (!track) {
      track = {
        pid: reading.pid,
        ppid: reading.ppid,
        name: reading.name,
        command: reading.command || reading.name,
        firstSeenMs: tMs,
        lastSeenMs: tMs,
        peakRssBytes: 0,
        hwmBytes: null,
        lastRssBytes: 0,
        alive: true,
        tMs: [],
        rssBytes: [],
      };
      this.tracks.set(reading.pid, track);
    }
    track.ppid = reading.ppid;
    // A process that exec()s keeps its pid but changes its command line.
    track.name = reading.name;
    if (reading.command) track.command = reading.command;
    track.lastSeenMs = tMs;
    track.lastRssBytes = reading.rssBytes;
    track.peakRssBytes = Math.max(track.peakRssBytes, reading.rssBytes);
    if (reading.hwmBytes !== null) track.hwmBytes = Math.max(track.hwmBytes ?? 0, reading.hwmBytes);
    track.alive = true;
    return track;
  }

  /** A full sample: every live process of the tree. Adds one point to the timeline. */
  sample(tMs: number, readings: readonly ProcessReading[]): void {
    const alive = new Set<number>();
    let total = 0;
    for (const reading of readings) {
      const track = this.track(tMs, reading);
      track.tMs.push(tMs);
      track.rssBytes.push(reading.rssBytes);
      alive.add(reading.pid);
      total += reading.rssBytes;
    }
    for (const track of this.tracks.values()) if (!alive.has(track.pid)) track.alive = false;
    this.timeline.tMs.push(tMs);
    this.timeline.rssBytes.push(total);
    this.timeline.processes.push(readings.length);
  }

  /** Readings between samples (new and young processes, a test's worker): peaks and lives only. */
  glance(tMs: number, readings: readonly ProcessReading[]): void {
    for (const reading of readings) this.track(tMs, reading);
  }

  /** The peaks processes reported at their exit (kernel ru_maxrss): high-water marks no sample saw. */
  exited(peaks: ReadonlyMap<number, number>): void {
    for (const [pid, maxRss] of peaks) {
      const track = this.tracks.get(pid);
      if (!track) continue;
      track.exitMaxRssBytes = maxRss;
      track.hwmBytes = Math.max(track.hwmBytes ?? 0, maxRss);
    }
  }

  /** The tree's RSS by the latest readings of its live processes. */
  currentRssBytes(): number {
    let total = 0;
    for (const track of this.tracks.values()) if (track.alive) total += track.lastRssBytes;
    return total;
  }

  /** The highest kernel high-water mark of any process so far. */
  largestHwmBytes(): number | null {
    let largest: number | null = null;
    for (const track of this.tracks.values()) if (track.hwmBytes !== null) largest = Math.max(largest ?? 0, track.hwmBytes);
    return largest;
  }
}

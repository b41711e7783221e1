// The sampling loop: a full sample of the tree every interval and, between samples, cheap glances
// (new and young processes) and the runner's new test events; checks the --max-rss limit on each.
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { TestEvent } from '../../lib/runners/index.ts';
import type { Recorder } from './recorder.ts';
import type { Sampler } from './sampler.ts';
import type { TestTracker } from './test-tracker.ts';

export interface LimitHit {
  atMs: number;
  rssBytes: number;
  testInFlight: string | null;
}

export interface MonitorOptions {
  sampler: Sampler;
  recorder: Recorder;
  intervalMs: number;
  /** Milliseconds since the start of the run. */
  now: () => number;
  maxRssBytes: number | undefined;
  onLimit: (hit: LimitHit) => void;
  /** Test events, when the run is instrumented. */
  events?: { file: string; poll(): TestEvent[]; tracker: TestTracker };
}

export interface Monitor {
  /** Stops the loop and reads the last events (no sample: the tree is gone by then). */
  stop(): Promise<void>;
}

/**
 * Between full samples the loop glances this often (never more often than it samples) while processes
 * are being created anywhere (the pid counter moves), any of the tree is young, or a coordinator's
 * workers are followed. Otherwise the gap doubles, up to 50 ms: every wake-up of the tool costs CPU
 * that a command keeping the cores busy pays for (measured in bench/RESULTS.md, mem-profile). A
 * process created after a quiet spell is still found within LONGEST_GAP_MS, whatever the interval.
 */
const GLANCE_MS = 20;
const LONGEST_GAP_MS = 50;

export function startMonitor(options: MonitorOptions): Monitor {
  const { sampler, recorder, intervalMs, now } = options;
  const glanceMs = Math.min(GLANCE_MS, intervalMs);
  const longestGapMs = Math.min(LONGEST_GAP_MS, intervalMs);
  let gapMs = glanceMs;
  let nextSampleAt = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let limitHit = false;
  let busy: Promise<void> = Promise.resolve();

  function checkLimit(): void {
    if (options.maxRssBytes === undefined || limitHit) return;
    const rss = recorder.currentRssBytes();
    const hwm = recorder.largestHwmBytes() ?? 0;
    // A single process's high-water mark above the limit means the tree was above it too, even if no sample saw it.
    if (rss > options.maxRssBytes || hwm > options.maxRssBytes) {
      limitHit = true;
      options.onLimit({ atMs: now(), rssBytes: Math.max(rss, hwm), testInFlight: options.events?.tracker.inFlight() ?? null });
    }
  }

  function pollEvents(): void {
    if (!options.events) return;
    const events = options.events.poll();
    if (events.length > 0) options.events.tracker.events(events, now(), read);
    checkLimit();
  }

  const read = sampler.read?.bind(sampler);
  const tracker = options.events?.tracker;

  async function sample(): Promise<void> {
    const readings = await sampler.sample();
    const at = now();
    recorder.sample(at, readings);
    tracker?.sampled(at, readings);
    // Stay on the grid; after a stall (a slow ps, a busy machine) skip the missed samples.
    nextSampleAt = Math.max(nextSampleAt + intervalMs, at + intervalMs / 2);
  }

  // A glance runs up to 50 times a second: it stays synchronous (no promise), and costs about what the
  // wake-up itself costs when nothing has changed.
  function glance(t: number): void {
    const readings = sampler.glance!();
    if (readings.length > 0) recorder.glance(t, readings);
    tracker?.glanced(t, read);
  }

  function afterStep(): void {
    checkLimit();
    pollEvents();
    if (stopped) return;
    const quiet = sampler.quiet?.() === true && tracker?.readsAtGlances() !== true;
    gapMs = quiet ? Math.min(gapMs * 2, longestGapMs) : glanceMs;
    // The next full sample stays on its grid whatever the gap.
    timer = setTimeout(tick, Math.max(0, Math.min(gapMs, nextSampleAt - now())));
  }

  function tick(): void {
    const t = now();
    if (t >= nextSampleAt) {
      busy = sample().then(afterStep, afterStep);
      return;
    }
    if (sampler.glance) glance(t);
    afterStep();
  }

  // Events are read the moment the runner appends them (inotify), so a test's start is read while it runs.
  let watcher: FSWatcher | undefined;
  if (options.events) {
    const base = path.basename(options.events.file);
    try {
      watcher = watch(path.dirname(options.events.file), (_, name) => {
        if (!stopped && (name === null || name === base)) pollEvents();
      });
    } catch {
      watcher = undefined; // polling at each glance still reads them
    }
  }

  busy = sample().then(afterStep, afterStep);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
      await busy;
      pollEvents();
    },
  };
}

// Building the memory document (schemas/memory.schema.json) from what a run recorded.
import type { DocumentHeader } from '../../lib/document-header.ts';
import type { MemoryDocument as SchemaMemoryDocument } from '../../lib/generated/documents.ts';
import { type TestMemory, type TestWindow, attributeCoordinated, attributeTest } from './attribution.ts';
import { argMax, downsampleIndices } from './downsample.ts';
import { type LeakThresholds, type LeakVerdict, MIN_LEAK_SAMPLES, checkLeak } from './leak.ts';
import type { LimitHit } from './monitor.ts';
import type { Recorder } from './recorder.ts';
import type { TestTracker } from './test-tracker.ts';

export type Status = SchemaMemoryDocument['status'];

export interface ProcessEntry {
  pid: number;
  ppid: number;
  command: string;
  firstSeenMs: number;
  lastSeenMs: number;
  peakRssBytes: number;
  hwmBytes: number | null;
  leak?: LeakVerdict;
}

/**
 * The memory document as this tool builds it: the type generated from schemas/memory.schema.json,
 * with what mem-profile always writes made required, so that its own code need not guard it.
 */
export type MemoryDocument = SchemaMemoryDocument & {
  peak: SchemaMemoryDocument['peak'] & Required<Pick<SchemaMemoryDocument['peak'], 'largestProcessHwmBytes' | 'averageRssBytes'>>;
  tests: TestMemory[];
};

/** What a run hands over to become a document: the fields taken as they are, and the record to analyse. */
export interface Facts extends Pick<MemoryDocument, 'environment' | 'command' | 'cwd' | 'runner' | 'status' | 'exitCode' | 'signal' | 'wallMs' | 'intervalMs' | 'sampler'> {
  header: DocumentHeader<'memory'>;
  recorder: Recorder;
  tracker: TestTracker | undefined;
  warmupMs: number | undefined;
  thresholds: LeakThresholds;
  /** Least time after the warm-up a trend is judged over. */
  leakMinDurationMs?: number;
  maxPoints: number;
  maxRssBytes: number | undefined;
  limitHit: LimitHit | undefined;
  warnings: string[];
  /** --tracemalloc: each test's Python allocation peak, by `pid\0id`. */
  tracemallocPeaks?: Map<string, number>;
}

/** Samples kept at full resolution either side of a peak. */
const PEAK_WINDOW = 25;
const COMMAND_CHARS = 300;

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Default warm-up: start-up (imports, JIT, pools) is not growth. */
export function defaultWarmupMs(wallMs: number): number {
  return Math.max(1000, wallMs / 10);
}

export function buildDocument(facts: Facts): MemoryDocument {
  const { recorder } = facts;
  const timeline = recorder.timeline;
  const peakIndex = argMax(timeline.rssBytes);
  const around = [peakIndex];
  if (facts.limitHit) around.push(timeline.tMs.findIndex((t) => t >= facts.limitHit!.atMs));
  const kept = downsampleIndices(timeline.rssBytes, facts.maxPoints, around.filter((i) => i >= 0), PEAK_WINDOW);
  const total = timeline.rssBytes.reduce((sum, value) => sum + value, 0);

  const warmupMs = facts.warmupMs ?? defaultWarmupMs(facts.wallMs);
  // Samples with no process (before the command's first fork, after its exit) measure nothing, and the
  // last sample of a run or of a process may catch it tearing its memory down on exit: left out of fits.
  const live = timeline.processes.flatMap((count, i) => (count > 0 ? [i] : [])).slice(0, -1);
  const leak = checkLeak(
    'total RSS of the tree',
    live.map((i) => timeline.tMs[i]!),
    live.map((i) => timeline.rssBytes[i]!),
    warmupMs,
    facts.thresholds,
    facts.leakMinDurationMs,
  );
  const processes: ProcessEntry[] = [...recorder.tracks.values()]
    .sort((a, b) => a.firstSeenMs - b.firstSeenMs || a.pid - b.pid)
    .map((track) => {
      const entry: ProcessEntry = {
        pid: track.pid,
        ppid: track.ppid,
        command: track.command.length > COMMAND_CHARS ? track.command.slice(0, COMMAND_CHARS - 1) + '…' : track.command,
        firstSeenMs: round1(track.firstSeenMs),
        lastSeenMs: round1(track.lastSeenMs),
        peakRssBytes: track.peakRssBytes,
        hwmBytes: track.hwmBytes,
      };
      // Long-lived: enough samples after the warm-up to fit a line through.
      // A process warms up from its own start (an xdist worker starts late and imports for a while).
      const tMs = track.tMs.slice(0, -1).map((t) => t - track.firstSeenMs);
      if (tMs.filter((t) => t >= warmupMs).length >= MIN_LEAK_SAMPLES) {
        const what = `pid ${track.pid} (${track.name}), times from its start`;
        entry.leak = checkLeak(what, tMs, track.rssBytes.slice(0, -1), warmupMs, facts.thresholds, facts.leakMinDurationMs);
      }
      return entry;
    });

  const tests: TestMemory[] = [];
  let unattributed = 0;
  for (const window of facts.tracker?.finished() ?? ([] as TestWindow[])) {
    const memory =
      (window.coordinator ? attributeCoordinated(window, facts.tracker!.processes(), facts.intervalMs) : undefined) ??
      attributeTest(window, facts.tracker!.scopes.get(window.pid));
    if (!memory) {
      unattributed++;
      continue;
    }
    const traced = facts.tracemallocPeaks?.get(`${window.pid}\u0000${window.id}`);
    if (traced !== undefined) memory.tracemallocPeakBytes = traced;
    tests.push(memory);
  }
  const warnings = [...facts.warnings];
  if (unattributed > 0) warnings.push(`${unattributed} test(s) ran in processes that were never sampled; their memory is not attributed`);

  const document: MemoryDocument = {
    ...facts.header,
    environment: facts.environment,
    command: facts.command,
    cwd: facts.cwd,
    runner: facts.runner,
    status: facts.status,
    exitCode: facts.exitCode,
    signal: facts.signal,
    wallMs: round1(facts.wallMs),
    intervalMs: facts.intervalMs,
    sampler: facts.sampler,
    timeline: {
      samplesTaken: timeline.tMs.length,
      tMs: kept.map((i) => round1(timeline.tMs[i]!)),
      rssBytes: kept.map((i) => timeline.rssBytes[i]!),
      processes: kept.map((i) => timeline.processes[i]!),
    },
    peak: {
      sampledRssBytes: peakIndex === -1 ? 0 : timeline.rssBytes[peakIndex]!,
      atMs: peakIndex === -1 ? 0 : round1(timeline.tMs[peakIndex]!),
      largestProcessHwmBytes: recorder.largestHwmBytes(),
      averageRssBytes: timeline.rssBytes.length === 0 ? 0 : Math.round(total / timeline.rssBytes.length),
    },
    processes,
    leak,
    tests,
  };
  if (facts.maxRssBytes !== undefined) {
    document.limit = { maxRssBytes: facts.maxRssBytes, exceeded: Boolean(facts.limitHit) };
    if (facts.limitHit) {
      document.limit.atMs = round1(facts.limitHit.atMs);
      document.limit.rssBytes = facts.limitHit.rssBytes;
      document.limit.testInFlight = facts.limitHit.testInFlight;
    }
  }
  if (warnings.length > 0) document.warnings = warnings;
  return document;
}

// The event stream every runner adapter writes: one JSON line per test start and end, appended to
// the file named by TESTPACE_EVENTS and flushed per line, so another process can tail it live.
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError } from '../errors.ts';

/** The environment variable naming the events file. */
export const EVENTS_ENV = 'TESTPACE_EVENTS';

export type TestOutcome = 'passed' | 'failed' | 'skipped' | 'error';

/** Fields of both events. `t` is epoch milliseconds (float); `file` is POSIX, relative to the runner's cwd. */
interface EventBase {
  file: string;
  name: string;
  /** Runner-native id (pytest nodeid, vitest task id, ...). */
  id: string;
  /** Worker that ran the test (xdist gw0, ...); null when the runner does not say. */
  worker: string | null;
  /** Process the event was written from (the worker process for pytest-xdist; the reporter's process for node runners). */
  pid: number;
  t: number;
  /**
   * Resident memory of `pid` when the event was written, where the reporter runs in the process that
   * runs the tests and mem-profile asked for it (TESTPACE_EVENT_RSS=1).
   */
  rssBytes?: number;
}

export interface TestStartEvent extends EventBase {
  event: 'start';
}

export interface TestEndEvent extends EventBase {
  event: 'end';
  outcome: TestOutcome;
  durationMs: number;
  phases?: { setupMs?: number; callMs?: number; teardownMs?: number };
  heapUsedBytes?: number;
  /** Retries the runner made before this result. */
  retries?: number;
  /** First line of the failure message. */
  message?: string;
  /** Closes a suite's start (node:test reports suites like tests); not a test. readRunEvents() drops these pairs. */
  suite?: boolean;
}

export type TestEvent = TestStartEvent | TestEndEvent;

/**
 * Per-file timings, where the runner reports them (vitest, jest, node:test): written once a file is
 * done; `t` is its end. A separate kind of line: readers of test events (parseEvents) skip it.
 */
export interface FileEvent {
  event: 'file';
  file: string;
  worker: string | null;
  pid: number;
  t: number;
  /** The file's whole time in its worker, set-up phases included. */
  durationMs: number;
  /** Test environment set-up (vitest environment, jest testEnvironment). */
  environmentMs?: number;
  /** Runner harness preparation (vitest). */
  prepareMs?: number;
  /** Importing the file and collecting its tests (vitest). */
  collectMs?: number;
  /** Setup files (vitest setupFiles, jest setupFiles + setupFilesAfterEach). */
  setupMs?: number;
}

const outcomes = new Set<string>(['passed', 'failed', 'skipped', 'error']);

/** Checks one parsed line; returns undefined for lines that are not events (so a torn last line is skipped). */
export function toEvent(value: unknown): TestEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record.event !== 'start' && record.event !== 'end') return undefined;
  if (typeof record.file !== 'string' || typeof record.name !== 'string' || typeof record.t !== 'number') return undefined;
  if (record.event === 'end' && (!outcomes.has(String(record.outcome)) || typeof record.durationMs !== 'number')) return undefined;
  return {
    ...record,
    id: typeof record.id === 'string' ? record.id : `${record.file}::${record.name}`,
    worker: typeof record.worker === 'string' ? record.worker : null,
    pid: typeof record.pid === 'number' ? record.pid : 0,
  } as TestEvent;
}

/** Parses events text (JSON lines) as written, suites included; lines that do not parse (a line being written) are skipped. */
export function parseEvents(text: string): TestEvent[] {
  const events: TestEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const event = toEvent(value);
    if (event) events.push(event);
  }
  return events;
}

/** The runner's session began (pytest: pytest_sessionstart in the main process), before collection. */
export interface SessionEvent {
  event: 'session';
  pid: number;
  t: number;
}

function parseKind(text: string, kind: 'file' | 'session'): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  for (const line of text.split('\n')) {
    if (!line.includes(`"event":"${kind}"`)) continue;
    try {
      const value = JSON.parse(line) as Record<string, unknown>;
      if (value.event === kind && typeof value.t === 'number') found.push(value);
    } catch {
      // a line being written
    }
  }
  return found;
}

/** The per-file timings in events text. */
export function parseFileEvents(text: string): FileEvent[] {
  return parseKind(text, 'file')
    .filter((value) => typeof value.file === 'string' && typeof value.durationMs === 'number')
    .map((value) => ({ ...value, worker: typeof value.worker === 'string' ? value.worker : null, pid: typeof value.pid === 'number' ? value.pid : 0 }) as FileEvent);
}

/** The session starts in events text (one per run of the runner). */
export function parseSessionEvents(text: string): SessionEvent[] {
  return parseKind(text, 'session').map((value) => ({ event: 'session', pid: typeof value.pid === 'number' ? value.pid : 0, t: value.t as number }));
}

/** Removes suites (ends marked `suite: true` and their starts), leaving test events only. */
export function withoutSuites(events: readonly TestEvent[]): TestEvent[] {
  const suites = new Set(events.flatMap((e) => (e.event === 'end' && e.suite ? [`${e.pid}\u0000${e.id}`] : [])));
  if (suites.size === 0) return [...events];
  return events.filter((e) => !suites.has(`${e.pid}\u0000${e.id}`));
}

// Read synchronously: a run's file is read once its command has ended, when nothing else waits, and
// an asynchronous read costs a thread-pool round trip per step (open, stat, read, close).
function readText(eventsFile: string): string {
  try {
    return readFileSync(eventsFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new InputError(eventsFile, `cannot read events (${(error as NodeJS.ErrnoException).code})`, { cause: error });
  }
}

/**
 * Reads everything a run wrote, in one read and one pass: its test events (suites dropped), per-file
 * timings and session starts. A missing file means nothing was written.
 */
export function readRunEvents(eventsFile: string): { events: TestEvent[]; files: FileEvent[]; sessions: SessionEvent[] } {
  const events: TestEvent[] = [];
  const files: FileEvent[] = [];
  const sessions: SessionEvent[] = [];
  for (const line of readText(eventsFile).split('\n')) {
    if (line === '') continue;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // a line being written
    }
    if (value === null || typeof value !== 'object') continue;
    if (value.event === 'file') {
      if (typeof value.file === 'string' && typeof value.durationMs === 'number' && typeof value.t === 'number') {
        files.push({ ...value, worker: typeof value.worker === 'string' ? value.worker : null, pid: typeof value.pid === 'number' ? value.pid : 0 } as FileEvent);
      }
    } else if (value.event === 'session') {
      if (typeof value.t === 'number') sessions.push({ event: 'session', pid: typeof value.pid === 'number' ? value.pid : 0, t: value.t });
    } else {
      const event = toEvent(value);
      if (event) events.push(event);
    }
  }
  return { events: withoutSuites(events), files, sessions };
}

/**
 * Follows an events file while it grows (for live use, e.g. naming the test in flight).
 * `poll()` returns the complete lines appended since the last call; a partial last line waits for its newline.
 */
export function followEvents(eventsFile: string): { poll(): Promise<TestEvent[]> } {
  let offset = 0;
  let pending = Buffer.alloc(0);
  return {
    async poll() {
      let handle;
      try {
        handle = await open(eventsFile, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      try {
        const { size } = await handle.stat();
        if (size <= offset) return [];
        const buffer = Buffer.alloc(size - offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        offset += bytesRead;
        // Cut at the last newline byte, so a line (or a UTF-8 sequence) being written waits for the next poll.
        const bytes = Buffer.concat([pending, buffer.subarray(0, bytesRead)]);
        const cut = bytes.lastIndexOf(0x0a);
        pending = bytes.subarray(cut + 1);
        return parseEvents(bytes.subarray(0, cut + 1).toString('utf8'));
      } finally {
        await handle.close();
      }
    },
  };
}

/** The tests that have started but not ended, in start order (the test in flight, per worker). */
export function inFlight(events: readonly TestEvent[]): TestStartEvent[] {
  const open = new Map<string, TestStartEvent>();
  for (const event of events) {
    const key = `${event.pid}\u0000${event.id}`;
    if (event.event === 'start') open.set(key, event);
    else open.delete(key);
  }
  return [...open.values()];
}

/** Set to 1 (by mem-profile): events written from the process that runs the test carry its resident memory. */
export const EVENT_RSS_ENV = 'TESTPACE_EVENT_RSS';

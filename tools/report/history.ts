// The run history: one compact JSON line per run (a profile's or a benchmark document's), appended
// safely by concurrent CI jobs, read back as trends and as a rolling baseline of the last N runs.
import { lstat, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { InputError } from '../../lib/errors.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import { median, quantile } from '../../lib/stats.ts';
import { testKey } from '../../lib/test-id.ts';
import { type BenchmarkDocument, benchmarkKey } from './benchmark-document.ts';
import type { SideData, SideTest } from './compare.ts';
import { measuredWalls } from './compare.ts';

interface RecordBase {
  v: 1;
  createdAt: string;
  commit: string | null;
  branch: string | null;
  /** The machine's CPUs, so that a baseline pooled from other machines can say so. */
  cpus?: { count: number; model: string };
}

/**
 * A profile's run. Tests are [file, name, median ms, flaky (0/1), per-run ms] to keep lines short;
 * records written before the per-run values were kept have four elements and no `walls`.
 */
export interface ProfileRecord extends RecordBase {
  kind?: 'profile';
  runner: string;
  runs: number;
  status: string;
  wallMs: number;
  walls?: number[];
  tests: [string, string, number, 0 | 1, number[]?][];
}

/** A benchmark document's run: [file ('' for none), name, median ms, samples (at most SAMPLES_KEPT) or null]. */
export interface BenchmarkRecord extends RecordBase {
  kind: 'benchmark';
  harness: string;
  benchmarks: [string, string, number, number[] | null][];
}

export type HistoryRecord = ProfileRecord | BenchmarkRecord;

export const isBenchmarkRecord = (record: HistoryRecord): record is BenchmarkRecord => record.kind === 'benchmark';
export const isProfileRecord = (record: HistoryRecord): record is ProfileRecord => record.kind !== 'benchmark';

/** How the rolling baseline sums up the records: their samples pooled, or the median or p90 of their medians. */
export type RollingStat = 'pooled' | 'median' | 'p90';

/** Samples a record keeps per benchmark: their evenly spaced quantiles, which a rank test reads as it would the samples. */
export const SAMPLES_KEPT = 200;

const round = (value: number) => Math.round(value * 1000) / 1000;
const significant = (value: number) => Number(value.toPrecision(6));

/** At most `n` values standing for `values`: themselves, or their evenly spaced quantiles. */
export function keepSamples(values: readonly number[], n = SAMPLES_KEPT): number[] {
  if (values.length <= n) return values.map(significant);
  return Array.from({ length: n }, (_, i) => significant(quantile(values, (i + 0.5) / n)));
}

/** The history record of a profile. */
export function historyRecord(profile: ProfileDocument): ProfileRecord {
  const walls = measuredWalls(profile).map(round);
  return {
    v: 1,
    createdAt: profile.createdAt,
    commit: profile.environment?.git?.commit ?? null,
    branch: profile.environment?.git?.branch ?? null,
    ...(profile.environment ? { cpus: profile.environment.cpus } : {}),
    runner: profile.runner,
    runs: profile.summary.runs,
    status: profile.status,
    wallMs: round(median(walls)),
    walls,
    tests: profile.tests.map((test) => {
      const values = test.durationMs.values && test.durationMs.values.length === test.durationMs.runs ? test.durationMs.values.map(round) : [round(test.durationMs.median)];
      return [test.file, test.name, round(test.durationMs.median), test.flaky ? 1 : 0, values];
    }),
  };
}

/** The history record of a benchmark document. */
export function benchmarkRecord(document: BenchmarkDocument): BenchmarkRecord {
  return {
    v: 1,
    kind: 'benchmark',
    createdAt: document.createdAt,
    commit: document.environment.git?.commit ?? null,
    branch: document.environment.git?.branch ?? null,
    cpus: document.environment.cpus,
    harness: [...new Set(document.sources.map((s) => s.harness))].join(', '),
    benchmarks: document.benchmarks.map((b) => [b.file ?? '', b.name, significant(b.stats.median), b.samplesMs?.length ? keepSamples(b.samplesMs) : null]),
  };
}

const isNumbers = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === 'number');

function isRecord(value: unknown): value is HistoryRecord {
  const record = value as HistoryRecord;
  if (typeof record !== 'object' || record === null || record.v !== 1 || typeof record.createdAt !== 'string') return false;
  if (record.kind === 'benchmark') {
    return Array.isArray(record.benchmarks) && record.benchmarks.every((b) => Array.isArray(b) && typeof b[0] === 'string' && typeof b[1] === 'string' && typeof b[2] === 'number' && (b[3] === null || isNumbers(b[3])));
  }
  return (
    (record.kind === undefined || record.kind === 'profile') &&
    typeof record.wallMs === 'number' &&
    (record.walls === undefined || isNumbers(record.walls)) &&
    Array.isArray(record.tests) &&
    record.tests.every((t) => Array.isArray(t) && typeof t[0] === 'string' && typeof t[1] === 'string' && typeof t[2] === 'number' && (t[4] === undefined || isNumbers(t[4])))
  );
}

/** Reads a history file; a missing file is an empty history. Lines that are not records are skipped with a warning. */
export async function readHistory(file: string, name = file): Promise<{ records: HistoryRecord[]; warnings: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { records: [], warnings: [] };
    throw new InputError(name, code === 'EISDIR' ? 'is a directory, expected a history file (JSON lines)' : `cannot read the history (${code})`, { cause: error });
  }
  const records: HistoryRecord[] = [];
  const bad: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    try {
      const value: unknown = JSON.parse(line);
      if (isRecord(value)) records.push(value);
      else bad.push(index + 1);
    } catch {
      bad.push(index + 1);
    }
  });
  const warnings = bad.length ? [`${name}: skipped ${bad.length} line(s) that are not history records (line ${bad.slice(0, 5).join(', ')})`] : [];
  return { records, warnings };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a lock whose holder cannot be checked (another host's) may be held before it counts as left behind. */
const STALE_LOCK_MS = 10_000;
const LOCK_TIMEOUT_MS = 30_000;

/** Whether process `pid` of this host is gone (a kill(0) that says no such process). */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The lock's holder as written in it: `<pid> <hostname>`; undefined while it is being written. */
async function lockHolder(lock: string): Promise<{ pid: number; host: string | undefined } | undefined> {
  const text = await readFile(lock, 'utf8').catch(() => '');
  const match = /^(\d+)(?:\s+(\S+))?/.exec(text);
  return match ? { pid: Number(match[1]), host: match[2] } : undefined;
}

/**
 * Takes `FILE.lock`, created exclusively and holding `<pid> <hostname>`. A lock whose process is gone
 * (on this host) is taken over at once; one that cannot be checked counts as left behind after 10 s.
 * Something else in the lock's place (a directory) is reported at once: waiting would not move it.
 */
async function takeLock(lock: string, name: string): Promise<void> {
  const me = `${process.pid} ${os.hostname()}\n`;
  const started = Date.now();
  for (;;) {
    try {
      await writeFile(lock, me, { flag: 'wx' });
      // Two writers that took over the same dead lock: the one whose content is not there yields.
      if ((await readFile(lock, 'utf8').catch(() => '')) === me) return;
      continue;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'EISDIR') throw new InputError(name, `cannot create the history lock (${code})`, { cause: error });
    }
    const info = await lstat(lock).catch(() => undefined);
    if (info && !info.isFile()) {
      throw new InputError(name, `is ${info.isDirectory() ? 'a directory' : 'not a regular file'}, where the history's lock file goes`, { hint: `remove it (rm -r ${name}) if no testpace-report is running` });
    }
    const holder = await lockHolder(lock);
    const held = info ? Date.now() - info.mtimeMs : 0;
    const gone = holder && (holder.host === undefined || holder.host === os.hostname()) && processGone(holder.pid);
    if (gone || held > STALE_LOCK_MS) {
      await rm(lock, { force: true });
      continue;
    }
    if (Date.now() - started > LOCK_TIMEOUT_MS) {
      throw new InputError(name, `the history has been locked for ${Math.round(held / 1000)} s${holder ? ` by process ${holder.pid}${holder.host ? ` on ${holder.host}` : ''}` : ''}`, { hint: 'remove the lock file if no testpace-report is running' });
    }
    await sleep(5 + Math.random() * 20);
  }
}

/**
 * Appends one record as one line. Writers take `FILE.lock` and append with O_APPEND in one write:
 * the lock serialises writers on file systems where O_APPEND alone is not atomic (NFS, very long
 * lines), and the append keeps the file whole if the lock is ever broken. A torn last line left by
 * a killed writer is closed with a newline before the new record.
 */
export async function appendHistory(file: string, record: HistoryRecord, name = file): Promise<void> {
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw new InputError(name, 'is a directory, expected a history file (JSON lines)');
  const lock = `${file}.lock`;
  await takeLock(lock, `${name}.lock`);
  try {
    const handle = await open(file, 'a+');
    try {
      const { size } = await handle.stat();
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) prefix = '\n';
      }
      const line = Buffer.from(prefix + JSON.stringify(record) + '\n');
      let written = 0;
      while (written < line.length) written += (await handle.write(line, written)).bytesWritten;
    } finally {
      await handle.close();
    }
  } finally {
    await rm(lock, { force: true });
  }
}

export interface RollingOptions {
  window: number;
  statistic: RollingStat;
  /** Only records of this branch (`the last N runs on main`); undefined: every record. */
  branch?: string;
  /** The history file, as named (for the baseline's source). */
  file: string;
}

/** The records a rolling baseline uses: of the branch asked for, the last `window`. */
export function recentRecords<R extends HistoryRecord>(records: readonly R[], options: Pick<RollingOptions, 'window' | 'branch'>): R[] {
  return records.filter((r) => options.branch === undefined || r.branch === options.branch).slice(-options.window);
}

function describeSource(options: RollingOptions, count: number): string {
  const what = options.statistic === 'pooled' ? 'pooled samples' : options.statistic;
  return `history:${options.file} (${what} of last ${count}${options.branch ? ` on ${options.branch}` : ''})`;
}

interface Collected {
  file: string;
  name: string;
  medians: number[];
  pooled: number[];
  flaky: boolean;
}

function collect(into: Map<string, Collected>, key: string, file: string, name: string, ms: number, values: number[] | null | undefined, flaky: boolean): void {
  const entry = into.get(key) ?? { file, name, medians: [], pooled: [], flaky: false };
  entry.medians.push(ms);
  entry.pooled.push(...(values?.length ? values : [ms]));
  entry.flaky ||= flaky;
  into.set(key, entry);
}

function pick(entry: { medians: number[]; pooled: number[] }, statistic: RollingStat): { ms: number; values: number[] } {
  if (statistic === 'pooled') return { ms: median(entry.pooled), values: entry.pooled };
  return { ms: statistic === 'p90' ? quantile(entry.medians, 0.9) : median(entry.medians), values: entry.medians };
}

/** What differs between the machines of the records and `cpus`, for a warning: "4 of the 20 records ran on 8 × Other CPU". */
export function otherMachines(records: readonly HistoryRecord[], cpus: { count: number; model: string } | undefined): string | undefined {
  if (!cpus) return undefined;
  const others = records.filter((r) => r.cpus && (r.cpus.model !== cpus.model || r.cpus.count !== cpus.count));
  if (others.length === 0) return undefined;
  const kinds = [...new Set(others.map((r) => `${r.cpus!.count} × ${r.cpus!.model}`))].slice(0, 3).join(', ');
  return `${others.length} of the ${records.length} records of the baseline ran on another machine (${kinds}; this run: ${cpus.count} × ${cpus.model}): a difference may be the machine's, not the change's`;
}

/** How many of the records kept only medians (written before samples were kept), for a warning. */
export function recordsWithoutValues(records: readonly HistoryRecord[]): number {
  return records.filter((r) => (isBenchmarkRecord(r) ? r.benchmarks.some((b) => b[3] === null) : r.walls === undefined)).length;
}

/**
 * The rolling baseline of profiles: per test and in total, over the last `window` records (of the
 * branch asked for). `pooled` puts the runs of all those records together, so the significance test
 * sees every run and the spread across sessions; `median` and `p90` take the records' medians.
 */
export function rollingBaseline(records: readonly HistoryRecord[], options: RollingOptions): SideData {
  const recent = recentRecords(records.filter(isProfileRecord), options);
  const collected = new Map<string, Collected>();
  for (const record of recent) {
    for (const [testFile, name, ms, flaky, values] of record.tests) collect(collected, testKey({ file: testFile, name }), testFile, name, ms, values, flaky === 1);
  }
  const tests = new Map<string, SideTest>();
  for (const [key, entry] of collected) tests.set(key, { file: entry.file, name: entry.name, ...pick(entry, options.statistic), flaky: entry.flaky });
  const walls = { medians: recent.map((r) => r.wallMs), pooled: recent.flatMap((r) => r.walls ?? [r.wallMs]) };
  const total = recent.length ? pick(walls, options.statistic) : undefined;
  const last = recent.at(-1);
  return {
    source: describeSource(options, recent.length),
    runs: options.statistic === 'pooled' ? walls.pooled.length : recent.length,
    createdAt: last?.createdAt,
    commit: last?.commit ?? null,
    ...(total ? { totalMs: total.ms, totalValues: total.values } : {}),
    tests,
  };
}

/** The rolling baseline of benchmarks, likewise (samples pooled, or the records' medians). */
export function rollingBenchmarkBaseline(records: readonly HistoryRecord[], options: RollingOptions): SideData {
  const recent = recentRecords(records.filter(isBenchmarkRecord), options);
  const collected = new Map<string, Collected>();
  for (const record of recent) {
    for (const [file, name, ms, samples] of record.benchmarks) collect(collected, benchmarkKey({ file: file || undefined, name }), file, name, ms, samples, false);
  }
  const tests = new Map<string, SideTest>();
  for (const [key, entry] of collected) tests.set(key, { file: entry.file, name: entry.name, ...pick(entry, options.statistic), flaky: false });
  const last = recent.at(-1);
  const sizes = [...tests.values()].map((t) => t.values?.length ?? 0);
  return { source: describeSource(options, recent.length), runs: sizes.length ? Math.round(median(sizes)) : 0, createdAt: last?.createdAt, commit: last?.commit ?? null, tests };
}

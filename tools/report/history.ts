// The run history: one compact JSON line per run, appended safely by concurrent CI jobs,
// read back as a trend and as a rolling baseline (median or p90 of the last N runs).
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { InputError } from '../../lib/errors.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import { median, quantile } from '../../lib/stats.ts';
import { testKey } from '../../lib/test-id.ts';
import type { SideData, SideTest } from './compare.ts';
import { measuredWalls } from './compare.ts';

/** One run in the history file. Tests are [file, name, median ms, flaky (0/1)] to keep lines short. */
export interface HistoryRecord {
  v: 1;
  createdAt: string;
  commit: string | null;
  branch: string | null;
  runner: string;
  runs: number;
  status: string;
  wallMs: number;
  tests: [string, string, number, 0 | 1][];
}

export type RollingStat = 'median' | 'p90';

const round = (value: number) => Math.round(value * 1000) / 1000;

/** The history record of a profile. */
export function historyRecord(profile: ProfileDocument): HistoryRecord {
  return {
    v: 1,
    createdAt: profile.createdAt,
    commit: profile.environment?.git?.commit ?? null,
    branch: profile.environment?.git?.branch ?? null,
    runner: profile.runner,
    runs: profile.summary.runs,
    status: profile.status,
    wallMs: round(median(measuredWalls(profile))),
    tests: profile.tests.map((test) => [test.file, test.name, round(test.durationMs.median), test.flaky ? 1 : 0]),
  };
}

function isRecord(value: unknown): value is HistoryRecord {
  const record = value as HistoryRecord;
  return (
    typeof record === 'object' &&
    record !== null &&
    record.v === 1 &&
    typeof record.createdAt === 'string' &&
    typeof record.wallMs === 'number' &&
    Array.isArray(record.tests) &&
    record.tests.every((t) => Array.isArray(t) && typeof t[0] === 'string' && typeof t[1] === 'string' && typeof t[2] === 'number')
  );
}

/** Reads a history file; a missing file is an empty history. Lines that are not records are skipped with a warning. */
export async function readHistory(file: string): Promise<{ records: HistoryRecord[]; warnings: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], warnings: [] };
    throw new InputError(file, `cannot read the history (${(error as NodeJS.ErrnoException).code})`, { cause: error });
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
  const warnings = bad.length ? [`${file}: skipped ${bad.length} line(s) that are not history records (line ${bad.slice(0, 5).join(', ')})`] : [];
  return { records, warnings };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a lock may be held before another writer takes it as left behind by a killed process. */
const STALE_LOCK_MS = 10_000;
const LOCK_TIMEOUT_MS = 30_000;

/**
 * Appends one record as one line. Writers take `FILE.lock` (created exclusively) and append with
 * O_APPEND in one write: the lock serialises writers on file systems where O_APPEND alone is not
 * atomic (NFS, very long lines), and the append keeps the file whole if the lock is ever broken.
 * A torn last line left by a killed writer is closed with a newline before the new record.
 */
export async function appendHistory(file: string, record: HistoryRecord): Promise<void> {
  const lock = `${file}.lock`;
  const started = Date.now();
  for (;;) {
    try {
      await writeFile(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new InputError(lock, `cannot create the history lock (${code})`, { cause: error });
      const held = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (held > STALE_LOCK_MS) await rm(lock, { force: true });
      else if (Date.now() - started > LOCK_TIMEOUT_MS) {
        throw new InputError(lock, `the history has been locked for ${Math.round(held / 1000)} s`, { hint: 'remove the lock file if no testpace-report is running' });
      } else await sleep(5 + Math.random() * 20);
    }
  }
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

/** The rolling baseline: per test and in total, the median or p90 of the last `window` records. */
export function rollingBaseline(records: readonly HistoryRecord[], window: number, statistic: RollingStat, file: string): SideData {
  const recent = records.slice(-window);
  const pick = (values: number[]) => (statistic === 'p90' ? quantile(values, 0.9) : median(values));
  const collected = new Map<string, { file: string; name: string; values: number[]; flaky: boolean }>();
  for (const record of recent) {
    for (const [testFile, name, ms, flaky] of record.tests) {
      const key = testKey({ file: testFile, name });
      const entry = collected.get(key) ?? { file: testFile, name, values: [], flaky: false };
      entry.values.push(ms);
      entry.flaky ||= flaky === 1;
      collected.set(key, entry);
    }
  }
  const tests = new Map<string, SideTest>();
  for (const [key, entry] of collected) tests.set(key, { file: entry.file, name: entry.name, ms: pick(entry.values), values: entry.values, flaky: entry.flaky });
  const walls = recent.map((record) => record.wallMs);
  const last = recent.at(-1);
  return {
    source: `history:${file} (${statistic} of last ${recent.length})`,
    runs: recent.length,
    createdAt: last?.createdAt,
    commit: last?.commit ?? null,
    totalMs: pick(walls),
    totalValues: walls,
    tests,
  };
}

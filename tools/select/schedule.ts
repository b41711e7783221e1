// Ordering, sharding and budgeting the selected test files with measured durations from a
// profile document (testpace-profile): per file, the sum of its tests' median durations.
import path from 'node:path';
import type { Io } from '../../lib/io.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';

export interface FileTiming {
  ms: number;
  failed: boolean;
}

export interface Timings {
  source: string;
  files: Map<string, FileTiming>;
  /** Runs the medians are over (the profile's measured runs). */
  runs: number;
}

/** Reads per-file durations from a profile document; files become repo-relative through its `cwd`. */
export async function readTimings(source: string, io: Io, repoPrefixOfCwd: string): Promise<Timings> {
  const { readDocument } = await import('../../lib/read-document.ts'); // ajv: only for --timings
  const profile = await readDocument<Pick<ProfileDocument, 'cwd' | 'tests'>>(source, io, ['profile']);
  const base = profile.cwd && !path.isAbsolute(profile.cwd) ? profile.cwd : repoPrefixOfCwd;
  const files = new Map<string, FileTiming>();
  let runs = 0;
  for (const test of profile.tests) {
    const file = path.posix.normalize(base && base !== '.' ? `${base}/${test.file}` : test.file);
    const known = files.get(file) ?? { ms: 0, failed: false };
    known.ms += test.durationMs.median;
    known.failed ||= test.outcome === 'failed' || test.outcome === 'error';
    files.set(file, known);
    runs = Math.max(runs, test.durationMs.runs);
  }
  return { source, files, runs };
}

/** The duration assumed for a file the profile does not know: the median of the known ones. */
export function fallbackMs(timings: Timings): number {
  const values = [...timings.files.values()].map((t) => t.ms).sort((a, b) => a - b);
  if (values.length === 0) return 1000;
  return values[Math.floor(values.length / 2)]!;
}

export interface Scheduled {
  kept: string[];
  skipped: Array<{ file: string; why: string }>;
}

export function order(files: string[], timings: Timings, how: 'duration' | 'failed-first'): string[] {
  const guess = fallbackMs(timings);
  const ms = (f: string): number => timings.files.get(f)?.ms ?? guess;
  const failed = (f: string): number => (timings.files.get(f)?.failed ? 0 : 1);
  return [...files].sort((a, b) => (how === 'failed-first' ? failed(a) - failed(b) : 0) || ms(a) - ms(b) || a.localeCompare(b));
}

/** Splits files into `count` shards of near-equal measured duration (longest first onto the lightest shard). */
export function shard(files: string[], timings: Timings | null, index: number, count: number): Scheduled {
  const guess = timings ? fallbackMs(timings) : 1;
  const ms = (f: string): number => (timings ? (timings.files.get(f)?.ms ?? guess) : 1);
  const loads = Array.from({ length: count }, () => 0);
  const owner = new Map<string, number>();
  for (const file of [...files].sort((a, b) => ms(b) - ms(a) || a.localeCompare(b))) {
    let lightest = 0;
    for (let k = 1; k < count; k++) if (loads[k]! < loads[lightest]!) lightest = k;
    loads[lightest]! += ms(file);
    owner.set(file, lightest);
  }
  const kept = files.filter((f) => owner.get(f) === index - 1);
  const skipped = files.filter((f) => owner.get(f) !== index - 1).map((f) => ({ file: f, why: `in shard ${owner.get(f)! + 1}/${count}` }));
  return { kept, skipped };
}

/** The most directly affected files (fewest edges from a change, then shortest) that fit in `budgetMs`. */
export function budget(files: string[], distance: (file: string) => number, timings: Timings, budgetMs: number): Scheduled & { usedMs: number } {
  const guess = fallbackMs(timings);
  const ms = (f: string): number => timings.files.get(f)?.ms ?? guess;
  const ranked = [...files].sort((a, b) => distance(a) - distance(b) || ms(a) - ms(b) || a.localeCompare(b));
  const kept: string[] = [];
  const skipped: Scheduled['skipped'] = [];
  let used = 0;
  for (const file of ranked) {
    const cost = ms(file);
    if (used + cost <= budgetMs) {
      kept.push(file);
      used += cost;
    } else {
      const measured = timings.files.has(file) ? 'measured' : 'assumed (not in the profile)';
      skipped.push({ file, why: `over budget: needs ${(cost / 1000).toFixed(1)} s ${measured}, ${((budgetMs - used) / 1000).toFixed(1)} s left` });
    }
  }
  const keptSet = new Set(kept);
  return { kept: files.filter((f) => keptSet.has(f)), skipped, usedMs: used };
}

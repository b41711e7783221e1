// Trends over the history: the total, the slowest tests and each benchmark, record by record, with
// the records where a change was detected. A record is judged against the records since the last
// change (at most the rolling window), pooled, by the same rules as the gate (verdict.ts), so a
// mark means what a failed gate would have meant on that commit.
import { median } from '../../lib/stats.ts';
import { testKey } from '../../lib/test-id.ts';
import { benchmarkKey } from './benchmark-document.ts';
import { type HistoryRecord, isBenchmarkRecord, isProfileRecord } from './history.ts';
import { type Status, type Thresholds, judgeAll } from './verdict.ts';

export interface TrendPoint {
  createdAt: string;
  commit: string | null;
  ms: number;
  values: number[];
  /** Against the records before it: a detected change (regressed, improved), or none. */
  change: Status | null;
}

export interface TrendSeries {
  kind: 'total' | 'test' | 'benchmark';
  label: string;
  points: TrendPoint[];
}

/** Records needed before a change can be judged. */
const MIN_BEFORE = 3;

function detectChanges(points: TrendPoint[], window: number, floor: (baseMs: number) => number, thresholds: Thresholds): void {
  let start = 0;
  for (let i = 0; i < points.length; i++) {
    const before = points.slice(Math.max(start, i - window), i);
    if (before.length < MIN_BEFORE) continue;
    const pooled = before.flatMap((p) => p.values);
    const baseMs = median(pooled);
    const [judged] = judgeAll([{ base: { ms: baseMs, values: pooled }, current: { ms: points[i]!.ms, values: points[i]!.values }, floorMs: floor(baseMs) }], thresholds);
    if (judged && (judged.status === 'regressed' || judged.status === 'improved')) {
      points[i]!.change = judged.status;
      // A step: later records are judged against the level after it.
      start = i;
    }
  }
}

export interface TrendOptions {
  window: number;
  thresholds: Thresholds;
  /** How many of the slowest tests (by the last record) get a trend of their own. */
  tests: number;
  /** How many benchmarks at most. */
  benchmarks?: number;
}

/** The series of the history's records, with their change marks. */
export function trendSeries(records: readonly HistoryRecord[], options: TrendOptions): TrendSeries[] {
  const series: TrendSeries[] = [];
  const point = (r: HistoryRecord, ms: number, values: number[] | null | undefined): TrendPoint => ({ createdAt: r.createdAt, commit: r.commit, ms, values: values?.length ? values : [ms], change: null });
  const profiles = records.filter(isProfileRecord);
  if (profiles.length) {
    const total: TrendSeries = { kind: 'total', label: 'total wall time', points: profiles.map((r) => point(r, r.wallMs, r.walls)) };
    detectChanges(total.points, options.window, (base) => options.thresholds.totalRelative * base, options.thresholds);
    series.push(total);
    const last = profiles.at(-1)!;
    const slowest = [...last.tests].sort((a, b) => b[2] - a[2] || a[1].localeCompare(b[1])).slice(0, options.tests);
    for (const [file, name] of slowest) {
      const key = testKey({ file, name });
      const points = profiles.flatMap((r) => {
        const test = r.tests.find((t) => testKey({ file: t[0], name: t[1] }) === key);
        return test ? [point(r, test[2], test[4])] : [];
      });
      detectChanges(points, options.window, () => options.thresholds.absoluteMs, options.thresholds);
      series.push({ kind: 'test', label: `${file}::${name}`, points });
    }
  }
  const benches = records.filter(isBenchmarkRecord);
  if (benches.length) {
    const seen = new Map<string, string>();
    for (const record of benches) for (const [file, name] of record.benchmarks) seen.set(benchmarkKey({ file: file || undefined, name }), file ? `${file}::${name}` : name);
    for (const [key, label] of [...seen].slice(0, options.benchmarks ?? 12)) {
      const points = benches.flatMap((r) => {
        const bench = r.benchmarks.find((b) => benchmarkKey({ file: b[0] || undefined, name: b[1] }) === key);
        return bench ? [point(r, bench[2], bench[3])] : [];
      });
      detectChanges(points, options.window, () => 0, options.thresholds);
      series.push({ kind: 'benchmark', label, points });
    }
  }
  return series;
}

// Charts for the HTML report, drawn as inline SVG on the server side: they need no script, no
// font and no network, and every string in them is escaped.
import type { ProfileDocument, TestResult } from '../../lib/profile-document.ts';
import { type BenchmarkDocument, benchmarkLabel } from './benchmark-document.ts';
import { formatBytes, formatDeltaMs, formatMs, formatRatio } from '../../lib/format.ts';
import { fileTotals, medianRun } from './sections.ts';
import type { TrendSeries } from './trend.ts';
import type { ComparisonDocument, MemoryDocument, OptimizationDocument } from './types.ts';

/** Escapes text for HTML and SVG, in content and in attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
const e = escapeHtml;

const WIDTH = 960;
const FONT = 12;
// Colour-blind-friendly categorical colours (files, workers).
export const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#bab0ac', '#e15759'];

/** One colour per file of a profile, the slowest files first, so a file has the same colour in every chart of the page. */
export function fileColours(profile: ProfileDocument): Map<string, string> {
  return new Map(fileTotals(profile).map((f, i) => [f.file, COLOURS[i % COLOURS.length]!]));
}

const colourOf = (file: string, colours: ReadonlyMap<string, string>) => colours.get(file) ?? COLOURS[0]!;

/** A step of 1, 2 or 5 × 10^k giving about `target` ticks up to `max`. */
export function niceStep(max: number, target = 6): number {
  if (!(max > 0)) return 1;
  const raw = max / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((m) => m * power >= raw)! * power;
  return step;
}

function ticks(max: number, target = 6, min = 0): number[] {
  const step = niceStep(max - min, target);
  const out: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) out.push(v);
  return out;
}

/** Shortens text to `chars` characters, keeping the end (a worker's or file's name). */
function clip(value: string, chars: number): string {
  const points = [...value];
  return points.length <= chars ? value : '…' + points.slice(points.length - chars + 1).join('');
}

/** Shortens text to `chars` characters, keeping the start (a name inside a timeline block). */
function clipEnd(value: string, chars: number): string {
  const points = [...value];
  return points.length <= chars ? value : points.slice(0, chars - 1).join('') + '…';
}

/** Shortens text to `chars` characters in the middle: both ends of a test's name stay readable. */
function clipMiddle(value: string, chars: number): string {
  const points = [...value];
  if (points.length <= chars) return value;
  const head = Math.ceil((chars - 1) / 2);
  return points.slice(0, head).join('') + '…' + points.slice(points.length - (chars - 1 - head)).join('');
}

/** A test's label in a chart: its name, and its file's base name after it. */
function chartLabel(file: string, name: string, chars = 56): string {
  const base = file.split('/').at(-1) ?? file;
  const room = Math.max(12, chars - [...base].length - 1);
  return `${e(clipMiddle(name, room))}${base ? `<tspan class="file"> ${e(clipMiddle(base, chars - room))}</tspan>` : ''}`;
}

function svg(height: number, body: string, label: string, className: string): string {
  return `<svg class="chart ${className}" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${e(label)}" font-size="${FONT}">${body}</svg>`;
}

function xAxis(x0: number, x1: number, y: number, max: number, format: (v: number) => string, gridTop: number, min = 0): string {
  const scale = (v: number) => x0 + ((v - min) / (max - min || 1)) * (x1 - x0);
  return ticks(max, 6, min)
    .map((v) => {
      const x = scale(v).toFixed(1);
      return `<line class="grid" x1="${x}" x2="${x}" y1="${gridTop}" y2="${y}"/><text class="tick" x="${x}" y="${y + 14}" text-anchor="middle">${e(format(v))}</text>`;
    })
    .join('');
}

/** Horizontal grid lines with their labels at the left, for each value. */
function yGrid(x0: number, x1: number, values: readonly number[], sy: (v: number) => number, format: (v: number) => string): string {
  return values
    .map((v) => `<line class="grid" x1="${x0}" x2="${x1}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}"/><text class="tick" x="${x0 - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end">${e(format(v))}</text>`)
    .join('');
}

const slowestTests = (profile: ProfileDocument, top: number) =>
  [...profile.tests].sort((a, b) => b.durationMs.median - a.durationMs.median || a.name.localeCompare(b.name)).slice(0, top);

/** The files of the slowest tests, in the order of the page's colours. */
export function slowestFiles(profile: ProfileDocument, top: number): string[] {
  const shown = new Set(slowestTests(profile, top).map((t) => t.file));
  return [...fileColours(profile).keys()].filter((f) => shown.has(f));
}

/** The files in the timeline, in the order of the page's colours. */
export function timelineFiles(profile: ProfileDocument): string[] {
  const shown = new Set((timedRun(profile)?.tests ?? []).filter((t) => t.startMs !== undefined).map((t) => t.file));
  return [...fileColours(profile).keys()].filter((f) => shown.has(f));
}

/** Slowest tests as horizontal bars of their median, with the min–max range as a whisker. */
export function slowestChart(profile: ProfileDocument, top: number): string {
  const tests = slowestTests(profile, top);
  if (tests.length === 0) return '';
  const colours = fileColours(profile);
  const row = 24;
  const labelWidth = 370;
  const x0 = labelWidth + 10;
  const x1 = WIDTH - 80;
  const top_ = 10;
  const height = top_ + tests.length * row + 30;
  const max = Math.max(...tests.map((t) => t.durationMs.max));
  const scale = (v: number) => x0 + (v / (max || 1)) * (x1 - x0);
  const bars = tests
    .map((t, i) => {
      const y = top_ + i * row;
      const stats = t.durationMs;
      const colour = colourOf(t.file, colours);
      const tip = `${t.file}::${t.name}\nmedian ${formatMs(stats.median)} over ${stats.runs} run(s)${stats.runs > 1 ? `, min ${formatMs(stats.min)}, max ${formatMs(stats.max)}` : ''}${t.flaky ? '\nflaky' : ''}`;
      const whisker =
        stats.runs > 1
          ? `<line class="whisker" x1="${scale(stats.min).toFixed(1)}" x2="${scale(stats.max).toFixed(1)}" y1="${y + row / 2 - 2}" y2="${y + row / 2 - 2}"/>`
          : '';
      return (
        `<g class="bar"><title>${e(tip)}</title>` +
        `<text class="label" x="${labelWidth}" y="${y + row / 2 + 2}" text-anchor="end">${chartLabel(t.file, t.name)}</text>` +
        `<rect x="${x0}" y="${y + 3}" width="${Math.max(1, scale(stats.median) - x0).toFixed(1)}" height="${row - 8}" rx="3" fill="${colour}"${t.flaky ? ' class="flaky"' : ''}/>` +
        whisker +
        `<text class="value" x="${(scale(Math.max(stats.median, stats.max)) + 6).toFixed(1)}" y="${y + row / 2 + 2}">${e(formatMs(stats.median))}</text></g>`
      );
    })
    .join('');
  const axis = xAxis(x0, x1, height - 22, max, formatMs, top_);
  return svg(height, axis + bars, 'Slowest tests, median duration', 'slowest');
}

/** The run the timeline draws: the run of median wall time, when its tests carry start and end times. */
function timedRun(profile: ProfileDocument) {
  const typical = medianRun(profile);
  const timed = (run: (typeof profile.runs)[number]) => run.tests.some((t) => t.startMs !== undefined && t.endMs !== undefined);
  if (typical && timed(typical)) return typical;
  return profile.runs.filter((r) => !r.warmup && timed(r)).at(-1);
}

/** The run as a timeline: one lane per worker, one block per test from its start to its end. */
export function timelineChart(profile: ProfileDocument): string {
  const run = timedRun(profile);
  if (!run) return '';
  const timed = run.tests.filter((t): t is TestResult & { startMs: number; endMs: number } => t.startMs !== undefined && t.endMs !== undefined);
  const workers = [...new Set(timed.map((t) => t.worker ?? 'main'))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const colours = fileColours(profile);
  const lane = 30;
  const labelWidth = 110;
  const top = 10;
  const height = top + workers.length * lane + 34;
  const laneHeight = workers.length * lane;
  const firstStart = Math.min(...timed.map((t) => t.startMs));
  const lastEnd = Math.max(...timed.map((t) => t.endMs));
  const wall = Math.max(run.wallMs, lastEnd);
  // When start-up and exit dwarf the tests, the axis spans the tests only and the two ends are
  // drawn as short stubs that say how long they took: the tests are what people look at.
  const zoom = lastEnd - firstStart < 0.5 * wall;
  const stub = zoom ? 70 : 0;
  const x0 = labelWidth + 10 + stub;
  const x1 = WIDTH - 20 - stub;
  const [from, to] = zoom ? [firstStart, lastEnd] : [0, wall];
  const scale = (v: number) => x0 + ((Math.min(to, Math.max(from, v)) - from) / (to - from || 1)) * (x1 - x0);
  const region = (x: number, w: number, label: string, tip: string) =>
    w > 0
      ? `<rect class="startup" x="${x.toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${laneHeight}"><title>${e(tip)}</title></rect>` +
        (w > 60 ? `<text class="tick" x="${(x + w / 2).toFixed(1)}" y="${top + laneHeight + 12}" text-anchor="middle">${e(label)}</text>` : '')
      : '';
  const startupTip = `start-up and collection: ${formatMs(firstStart)}`;
  const exitTip = `after the last test until the process exited: ${formatMs(wall - lastEnd)}`;
  const ends = zoom
    ? region(x0 - stub, stub - 4, `+${formatMs(firstStart)}`, `${startupTip} (not to scale)`) + region(x1 + 4, stub - 4, `+${formatMs(wall - lastEnd)}`, `${exitTip} (not to scale)`)
    : region(x0, scale(firstStart) - x0, 'start-up', startupTip) + region(scale(lastEnd), scale(wall) - scale(lastEnd), 'exit', exitTip);
  const lanes = workers
    .map((worker, i) => {
      const y = top + i * lane;
      const spans = timed
        .filter((t) => (t.worker ?? 'main') === worker)
        .map((t) => {
          const x = scale(t.startMs);
          const w = Math.max(1.5, scale(t.endMs) - x);
          const failed = t.outcome === 'failed' || t.outcome === 'error';
          const tip = `<title>${e(`${t.file}::${t.name}\n${formatMs(t.durationMs)} (${t.outcome}) on ${worker}, ${formatMs(t.startMs)}–${formatMs(t.endMs)}`)}</title>`;
          // Blocks wide enough carry the test's name (about 6.5 px per character at this size).
          const chars = Math.floor((w - 8) / 6.5);
          const label = chars >= 6 ? `<text class="in-span" x="${(x + 4).toFixed(1)}" y="${y + lane / 2 + 4}">${e(clipEnd(t.name, chars))}</text>` : '';
          return `<g class="span-group"><rect class="span${failed ? ' failed' : ''}" x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${lane - 8}" rx="2" fill="${colourOf(t.file, colours)}"/>${label}${tip}</g>`;
        })
        .join('');
      const busy = timed.filter((t) => (t.worker ?? 'main') === worker).reduce((sum, t) => sum + (t.endMs - t.startMs), 0);
      return `<g class="lane" data-worker="${e(worker)}"><rect class="lane-bg" x="${x0 - stub}" y="${y + 2}" width="${x1 - x0 + 2 * stub}" height="${lane - 4}"/><text class="label" x="${labelWidth}" y="${y + lane / 2 + 4}" text-anchor="end">${e(clip(worker, 16))}<title>${e(`${worker}: busy ${formatMs(busy)} of ${formatMs(run.wallMs)}`)}</title></text>${spans}</g>`;
    })
    .join('');
  const axis = xAxis(x0, x1, height - 10, to, formatMs, top, from);
  return svg(height + 8, axis + lanes + ends, `Timeline of run ${run.index} (the run of median wall time): ${workers.length} worker lane(s)`, 'timeline');
}

/** RSS of the process tree over time, with each test's span marked. */
export function memoryChart(memory: MemoryDocument): string {
  const { tMs, rssBytes } = memory.timeline;
  if (tMs.length < 2) return '';
  const x0 = 70;
  const x1 = WIDTH - 20;
  const top = 14;
  const plotHeight = 220;
  const height = top + plotHeight + 34;
  const maxT = Math.max(memory.wallMs, ...tMs);
  const maxRss = Math.max(...rssBytes) * 1.1 || 1;
  const sx = (t: number) => x0 + (t / (maxT || 1)) * (x1 - x0);
  const sy = (b: number) => top + plotHeight - (b / maxRss) * plotHeight;
  const points = tMs.map((t, i) => `${sx(t).toFixed(1)},${sy(rssBytes[i]!).toFixed(1)}`);
  const area = `<path class="area" d="M${sx(tMs[0]!).toFixed(1)},${sy(0)} L${points.join(' L')} L${sx(tMs.at(-1)!).toFixed(1)},${sy(0)} Z"/>`;
  const line = `<polyline class="line" points="${points.join(' ')}"/>`;
  const bands = memory.tests
    .map((t, i) => {
      const x = sx(t.startMs);
      const w = Math.max(1, sx(t.endMs) - x);
      return `<g class="test-span"><rect class="band${i % 2 ? ' odd' : ''}" x="${x.toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${plotHeight}"/><line class="boundary" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top}" y2="${top + plotHeight}"/><title>${e(`${t.file}::${t.name}\n${formatMs(t.endMs - t.startMs)}, RSS growth ${formatBytes(t.growthBytes)}, peak ${formatBytes(t.peakRssBytes)}`)}</title></g>`;
    })
    .join('');
  const MiB = 1024 * 1024;
  const byteTicks = maxRss >= 4 * MiB ? ticks(maxRss / MiB, 4).map((v) => v * MiB) : ticks(maxRss, 4);
  const yTicks = yGrid(x0, x1, byteTicks, sy, formatBytes);
  const peak = `<circle class="peak" cx="${sx(memory.peak.atMs).toFixed(1)}" cy="${sy(memory.peak.sampledRssBytes).toFixed(1)}" r="4"><title>${e(`peak ${formatBytes(memory.peak.sampledRssBytes)} at ${formatMs(memory.peak.atMs)}`)}</title></circle>`;
  const axis = xAxis(x0, x1, top + plotHeight, maxT, formatMs, top + plotHeight);
  return svg(height, yTicks + axis + bands + area + line + peak, 'Memory timeline with test boundaries', 'memory');
}

/** Predicted wall time per worker count, the recommended count highlighted. */
export function predictionsChart(optimization: OptimizationDocument): string {
  const plan = optimization.parallel;
  if (!plan || plan.predictions.length === 0) return '';
  const x0 = 70;
  const x1 = WIDTH - 20;
  const top = 20;
  const plotHeight = 180;
  const height = top + plotHeight + 40;
  const max = Math.max(...plan.predictions.map((p) => p.predictedWallMs)) * 1.1 || 1;
  const slot = (x1 - x0) / plan.predictions.length;
  const sy = (v: number) => top + plotHeight - (v / max) * plotHeight;
  const grid = yGrid(x0, x1, ticks(max, 4), sy, formatMs);
  const bars = plan.predictions
    .map((p, i) => {
      const x = x0 + i * slot + slot * 0.2;
      const w = slot * 0.6;
      const y = sy(p.predictedWallMs);
      const chosen = p.workers === plan.recommended.workers;
      return `<g class="prediction${chosen ? ' recommended' : ''}"><title>${e(`${p.workers} worker(s): ${formatMs(p.predictedWallMs)} predicted${p.speedup ? `, ${p.speedup.toFixed(2)}× speed-up` : ''}${chosen ? ' (recommended)' : ''}`)}</title><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${(top + plotHeight - y).toFixed(1)}" rx="3"/><text class="value" x="${(x + w / 2).toFixed(1)}" y="${(y - 5).toFixed(1)}" text-anchor="middle">${e(formatMs(p.predictedWallMs))}</text><text class="tick" x="${(x + w / 2).toFixed(1)}" y="${top + plotHeight + 16}" text-anchor="middle">${e(`${p.workers} worker${p.workers === 1 ? '' : 's'}`)}</text></g>`;
    })
    .join('');
  return svg(height, grid + bars, 'Predicted wall time per worker count', 'predictions');
}

/**
 * One series of the history (the total, a test, a benchmark): each record's median with its range,
 * the records where a change was detected marked and labelled with their commit.
 */
export function trendChart(series: TrendSeries, options: { height?: number; limit?: number } = {}): string {
  const points = series.points.slice(-(options.limit ?? 50));
  if (points.length < 2) return '';
  const x0 = 80;
  const x1 = WIDTH - 30;
  const top = 22;
  const plotHeight = options.height ?? 120;
  const height = top + plotHeight + 26;
  const highs = points.map((p) => Math.max(p.ms, ...p.values));
  const max = Math.max(...highs) * 1.1 || 1;
  const sx = (i: number) => x0 + (i / (points.length - 1)) * (x1 - x0);
  const sy = (v: number) => top + plotHeight - (v / max) * plotHeight;
  const grid = yGrid(x0, x1, ticks(max, 3), sy, (v) => (v === 0 ? '0' : formatMs(v)));
  const path = points.map((p, i) => `${sx(i).toFixed(1)},${sy(p.ms).toFixed(1)}`).join(' ');
  const ranges = points
    .map((p, i) => (p.values.length > 1 ? `<line class="range" x1="${sx(i).toFixed(1)}" x2="${sx(i).toFixed(1)}" y1="${sy(Math.min(...p.values)).toFixed(1)}" y2="${sy(Math.max(...p.values)).toFixed(1)}"/>` : ''))
    .join('');
  const dots = points
    .map((p, i) => {
      const tip = `${p.createdAt}${p.commit ? ` · ${p.commit.slice(0, 10)}` : ''}\nmedian ${formatMs(p.ms)} of ${p.values.length} value(s)${p.change ? `\nchange detected: ${p.change}` : ''}`;
      const mark = p.change
        ? `<circle class="change-mark ${p.change}" cx="${sx(i).toFixed(1)}" cy="${sy(p.ms).toFixed(1)}" r="7"/><text class="mark-label ${p.change}" x="${sx(i).toFixed(1)}" y="${(sy(p.ms) - 11).toFixed(1)}" text-anchor="middle">${e(p.commit ? p.commit.slice(0, 7) : p.createdAt.slice(0, 10))}</text>`
        : '';
      return `<g class="point${p.change ? ` ${p.change}` : ''}"><title>${e(tip)}</title>${mark}<circle class="dot" cx="${sx(i).toFixed(1)}" cy="${sy(p.ms).toFixed(1)}" r="3.5"/></g>`;
    })
    .join('');
  // Dates, with the time of day when the records span less than two days.
  const span = Date.parse(points.at(-1)!.createdAt) - Date.parse(points[0]!.createdAt);
  const when = (iso: string) => (span < 2 * 86_400_000 ? iso.slice(0, 16).replace('T', ' ') : iso.slice(0, 10));
  const dates = `<text class="tick" x="${x0}" y="${height - 6}">${e(when(points[0]!.createdAt))}</text><text class="tick" x="${x1}" y="${height - 6}" text-anchor="end">${e(when(points.at(-1)!.createdAt))}</text>`;
  const title = `<text class="series-title" x="${x0}" y="13">${e(clipMiddle(series.label, 110))}</text>`;
  return svg(height, title + grid + ranges + `<polyline class="trend" points="${path}"/>` + dots + dates, `Trend of ${series.label}`, `trend ${series.kind}`);
}

/** The benchmarks of a document as bars of their medians (log scale: they span microseconds to seconds), with q1–q3 whiskers. */
export function benchmarkChart(document: BenchmarkDocument, top: number): string {
  const benches = [...document.benchmarks].sort((a, b) => b.stats.median - a.stats.median).slice(0, top);
  if (benches.length === 0) return '';
  const row = 24;
  const labelWidth = 360;
  const x0 = labelWidth + 10;
  const x1 = WIDTH - 90;
  const top_ = 10;
  const height = top_ + benches.length * row + 30;
  const highs = benches.map((b) => Math.max(b.stats.median, b.stats.q3 ?? 0));
  const lows = benches.map((b) => Math.min(b.stats.median, b.stats.q1 ?? b.stats.median)).filter((v) => v > 0);
  const lo = Math.log10(Math.max(1e-6, Math.min(...lows) / 2));
  const hi = Math.log10(Math.max(...highs) * 1.2);
  const scale = (v: number) => x0 + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo || 1)) * (x1 - x0);
  const bars = benches
    .map((b, i) => {
      const y = top_ + i * row;
      const whisker = b.stats.q1 !== null && b.stats.q1 !== undefined && b.stats.q3 !== null && b.stats.q3 !== undefined
        ? `<line class="whisker" x1="${scale(b.stats.q1).toFixed(1)}" x2="${scale(b.stats.q3).toFixed(1)}" y1="${y + row / 2 - 2}" y2="${y + row / 2 - 2}"/>`
        : '';
      const tip = `${benchmarkLabel(b)}\nmedian ${formatMs(b.stats.median)} over ${b.stats.rounds} samples (${b.harness})${b.stats.q1 !== null && b.stats.q1 !== undefined ? `\nq1–q3 ${formatMs(b.stats.q1)}–${formatMs(b.stats.q3)}` : ''}`;
      return `<g class="bar"><title>${e(tip)}</title><text class="label" x="${labelWidth}" y="${y + row / 2 + 2}" text-anchor="end">${chartLabel(b.file ?? '', b.name, 50)}</text><rect x="${x0}" y="${y + 3}" width="${Math.max(1, scale(b.stats.median) - x0).toFixed(1)}" height="${row - 8}" rx="3" fill="${COLOURS[i % COLOURS.length]}"/>${whisker}<text class="value" x="${(scale(Math.max(b.stats.median, b.stats.q3 ?? 0)) + 6).toFixed(1)}" y="${y + row / 2 + 2}">${e(formatMs(b.stats.median))}</text></g>`;
    })
    .join('');
  const decades: number[] = [];
  for (let k = Math.ceil(lo); k <= Math.floor(hi); k++) decades.push(10 ** k);
  const axis = decades
    .map((v) => `<line class="grid" x1="${scale(v).toFixed(1)}" x2="${scale(v).toFixed(1)}" y1="${top_}" y2="${height - 22}"/><text class="tick" x="${scale(v).toFixed(1)}" y="${height - 8}" text-anchor="middle">${e(formatMs(v))}</text>`)
    .join('');
  return svg(height, axis + bars, 'Benchmarks, median per iteration (log scale)', 'benchmarks');
}

/**
 * The change of each test's median as diverging bars: right is slower, left is faster. Tests in
 * milliseconds (+40% of a 0.4 ms test stays the sliver it is); benchmarks in per cent (they run
 * for microseconds to seconds). Room is kept at both ends for the value labels, so that no label
 * is drawn over a name.
 */
export function comparisonChart(comparison: ComparisonDocument, top: number): string {
  const benchmarks = comparison.subject === 'benchmarks';
  const measure = (t: ComparisonDocument['tests'][number]) => (benchmarks ? (t.ratio === null ? null : (t.ratio - 1) * 100) : t.deltaMs);
  // Changes that round to nothing are not drawn: a row of "+0.0 ms" says nothing.
  const tests = comparison.tests.filter((t) => {
    const v = measure(t);
    return v !== null && (benchmarks ? Math.abs(v) >= 0.05 : Math.abs(v) >= 0.05);
  }).slice(0, top);
  if (tests.length === 0) return '';
  const row = 24;
  const labelWidth = 370;
  const valueRoom = 125;
  const x0 = labelWidth + 20;
  const x1 = WIDTH - 20;
  const mid = (x0 + x1) / 2;
  const half = (x1 - x0) / 2 - valueRoom;
  const top_ = 10;
  const height = top_ + tests.length * row + 26;
  const threshold = benchmarks ? comparison.thresholds.relative * 100 : comparison.thresholds.absoluteMs;
  const span = Math.max(threshold, ...tests.map((t) => Math.abs(measure(t)!)));
  const sx = (v: number) => mid + (v / span) * half;
  const show = (v: number) => (benchmarks ? `${v > 0 ? '+' : ''}${v.toFixed(Math.abs(v) < 10 ? 1 : 0)}%` : formatDeltaMs(v));
  const bars = tests
    .map((t, i) => {
      const y = top_ + i * row;
      const v = measure(t)!;
      const x = Math.min(sx(0), sx(v));
      const w = Math.max(1.5, Math.abs(sx(v) - sx(0)));
      const p = t.pAdjusted ?? t.pValue;
      const tip = `${t.file ? `${t.file}::` : ''}${t.name}\n${formatMs(t.baselineMs)} → ${formatMs(t.currentMs)} (${formatRatio(t.ratio)})${p !== null && p !== undefined ? `, p = ${p}` : ''}\n${t.status}`;
      const value = benchmarks ? `${show(v)} (${formatMs(t.currentMs)})` : `${show(v)} (${formatRatio(t.ratio)})`;
      return `<g class="change ${t.status}"><title>${e(tip)}</title><text class="label" x="${labelWidth}" y="${y + row / 2 + 2}" text-anchor="end">${chartLabel(t.file, t.name)}</text><rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 8}" rx="3"/><text class="value" x="${(v >= 0 ? sx(v) + 6 : sx(v) - 6).toFixed(1)}" y="${y + row / 2 + 2}" text-anchor="${v >= 0 ? 'start' : 'end'}">${e(value)}</text></g>`;
    })
    .join('');
  const limits = threshold > 0
    ? [threshold, -threshold]
        .map((v) => `<line class="threshold" x1="${sx(v).toFixed(1)}" x2="${sx(v).toFixed(1)}" y1="${top_}" y2="${height - 20}"><title>${e(`±${benchmarks ? `${threshold}%` : formatMs(threshold)}: the threshold`)}</title></line>`)
        .join('')
    : '';
  const axis = `<line class="zero" x1="${mid}" x2="${mid}" y1="${top_}" y2="${height - 20}"/>${limits}<text class="tick" x="${mid}" y="${height - 6}" text-anchor="middle">no change</text><text class="tick" x="${x1}" y="${height - 6}" text-anchor="end">slower →</text><text class="tick" x="${x0}" y="${height - 6}">← faster</text>`;
  return svg(height, axis + bars, `Change of each ${benchmarks ? 'benchmark median, in per cent' : 'test median against the baseline, in milliseconds'}`, 'comparison');
}

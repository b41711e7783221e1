// Charts for the HTML report, drawn as inline SVG on the server side: they need no script, no
// font and no network, and every string in them is escaped.
import { formatBytes, formatDeltaMs, formatMs, formatRatio } from './format.ts';
import type { HistoryRecord } from './history.ts';
import type { ProfileDocument, TestResult } from '../../lib/profile-document.ts';
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

function colourFor(key: string, keys: readonly string[]): string {
  const index = keys.indexOf(key);
  return COLOURS[(index < 0 ? 0 : index) % COLOURS.length]!;
}

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

/** Shortens text to `chars` characters, keeping the end (a file's base name). */
function clip(value: string, chars: number): string {
  const points = [...value];
  return points.length <= chars ? value : '…' + points.slice(points.length - chars + 1).join('');
}

/** Shortens text to `chars` characters, keeping the start (a test's name). */
function clipEnd(value: string, chars: number): string {
  const points = [...value];
  return points.length <= chars ? value : points.slice(0, chars - 1).join('') + '…';
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

/** The files of the slowest tests, in the order their colours are given out. */
export const slowestFiles = (profile: ProfileDocument, top: number): string[] => [...new Set(slowestTests(profile, top).map((t) => t.file))];

/** The files in the timeline, in the order their colours are given out. */
export function timelineFiles(profile: ProfileDocument): string[] {
  return [...new Set((timedRun(profile)?.tests ?? []).filter((t) => t.startMs !== undefined).map((t) => t.file))].sort();
}

/** Slowest tests as horizontal bars of their median, with the min–max range as a whisker. */
export function slowestChart(profile: ProfileDocument, top: number): string {
  const tests = slowestTests(profile, top);
  if (tests.length === 0) return '';
  const files = slowestFiles(profile, top);
  const row = 24;
  const labelWidth = 340;
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
      const colour = colourFor(t.file, files);
      const tip = `${t.file}::${t.name}\nmedian ${formatMs(stats.median)} over ${stats.runs} run(s)${stats.runs > 1 ? `, min ${formatMs(stats.min)}, max ${formatMs(stats.max)}` : ''}${t.flaky ? '\nflaky' : ''}`;
      const whisker =
        stats.runs > 1
          ? `<line class="whisker" x1="${scale(stats.min).toFixed(1)}" x2="${scale(stats.max).toFixed(1)}" y1="${y + row / 2 - 2}" y2="${y + row / 2 - 2}"/>`
          : '';
      return (
        `<g class="bar"><title>${e(tip)}</title>` +
        `<text class="label" x="${labelWidth}" y="${y + row / 2 + 2}" text-anchor="end">${e(clipEnd(t.name, 30))}<tspan class="file"> ${e(clip(t.file, 18))}</tspan></text>` +
        `<rect x="${x0}" y="${y + 3}" width="${Math.max(1, scale(stats.median) - x0).toFixed(1)}" height="${row - 8}" rx="3" fill="${colour}"${t.flaky ? ' class="flaky"' : ''}/>` +
        whisker +
        `<text class="value" x="${(scale(Math.max(stats.median, stats.max)) + 6).toFixed(1)}" y="${y + row / 2 + 2}">${e(formatMs(stats.median))}</text></g>`
      );
    })
    .join('');
  const axis = xAxis(x0, x1, height - 22, max, formatMs, top_);
  return svg(height, axis + bars, 'Slowest tests, median duration', 'slowest');
}

/** The measured run whose tests carry start and end times: the last one. */
function timedRun(profile: ProfileDocument) {
  const runs = profile.runs.filter((r) => !r.warmup && r.tests.some((t) => t.startMs !== undefined && t.endMs !== undefined));
  return runs.at(-1);
}

/** The run as a timeline: one lane per worker, one block per test from its start to its end. */
export function timelineChart(profile: ProfileDocument): string {
  const run = timedRun(profile);
  if (!run) return '';
  const timed = run.tests.filter((t): t is TestResult & { startMs: number; endMs: number } => t.startMs !== undefined && t.endMs !== undefined);
  const workers = [...new Set(timed.map((t) => t.worker ?? 'main'))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const files = timelineFiles(profile);
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
          return `<g class="span-group"><rect class="span${failed ? ' failed' : ''}" x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${lane - 8}" rx="2" fill="${colourFor(t.file, files)}"/>${label}${tip}</g>`;
        })
        .join('');
      const busy = timed.filter((t) => (t.worker ?? 'main') === worker).reduce((sum, t) => sum + (t.endMs - t.startMs), 0);
      return `<g class="lane" data-worker="${e(worker)}"><rect class="lane-bg" x="${x0 - stub}" y="${y + 2}" width="${x1 - x0 + 2 * stub}" height="${lane - 4}"/><text class="label" x="${labelWidth}" y="${y + lane / 2 + 4}" text-anchor="end">${e(clip(worker, 16))}<title>${e(`${worker}: busy ${formatMs(busy)} of ${formatMs(run.wallMs)}`)}</title></text>${spans}</g>`;
    })
    .join('');
  const axis = xAxis(x0, x1, height - 10, to, formatMs, top, from);
  return svg(height + 8, axis + lanes + ends, `Timeline of run ${run.index}: ${workers.length} worker lane(s)`, 'timeline');
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

/** Wall time of the runs in the history, oldest to newest. */
export function trendChart(records: readonly HistoryRecord[], limit = 50): string {
  const recent = records.slice(-limit);
  if (recent.length < 2) return '';
  const x0 = 70;
  const x1 = WIDTH - 20;
  const top = 14;
  const plotHeight = 160;
  const height = top + plotHeight + 30;
  const max = Math.max(...recent.map((r) => r.wallMs)) * 1.15 || 1;
  const sx = (i: number) => x0 + (i / (recent.length - 1)) * (x1 - x0);
  const sy = (v: number) => top + plotHeight - (v / max) * plotHeight;
  const grid = yGrid(x0, x1, ticks(max, 4), sy, formatMs);
  const points = recent.map((r, i) => `${sx(i).toFixed(1)},${sy(r.wallMs).toFixed(1)}`).join(' ');
  const dots = recent
    .map((r, i) => `<circle class="dot${r.status === 'passed' ? '' : ' failed'}" cx="${sx(i).toFixed(1)}" cy="${sy(r.wallMs).toFixed(1)}" r="4"><title>${e(`${r.createdAt}${r.commit ? ` · ${r.commit.slice(0, 10)}` : ''}${r.branch ? ` (${r.branch})` : ''}\nwall ${formatMs(r.wallMs)} (median of ${r.runs} run(s)), ${r.status}`)}</title></circle>`)
    .join('');
  const labels = `<text class="tick" x="${x0}" y="${height - 8}">${e(recent[0]!.createdAt.slice(0, 10))}</text><text class="tick" x="${x1}" y="${height - 8}" text-anchor="end">${e(recent.at(-1)!.createdAt.slice(0, 10))}</text>`;
  const middle = [...recent.map((r) => r.wallMs)].sort((a, b) => a - b)[Math.floor((recent.length - 1) / 2)]!;
  const medianLine = `<line class="zero" x1="${x0}" x2="${x1}" y1="${sy(middle).toFixed(1)}" y2="${sy(middle).toFixed(1)}"/><text class="tick" x="${x1}" y="${(sy(middle) - 6).toFixed(1)}" text-anchor="end">${e(`median ${formatMs(middle)}`)}</text>`;
  const area = `<polygon class="trend-area" points="${sx(0).toFixed(1)},${sy(0).toFixed(1)} ${points} ${sx(recent.length - 1).toFixed(1)},${sy(0).toFixed(1)}"/>`;
  return svg(height, grid + area + medianLine + `<polyline class="trend" points="${points}"/>` + dots + labels, 'Wall time over the history', 'trend');
}

/** The change of each test's median as diverging bars of milliseconds: right is slower, left is faster. */
export function comparisonChart(comparison: ComparisonDocument, top: number): string {
  const tests = comparison.tests.filter((t) => t.deltaMs !== null).slice(0, top);
  if (tests.length === 0) return '';
  const row = 24;
  const labelWidth = 340;
  const x0 = labelWidth + 20;
  const x1 = WIDTH - 110;
  const mid = (x0 + x1) / 2;
  const top_ = 10;
  const height = top_ + tests.length * row + 26;
  // Bars in milliseconds, so that +40% of a 0.4 ms test stays the sliver it is.
  const span = Math.max(comparison.thresholds.absoluteMs, ...tests.map((t) => Math.abs(t.deltaMs!)));
  const sx = (delta: number) => mid + (delta / span) * ((x1 - x0) / 2);
  const bars = tests
    .map((t, i) => {
      const y = top_ + i * row;
      const delta = t.deltaMs!;
      const x = Math.min(sx(0), sx(delta));
      const w = Math.max(1.5, Math.abs(sx(delta) - sx(0)));
      const tip = `${t.file}::${t.name}\n${formatMs(t.baselineMs)} → ${formatMs(t.currentMs)} (${formatRatio(t.ratio)})${t.pValue !== null ? `, p = ${t.pValue}` : ''}\n${t.status}`;
      const value = `${formatDeltaMs(delta)} (${formatRatio(t.ratio)})`;
      return `<g class="change ${t.status}"><title>${e(tip)}</title><text class="label" x="${labelWidth}" y="${y + row / 2 + 2}" text-anchor="end">${e(clipEnd(t.name, 30))}<tspan class="file"> ${e(clip(t.file, 18))}</tspan></text><rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 8}" rx="3"/><text class="value" x="${(delta >= 0 ? sx(delta) + 6 : sx(delta) - 6).toFixed(1)}" y="${y + row / 2 + 2}" text-anchor="${delta >= 0 ? 'start' : 'end'}">${e(value)}</text></g>`;
    })
    .join('');
  const threshold = comparison.thresholds.absoluteMs;
  const limits = [threshold, -threshold]
    .map((v) => `<line class="threshold" x1="${sx(v).toFixed(1)}" x2="${sx(v).toFixed(1)}" y1="${top_}" y2="${height - 20}"><title>${e(`±${formatMs(threshold)}: the per-test threshold`)}</title></line>`)
    .join('');
  const axis = `<line class="zero" x1="${mid}" x2="${mid}" y1="${top_}" y2="${height - 20}"/>${limits}<text class="tick" x="${mid}" y="${height - 6}" text-anchor="middle">no change</text><text class="tick" x="${x1}" y="${height - 6}" text-anchor="end">slower →</text><text class="tick" x="${x0}" y="${height - 6}">← faster</text>`;
  return svg(height, axis + bars, 'Change of each test median against the baseline, in milliseconds', 'comparison');
}

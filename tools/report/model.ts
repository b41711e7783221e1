// What a report says, independent of how it is drawn: sections of text and tables built from
// documents. The terminal, Markdown and HTML renderers all draw this same model.
import type { ProfileDocument } from '../../lib/profile-document.ts';
import { median } from '../../lib/stats.ts';
import type { HistoryRecord } from './history.ts';
import {
  formatBytes,
  formatDeltaMs,
  formatMs,
  formatP,
  formatRatio,
  formatShare,
  formatSpread,
  sparkline,
  testLabel,
} from './format.ts';
import type {
  ComparisonDocument,
  Loaded,
  MemoryDocument,
  OptimizationDocument,
  ReportDocument,
  SelectionDocument,
  TestDelta,
} from './types.ts';

export type Tone = 'bad' | 'good' | 'warn' | 'dim';
export type Cell = string | { text: string; tone: Tone };

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** The column that takes what width is left (test names, paths); wraps when too long. */
  flexible?: boolean;
  /** A column a narrow terminal may leave out. */
  optional?: boolean;
}

export interface Table {
  caption?: string;
  columns: Column[];
  rows: Cell[][];
  /** Said under the table, e.g. "12 more not shown". */
  footnote?: string;
}

export type Block = { kind: 'text'; text: string; tone?: Tone } | { kind: 'table'; table: Table };

export interface Section {
  title: string;
  /** The kind of document this section draws, for the HTML report's charts. */
  kind: ReportDocument['kind'] | 'trend';
  blocks: Block[];
}

export interface ModelOptions {
  /** How many rows long lists show. */
  top: number;
}

const text = (value: string, tone?: Tone): Block => ({ kind: 'text', text: value, ...(tone ? { tone } : {}) });
const table = (value: Table): Block => ({ kind: 'table', table: value });
const more = (shown: number, all: number, what: string) => (all > shown ? `${all - shown} more ${what} not shown (--top ${all} shows them)` : undefined);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function environmentLine(doc: ReportDocument): string | undefined {
  const env = doc.environment;
  if (!env) return undefined;
  const git = env.git ? ` · git ${env.git.commit.slice(0, 10)}${env.git.branch ? ` (${env.git.branch})` : ''}${env.git.dirty ? ' dirty' : ''}` : '';
  return `${env.os.platform} ${env.os.arch}, ${plural(env.cpus.count, 'CPU')}${git} · ${doc.createdAt}`;
}

function warningsBlocks(doc: ReportDocument): Block[] {
  return (doc.warnings ?? []).map((w) => text(`warning: ${w}`, 'warn'));
}

/** 4 passed, 1 failed */
function outcomeCounts(outcomes: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  return [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
}

export function profileSection(loaded: Loaded<ProfileDocument>, options: ModelOptions): Section {
  const doc = loaded.document;
  const summary = doc.summary;
  const runsText = `${plural(summary.runs, 'measured run')}${summary.warmup ? ` (+${summary.warmup} warm-up)` : ''}`;
  const blocks: Block[] = [
    text(`${doc.command.join(' ')} (${doc.runner}) in ${doc.cwd} · ${runsText} · status ${doc.status}`, doc.status === 'passed' ? undefined : 'bad'),
  ];
  const env = environmentLine(doc);
  if (env) blocks.push(text(env, 'dim'));

  const counts = summary.counts;
  const overview: Cell[][] = [
    ['wall time', formatMs(summary.wallMs.median), formatSpread(summary.wallMs), formatMs(summary.wallMs.mad)],
  ];
  if (summary.cpuMs) overview.push(['CPU (process tree)', formatMs(summary.cpuMs.median), formatSpread(summary.cpuMs), formatMs(summary.cpuMs.mad)]);
  if (summary.collectionMs) overview.push(['start-up + collection', formatMs(summary.collectionMs.median), formatSpread(summary.collectionMs), formatMs(summary.collectionMs.mad)]);
  if (summary.testsMs) overview.push(['sum of test durations', formatMs(summary.testsMs.median), formatSpread(summary.testsMs), formatMs(summary.testsMs.mad)]);
  blocks.push(
    table({
      columns: [{ header: `over ${plural(summary.runs, 'run')}`, flexible: true }, { header: 'median', align: 'right' }, { header: 'min–max', align: 'right', optional: true }, { header: 'MAD', align: 'right', optional: true }],
      rows: overview,
    }),
  );
  const facts = [
    `${counts.total} tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.error} errors`,
    `${summary.flaky} flaky`,
  ];
  if (summary.workers) facts.push(plural(summary.workers, 'worker'));
  if (summary.parallelEfficiency !== undefined && summary.parallelEfficiency !== null) facts.push(`parallel efficiency ${formatShare(summary.parallelEfficiency)}`);
  blocks.push(text(facts.join(' · '), counts.failed + counts.error > 0 ? 'bad' : undefined));

  const testsTotal = doc.tests.reduce((sum, t) => sum + t.durationMs.median, 0);
  const slowest = [...doc.tests].sort((a, b) => b.durationMs.median - a.durationMs.median || testLabel(a).localeCompare(testLabel(b)));
  const shown = slowest.slice(0, options.top);
  const hasPhases = shown.some((t) => t.setupMs || t.callMs || t.teardownMs);
  const columns: Column[] = [
    { header: '#', align: 'right' },
    { header: 'test', flexible: true },
    { header: 'median', align: 'right' },
    { header: 'min–max', align: 'right', optional: true },
    { header: 'share', align: 'right', optional: true },
  ];
  if (hasPhases) columns.push({ header: 'setup', align: 'right', optional: true }, { header: 'call', align: 'right', optional: true }, { header: 'teardown', align: 'right', optional: true });
  columns.push({ header: 'outcome', flexible: true });
  const rows = shown.map((t, i): Cell[] => {
    const row: Cell[] = [String(i + 1), testLabel(t), formatMs(t.durationMs.median), formatSpread(t.durationMs), formatShare(testsTotal ? t.durationMs.median / testsTotal : null)];
    if (hasPhases) row.push(formatMs(t.setupMs?.median), formatMs(t.callMs?.median), formatMs(t.teardownMs?.median));
    const outcome = t.flaky ? `flaky: ${outcomeCounts(t.outcomes ?? [t.outcome])}` : t.outcome;
    row.push(t.flaky || t.outcome === 'failed' || t.outcome === 'error' ? { text: outcome, tone: 'bad' } : outcome);
    return row;
  });
  blocks.push(table({ caption: `Slowest tests (median over ${plural(summary.runs, 'run')})`, columns, rows, footnote: more(shown.length, slowest.length, 'tests') }));

  const lastRun = doc.runs.filter((r) => !r.warmup).at(-1);
  if (lastRun?.workers && lastRun.workers.length > 1) {
    blocks.push(
      table({
        caption: `Workers (run ${lastRun.index})`,
        columns: [{ header: 'worker', flexible: true }, { header: 'tests', align: 'right' }, { header: 'busy', align: 'right' }, { header: 'utilisation', align: 'right' }],
        rows: lastRun.workers.map((w) => [w.id, String(w.tests), formatMs(w.busyMs), formatShare(w.utilisation)]),
      }),
    );
  }
  const failures = lastRun?.tests.filter((t) => (t.outcome === 'failed' || t.outcome === 'error') && t.message) ?? [];
  for (const t of failures.slice(0, options.top)) blocks.push(text(`${t.outcome}: ${testLabel(t)}: ${t.message}`, 'bad'));
  if (doc.shards?.length) {
    blocks.push(
      table({
        caption: 'Shards',
        columns: [{ header: 'shard', flexible: true }, { header: 'tests', align: 'right' }, { header: 'wall (median)', align: 'right' }],
        rows: doc.shards.map((s) => [s.source, String(s.tests), formatMs(s.wallMs)]),
        footnote: `critical path ${formatMs(Math.max(...doc.shards.map((s) => s.wallMs)))}; summed wall ${formatMs(doc.shards.reduce((sum, s) => sum + s.wallMs, 0))}`,
      }),
    );
  }
  if (doc.cpuProfile?.functions.length) {
    const hot = [...doc.cpuProfile.functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, options.top);
    blocks.push(
      table({
        caption: `Hot functions (${doc.cpuProfile.profiler})`,
        columns: [{ header: 'function', flexible: true }, { header: 'self', align: 'right' }, { header: 'cumulative', align: 'right' }, { header: 'calls', align: 'right' }],
        rows: hot.map((f) => [`${f.name} (${f.file}:${f.line})`, formatMs(f.selfMs), formatMs(f.cumulativeMs), f.calls === undefined ? '–' : String(f.calls)]),
      }),
    );
  }
  blocks.push(...warningsBlocks(doc));
  return { title: `Profile · ${loaded.source}`, kind: 'profile', blocks };
}

export function memorySection(loaded: Loaded<MemoryDocument>, options: ModelOptions): Section {
  const doc = loaded.document;
  const blocks: Block[] = [text(`${doc.command.join(' ')} (${doc.runner}) · ${formatMs(doc.wallMs)} · status ${doc.status} · ${doc.timeline.samplesTaken} samples every ${formatMs(doc.intervalMs)}`, doc.status === 'passed' ? undefined : 'bad')];
  const env = environmentLine(doc);
  if (env) blocks.push(text(env, 'dim'));
  blocks.push(
    table({
      columns: [{ header: 'memory' }, { header: 'value', align: 'right' }],
      rows: [
        ['peak RSS of the tree (sampled)', formatBytes(doc.peak.sampledRssBytes)],
        ['largest process high-water mark', formatBytes(doc.peak.largestProcessHwmBytes)],
        ['children max RSS (kernel)', formatBytes(doc.peak.childrenMaxRssBytes)],
        ['average RSS', formatBytes(doc.peak.averageRssBytes)],
      ],
    }),
  );
  const leak = doc.leak;
  blocks.push(text(`leak verdict: ${leak.verdict} — ${leak.basis}`, leak.verdict === 'suspected-leak' ? 'bad' : undefined));
  if (doc.limit) {
    blocks.push(
      text(
        `limit ${formatBytes(doc.limit.maxRssBytes)}: ${doc.limit.exceeded ? `exceeded${doc.limit.rssBytes ? ` at ${formatBytes(doc.limit.rssBytes)}` : ''}${doc.limit.testInFlight ? ` during ${doc.limit.testInFlight}` : ''}` : 'not exceeded'}`,
        doc.limit.exceeded ? 'bad' : undefined,
      ),
    );
  }
  const growing = [...doc.tests].sort((a, b) => b.growthBytes - a.growthBytes || testLabel(a).localeCompare(testLabel(b)));
  const shown = growing.slice(0, options.top);
  blocks.push(
    table({
      caption: 'Tests by RSS growth',
      columns: [{ header: 'test', flexible: true }, { header: 'growth', align: 'right' }, { header: 'peak RSS', align: 'right' }, { header: 'duration', align: 'right' }],
      rows: shown.map((t) => [testLabel(t), formatBytes(t.growthBytes), formatBytes(t.peakRssBytes), formatMs(t.endMs - t.startMs)]),
      footnote: more(shown.length, growing.length, 'tests'),
    }),
  );
  const processes = [...doc.processes].sort((a, b) => b.peakRssBytes - a.peakRssBytes).slice(0, options.top);
  blocks.push(
    table({
      caption: 'Processes',
      columns: [{ header: 'pid', align: 'right' }, { header: 'command', flexible: true }, { header: 'peak RSS', align: 'right' }, { header: 'high-water mark', align: 'right' }],
      rows: processes.map((p) => [String(p.pid), p.command, formatBytes(p.peakRssBytes), formatBytes(p.hwmBytes)]),
      footnote: more(processes.length, doc.processes.length, 'processes'),
    }),
  );
  blocks.push(...warningsBlocks(doc));
  return { title: `Memory · ${loaded.source}`, kind: 'memory', blocks };
}

function savingsText(savings: { ms: number | null; basis: string }): string {
  return savings.ms === null ? 'no figure' : `${formatMs(savings.ms)} (${savings.basis})`;
}

export function optimizationSection(loaded: Loaded<OptimizationDocument>, options: ModelOptions): Section {
  const doc = loaded.document;
  const blocks: Block[] = [
    text(
      `${plural(doc.summary.findings, 'finding')} in ${plural(doc.files.analysed, 'analysed file')}${doc.inputs.profile ? ` · measured with ${doc.inputs.profile.source} (${plural(doc.inputs.profile.runs, 'run')})` : ' · no profile: savings are static estimates'}`,
    ),
  ];
  if (doc.summary.totalSavingsMs !== undefined) blocks.push(text(`findings would save ${formatMs(doc.summary.totalSavingsMs)} per run (each test counted once)`));
  const findings = [...doc.findings].sort((a, b) => (b.savings.ms ?? -1) - (a.savings.ms ?? -1) || a.file.localeCompare(b.file) || a.line - b.line);
  const shown = findings.slice(0, options.top);
  blocks.push(
    table({
      caption: 'Findings',
      columns: [{ header: 'rule' }, { header: 'where', flexible: true }, { header: 'saves', align: 'right' }, { header: 'what and fix', flexible: true }],
      rows: shown.map((f) => [
        f.severity === 'high' ? { text: f.rule, tone: 'bad' } : f.rule,
        `${f.file}:${f.line}${f.test ? ` (${f.test.name})` : ''}`,
        savingsText(f.savings),
        `${f.message}; fix: ${f.fix}`,
      ]),
      footnote: more(shown.length, findings.length, 'findings'),
    }),
  );
  for (const failed of doc.files.failed) blocks.push(text(`did not parse: ${failed.file}${failed.line ? `:${failed.line}` : ''}: ${failed.error}`, 'warn'));
  if (doc.parallel) {
    const p = doc.parallel;
    blocks.push(
      table({
        caption: `Predicted wall time per worker count (${p.policy})`,
        columns: [{ header: 'workers', align: 'right' }, { header: 'predicted wall', align: 'right' }, { header: 'speed-up', align: 'right' }],
        rows: p.predictions.map((row) => {
          const cells: Cell[] = [String(row.workers), formatMs(row.predictedWallMs), row.speedup === undefined ? '–' : `${row.speedup.toFixed(2)}×`];
          return row.workers === p.recommended.workers ? cells.map((c) => ({ text: typeof c === 'string' ? c : c.text, tone: 'good' as const })) : cells;
        }),
        footnote: `basis: ${p.basis}`,
      }),
    );
    blocks.push(text(`recommended: ${p.recommended.command}${p.recommended.reason ? ` (${p.recommended.reason})` : ''}`, 'good'));
  }
  if (doc.shards) {
    blocks.push(
      table({
        caption: `Shards (${doc.shards.count}, by ${doc.shards.unit}; imbalance ${doc.shards.imbalance.toFixed(2)})`,
        columns: [{ header: 'shard', align: 'right' }, { header: 'items', align: 'right' }, { header: 'predicted', align: 'right' }],
        rows: doc.shards.groups.map((g) => [String(g.index), String(g.items.length), formatMs(g.predictedMs)]),
        footnote: `basis: ${doc.shards.basis}`,
      }),
    );
  }
  blocks.push(...warningsBlocks(doc));
  return { title: `Optimization · ${loaded.source}`, kind: 'optimization', blocks };
}

export function selectionSection(loaded: Loaded<SelectionDocument>, options: ModelOptions): Section {
  const doc = loaded.document;
  const base = doc.base ? `${doc.base.ref} (${(doc.base.mergeBase ?? doc.base.commit ?? '?').slice(0, 10)})` : 'given files';
  const blocks: Block[] = [
    text(`${plural(doc.counts.selected, 'test file')} of ${doc.counts.tests} selected for ${plural(doc.counts.changed, 'changed file')} since ${base}`),
  ];
  if (doc.runAll) blocks.push(text(`everything runs: ${doc.runAll.reason} (${doc.runAll.files.join(', ')})`, 'warn'));
  const shown = doc.selected.slice(0, options.top);
  blocks.push(
    table({
      caption: 'Selected tests',
      columns: [{ header: 'test file', flexible: true }, { header: 'distance', align: 'right' }, { header: 'because', flexible: true }],
      rows: shown.map((s) => [s.file, s.distance === undefined ? '–' : String(s.distance), s.reasons.map((r) => r.chain.join(' → ')).join('; ')]),
      footnote: more(shown.length, doc.selected.length, 'test files'),
    }),
  );
  const changed = doc.changed.slice(0, options.top);
  blocks.push(
    table({
      caption: 'Changed files',
      columns: [{ header: 'file', flexible: true }, { header: 'status' }],
      rows: changed.map((c) => [c.oldPath ? `${c.oldPath} → ${c.path}` : c.path, c.status]),
      footnote: more(changed.length, doc.changed.length, 'files'),
    }),
  );
  for (const u of doc.unresolved.slice(0, options.top)) blocks.push(text(`unresolved: ${u.file}${u.line ? `:${u.line}` : ''} imports "${u.specifier}"${u.why ? ` (${u.why})` : ''}`, 'warn'));
  for (const s of (doc.skipped ?? []).slice(0, options.top)) blocks.push(text(`left out: ${s.file} (${s.why})`, 'warn'));
  blocks.push(...warningsBlocks(doc));
  return { title: `Selection · ${loaded.source}`, kind: 'selection', blocks };
}

/** The one-paragraph verdict of a comparison: what regressed, by how much, with what confidence. */
export function verdictLines(doc: ComparisonDocument): { text: string; tone: Tone }[] {
  const basis =
    doc.method === 'mann-whitney'
      ? `Mann-Whitney U on ${doc.baseline.runs} vs ${doc.current.runs} runs, α = ${doc.thresholds.alpha}`
      : `threshold-only: ${doc.baseline.runs} vs ${doc.current.runs} runs are too few for a significance test`;
  const rule = `a change counts when ≥ ${Math.round(doc.thresholds.relative * 100)}% and ≥ ${formatMs(doc.thresholds.absoluteMs)} per test (≥ ${Math.round(doc.thresholds.totalRelative * 100)}% of the total)`;
  const tone: Tone = doc.verdict === 'regression' ? 'bad' : doc.verdict === 'improvement' ? 'good' : 'dim';
  const lines = [{ text: `verdict: ${doc.verdict} (${basis}; ${rule})`, tone }];
  const describe = (label: string, d: { baselineMs: number | null; currentMs: number | null; ratio: number | null; deltaMs: number | null; pValue: number | null }) =>
    `${label}: ${formatMs(d.baselineMs)} → ${formatMs(d.currentMs)} (${formatRatio(d.ratio)}, ${formatDeltaMs(d.deltaMs)}${d.pValue !== null ? `, ${formatP(d.pValue)}` : ''})`;
  if (doc.total.regressed) lines.push({ text: `regressed ${describe('total wall time', doc.total)}`, tone: 'bad' });
  for (const test of doc.tests.filter((t) => t.regressed)) lines.push({ text: `regressed ${describe(testLabel(test), test)}`, tone: 'bad' });
  return lines;
}

function statusCell(test: TestDelta): Cell {
  const label = test.newlyFlaky ? `${test.status}, newly flaky` : test.status;
  if (test.status === 'regressed' || test.newlyFlaky) return { text: label, tone: 'bad' };
  if (test.status === 'improved') return { text: label, tone: 'good' };
  if (test.status === 'unchanged') return { text: label, tone: 'dim' };
  return label;
}

export function comparisonSection(loaded: Loaded<ComparisonDocument>, options: ModelOptions): Section {
  const doc = loaded.document;
  const blocks: Block[] = verdictLines(doc).map((line) => text(line.text, line.tone));
  blocks.push(text(`baseline ${doc.baseline.source} (${plural(doc.baseline.runs, 'run')}) · current ${doc.current.source} (${plural(doc.current.runs, 'run')})`, 'dim'));
  const deltaRow = (label: Cell, d: TestDelta | ComparisonDocument['total'], status: Cell): Cell[] => [
    label,
    formatMs(d.baselineMs),
    formatMs(d.currentMs),
    formatRatio(d.ratio),
    formatDeltaMs(d.deltaMs),
    formatP(d.pValue).replace(/^p = /, ''),
    status,
  ];
  const columns: Column[] = [
    { header: 'test', flexible: true },
    { header: 'baseline', align: 'right' },
    { header: 'current', align: 'right' },
    { header: 'change', align: 'right' },
    { header: 'Δ', align: 'right', optional: true },
    { header: 'p', align: 'right' },
    { header: 'status', flexible: true },
  ];
  const notable = doc.tests.filter((t) => t.status !== 'unchanged' || t.newlyFlaky);
  const shown = notable.slice(0, options.top);
  const unchanged = doc.tests.length - notable.length;
  const totalStatus: Cell = doc.total.regressed ? { text: 'regressed', tone: 'bad' } : 'total';
  blocks.push(
    table({
      caption: `Changes (medians; ${plural(doc.tests.length, 'test')} compared)`,
      columns,
      rows: [deltaRow('total wall time', doc.total, totalStatus), ...shown.map((t) => deltaRow(testLabel(t), t, statusCell(t)))],
      footnote: [more(shown.length, notable.length, 'changed tests'), unchanged ? `${plural(unchanged, 'unchanged test')} not listed` : undefined].filter(Boolean).join('; ') || undefined,
    }),
  );
  blocks.push(...warningsBlocks(doc));
  return { title: `Comparison · ${loaded.source}`, kind: 'comparison', blocks };
}

/** The trend of the history: wall time of recent runs as a sparkline and a short table. */
export function trendSection(records: readonly HistoryRecord[], file: string, options: ModelOptions): Section {
  const recent = records.slice(-Math.max(options.top, 2) * 3);
  const walls = recent.map((r) => r.wallMs);
  const blocks: Block[] = [
    text(`${plural(records.length, 'run')} recorded in ${file}; wall time of the last ${recent.length}: ${sparkline(walls)} (median ${formatMs(walls.length ? median(walls) : null)}, min ${formatMs(Math.min(...walls))}, max ${formatMs(Math.max(...walls))})`),
  ];
  const last = recent.slice(-options.top).reverse();
  blocks.push(
    table({
      caption: 'Recent runs',
      columns: [{ header: 'recorded' }, { header: 'commit' }, { header: 'runs', align: 'right' }, { header: 'wall (median)', align: 'right' }, { header: 'tests', align: 'right' }, { header: 'status' }],
      rows: last.map((r) => [r.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), r.commit ? r.commit.slice(0, 10) : '–', String(r.runs), formatMs(r.wallMs), String(r.tests.length), r.status]),
    }),
  );
  return { title: `Trend · ${file}`, kind: 'trend', blocks };
}

/** The sections of any document. */
export function documentSection(loaded: Loaded, options: ModelOptions): Section {
  const doc = loaded.document;
  switch (doc.kind) {
    case 'profile':
      return profileSection({ source: loaded.source, document: doc }, options);
    case 'memory':
      return memorySection({ source: loaded.source, document: doc }, options);
    case 'optimization':
      return optimizationSection({ source: loaded.source, document: doc }, options);
    case 'selection':
      return selectionSection({ source: loaded.source, document: doc }, options);
    case 'comparison':
      return comparisonSection({ source: loaded.source, document: doc }, options);
  }
}

// What a report says, independent of how it is drawn: sections of text and tables built from
// documents. The terminal, Markdown and HTML renderers all draw this same model.
import type { ProfileDocument, Run, TestSummary } from '../../lib/profile-document.ts';
import { type BenchmarkDocument, benchmarkLabel } from './benchmark-document.ts';
import { formatBytes, formatMs, formatShare, formatSpread, testLabel } from '../../lib/format.ts';
import type { Loaded, MemoryDocument, OptimizationDocument, ReportDocument, SelectionDocument } from './types.ts';

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
  /** Every row; `shown` of them are shown at first (the HTML page folds the rest, the terminal and Markdown leave them out). */
  rows: Cell[][];
  shown?: number;
  /** What the rows are, for "12 more tests": tests, files, findings... */
  what?: string;
  /** Said under the table. */
  footnote?: string;
}

export type Block = { kind: 'text'; text: string; tone?: Tone } | { kind: 'table'; table: Table };

export interface Section {
  title: string;
  /** What this section draws, for the HTML report's charts. */
  kind: ReportDocument['kind'] | 'trend' | 'budgets';
  blocks: Block[];
  /** The document it draws (a comparison for a comparison section). */
  document?: ReportDocument;
}

export interface ModelOptions {
  /** How many rows long lists show. */
  top: number;
}

/** Rows past this are left out even of the HTML page, with a note: a page of 100,000 rows helps nobody. */
export const MAX_ROWS = 1000;

export const text = (value: string, tone?: Tone): Block => ({ kind: 'text', text: value, ...(tone ? { tone } : {}) });
export const table = (value: Table): Block => {
  if (value.rows.length <= MAX_ROWS) return { kind: 'table', table: value };
  const note = `${value.rows.length - MAX_ROWS} more ${value.what ?? 'rows'} left out of the report`;
  return { kind: 'table', table: { ...value, rows: value.rows.slice(0, MAX_ROWS), footnote: [value.footnote, note].filter(Boolean).join('; ') } };
};
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The rows a terminal or Markdown shows, and the footnote saying what was left out. */
export function folded(model: Table): { rows: Cell[][]; footnote: string | undefined } {
  const shown = Math.min(model.shown ?? model.rows.length, model.rows.length);
  const hidden = model.rows.length - shown;
  const note = hidden > 0 ? `${hidden} more ${model.what ?? 'rows'} not shown (--top ${model.rows.length} shows them)` : undefined;
  return { rows: model.rows.slice(0, shown), footnote: [model.footnote, note].filter(Boolean).join('; ') || undefined };
}

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

/** The measured run of median wall time (the lower of the two middle ones): a typical run, not the last. */
export function medianRun(doc: ProfileDocument): Run | undefined {
  const runs = doc.runs.filter((r) => !r.warmup && r.tests.length);
  if (runs.length === 0) return undefined;
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs || a.index - b.index);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The files of a profile, slowest first, with their tests' summed medians: where the time goes, file by file. */
export function fileTotals(doc: ProfileDocument): { file: string; tests: number; ms: number; slowest: TestSummary }[] {
  const files = new Map<string, { file: string; tests: number; ms: number; slowest: TestSummary }>();
  for (const t of doc.tests) {
    const entry = files.get(t.file) ?? { file: t.file, tests: 0, ms: 0, slowest: t };
    entry.tests++;
    entry.ms += t.durationMs.median;
    if (t.durationMs.median > entry.slowest.durationMs.median) entry.slowest = t;
    files.set(t.file, entry);
  }
  return [...files.values()].sort((a, b) => b.ms - a.ms || a.file.localeCompare(b.file));
}

function fileRollUp(doc: ProfileDocument, testsTotal: number, options: ModelOptions): Block {
  const files = fileTotals(doc);
  return table({
    caption: `Files (sum of their tests' medians)`,
    columns: [{ header: 'file', flexible: true }, { header: 'tests', align: 'right' }, { header: 'time', align: 'right' }, { header: 'share', align: 'right', optional: true }, { header: 'slowest test', flexible: true, optional: true }],
    rows: files.map((f) => [f.file, String(f.tests), formatMs(f.ms), formatShare(testsTotal ? f.ms / testsTotal : null), `${f.slowest.name} (${formatMs(f.slowest.durationMs.median)})`]),
    shown: options.top,
    what: 'files',
  });
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
      // One run has no spread to show.
      columns: [{ header: `over ${plural(summary.runs, 'run')}`, flexible: true }, { header: summary.runs > 1 ? 'median' : 'measured', align: 'right' }, ...(summary.runs > 1 ? [{ header: 'min–max', align: 'right', optional: true } as const, { header: 'MAD', align: 'right', optional: true } as const] : [])],
      rows: summary.runs > 1 ? overview : overview.map((row) => row.slice(0, 2)),
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
  const hasPhases = slowest.slice(0, options.top).some((t) => t.setupMs || t.callMs || t.teardownMs);
  const spread = summary.runs > 1;
  const hasTeardown = hasPhases && slowest.slice(0, options.top).some((t) => (t.teardownMs?.median ?? 0) >= 0.05);
  // Optional columns are left out from the right when the terminal is narrow: setup and call (a
  // fixture's cost) outlast the share and min–max; one run has no min–max.
  const columns: Column[] = [{ header: '#', align: 'right' }, { header: 'test', flexible: true }, { header: spread ? 'median' : 'duration', align: 'right' }];
  if (hasPhases) columns.push({ header: 'setup', align: 'right', optional: true }, { header: 'call', align: 'right', optional: true });
  if (hasTeardown) columns.push({ header: 'teardown', align: 'right', optional: true });
  columns.push({ header: 'outcome' }, { header: 'share', align: 'right', optional: true });
  if (spread) columns.push({ header: 'min–max', align: 'right', optional: true });
  const rows = slowest.map((t, i): Cell[] => {
    const row: Cell[] = [String(i + 1), testLabel(t), formatMs(t.durationMs.median)];
    if (hasPhases) row.push(formatMs(t.setupMs?.median), formatMs(t.callMs?.median));
    if (hasTeardown) row.push(formatMs(t.teardownMs?.median));
    const outcome = t.flaky ? `flaky: ${outcomeCounts(t.outcomes ?? [t.outcome])}` : t.outcome;
    row.push(t.flaky || t.outcome === 'failed' || t.outcome === 'error' ? { text: outcome, tone: 'bad' } : outcome);
    row.push(formatShare(testsTotal ? t.durationMs.median / testsTotal : null));
    if (spread) row.push(formatSpread(t.durationMs));
    return row;
  });
  blocks.push(table({ caption: spread ? `Slowest tests (median over ${plural(summary.runs, 'run')})` : 'Slowest tests (1 run)', columns, rows, shown: options.top, what: 'tests' }));
  blocks.push(fileRollUp(doc, testsTotal, options));

  const typical = medianRun(doc);
  const lastRun = doc.runs.filter((r) => !r.warmup).at(-1);
  if (typical?.workers && typical.workers.length > 1) {
    blocks.push(
      table({
        caption: `Workers (run ${typical.index}, the run of median wall time)`,
        columns: [{ header: 'worker', flexible: true }, { header: 'tests', align: 'right' }, { header: 'busy', align: 'right' }, { header: 'utilisation', align: 'right' }],
        rows: typical.workers.map((w) => [w.id, String(w.tests), formatMs(w.busyMs), formatShare(w.utilisation)]),
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
    const hot = [...doc.cpuProfile.functions].sort((a, b) => b.selfMs - a.selfMs);
    blocks.push(
      table({
        caption: `Hot functions (${doc.cpuProfile.profiler})`,
        columns: [{ header: 'function', flexible: true }, { header: 'self', align: 'right' }, { header: 'cumulative', align: 'right' }, { header: 'calls', align: 'right' }],
        rows: hot.map((f) => [`${f.name} (${f.file}:${f.line})`, formatMs(f.selfMs), formatMs(f.cumulativeMs), f.calls === undefined ? '–' : String(f.calls)]),
        shown: options.top,
        what: 'functions',
      }),
    );
  }
  blocks.push(...warningsBlocks(doc));
  return { title: `Profile · ${loaded.source}`, kind: 'profile', blocks, document: doc };
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
  blocks.push(
    table({
      caption: 'Tests by RSS growth',
      columns: [{ header: 'test', flexible: true }, { header: 'growth', align: 'right' }, { header: 'peak RSS', align: 'right' }, { header: 'duration', align: 'right' }],
      rows: growing.map((t) => [testLabel(t), formatBytes(t.growthBytes), formatBytes(t.peakRssBytes), formatMs(t.endMs - t.startMs)]),
      shown: options.top,
      what: 'tests',
    }),
  );
  // Workers of one pool share a command line: one row per command, with how many processes ran it.
  const byCommand = new Map<string, { pids: number[]; peak: number; hwm: number | null }>();
  for (const p of doc.processes) {
    const entry = byCommand.get(p.command) ?? { pids: [], peak: 0, hwm: null };
    entry.pids.push(p.pid);
    entry.peak = Math.max(entry.peak, p.peakRssBytes);
    if (p.hwmBytes !== undefined && p.hwmBytes !== null) entry.hwm = Math.max(entry.hwm ?? 0, p.hwmBytes);
    byCommand.set(p.command, entry);
  }
  const processes = [...byCommand].sort((a, b) => b[1].peak - a[1].peak || a[0].localeCompare(b[0]));
  blocks.push(
    table({
      caption: 'Processes (one row per command line)',
      columns: [{ header: 'processes', align: 'right' }, { header: 'command', flexible: true }, { header: 'peak RSS (largest)', align: 'right' }, { header: 'high-water mark', align: 'right' }],
      rows: processes.map(([command, p]) => [p.pids.length === 1 ? `pid ${p.pids[0]}` : `${p.pids.length} (pids ${p.pids.slice(0, 3).join(', ')}${p.pids.length > 3 ? ', …' : ''})`, command, formatBytes(p.peak), formatBytes(p.hwm)]),
      shown: options.top,
      what: 'commands',
    }),
  );
  blocks.push(...warningsBlocks(doc));
  return { title: `Memory · ${loaded.source}`, kind: 'memory', blocks, document: doc };
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
  blocks.push(
    table({
      caption: 'Findings',
      columns: [{ header: 'rule' }, { header: 'where', flexible: true }, { header: 'saves', align: 'right' }, { header: 'what and fix', flexible: true }],
      rows: findings.map((f) => [
        f.severity === 'high' ? { text: f.rule, tone: 'bad' } : f.rule,
        `${f.file}:${f.line}${f.test ? ` (${f.test.name})` : ''}`,
        savingsText(f.savings),
        `${f.message}; fix: ${f.fix}`,
      ]),
      shown: options.top,
      what: 'findings',
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
  return { title: `Optimization · ${loaded.source}`, kind: 'optimization', blocks, document: doc };
}

export function selectionSection(loaded: Loaded<SelectionDocument>, options: ModelOptions): Section {
  const doc = loaded.document;
  const base = doc.base ? `${doc.base.ref} (${(doc.base.mergeBase ?? doc.base.commit ?? '?').slice(0, 10)})` : 'given files';
  const blocks: Block[] = [
    text(`${plural(doc.counts.selected, 'test file')} of ${doc.counts.tests} selected for ${plural(doc.counts.changed, 'changed file')} since ${base}`),
  ];
  if (doc.runAll) blocks.push(text(`everything runs: ${doc.runAll.reason} (${doc.runAll.files.join(', ')})`, 'warn'));
  blocks.push(
    table({
      caption: 'Selected tests',
      columns: [{ header: 'test file', flexible: true }, { header: 'distance', align: 'right' }, { header: 'because', flexible: true }],
      rows: doc.selected.map((s) => [s.file, s.distance === undefined ? '–' : String(s.distance), s.reasons.map((r) => r.chain.join(' → ')).join('; ')]),
      shown: options.top,
      what: 'test files',
    }),
  );
  blocks.push(
    table({
      caption: 'Changed files',
      columns: [{ header: 'file', flexible: true }, { header: 'status' }],
      rows: doc.changed.map((c) => [c.oldPath ? `${c.oldPath} → ${c.path}` : c.path, c.status]),
      shown: options.top,
      what: 'files',
    }),
  );
  for (const u of doc.unresolved.slice(0, options.top)) blocks.push(text(`unresolved: ${u.file}${u.line ? `:${u.line}` : ''} imports "${u.specifier}"${u.why ? ` (${u.why})` : ''}`, 'warn'));
  for (const s of (doc.skipped ?? []).slice(0, options.top)) blocks.push(text(`left out: ${s.file} (${s.why})`, 'warn'));
  blocks.push(...warningsBlocks(doc));
  return { title: `Selection · ${loaded.source}`, kind: 'selection', blocks, document: doc };
}

/** A benchmark document: each benchmark's median, spread and range, and whether its samples were kept. */
export function benchmarkSection(loaded: Loaded<BenchmarkDocument>, options: ModelOptions): Section {
  const doc = loaded.document;
  const sources = doc.sources.map((s) => `${s.file} (${s.harness}${s.version ? ` ${s.version}` : ''})`).join(', ');
  const blocks: Block[] = [text(`${plural(doc.benchmarks.length, 'benchmark')} from ${sources}`)];
  const env = environmentLine(doc);
  if (env) blocks.push(text(env, 'dim'));
  const benches = [...doc.benchmarks].sort((a, b) => b.stats.median - a.stats.median || benchmarkLabel(a).localeCompare(benchmarkLabel(b)));
  const quartiles = (b: (typeof benches)[number]) => (b.stats.q1 !== null && b.stats.q1 !== undefined && b.stats.q3 !== null && b.stats.q3 !== undefined ? `${formatMs(b.stats.q1)}–${formatMs(b.stats.q3)}` : '–');
  blocks.push(
    table({
      caption: 'Benchmarks (per iteration)',
      columns: [
        { header: 'benchmark', flexible: true },
        { header: 'median', align: 'right' },
        { header: 'q1–q3', align: 'right', optional: true },
        { header: 'min–max', align: 'right', optional: true },
        { header: 'samples', align: 'right' },
      ],
      rows: benches.map((b) => [
        benchmarkLabel(b),
        formatMs(b.stats.median),
        quartiles(b),
        `${formatMs(b.stats.min)}–${formatMs(b.stats.max)}`,
        b.samplesMs?.length ? String(b.stats.rounds) : { text: `${b.stats.rounds} (summary only)`, tone: 'dim' },
      ]),
      shown: options.top,
      what: 'benchmarks',
    }),
  );
  blocks.push(...warningsBlocks(doc));
  return { title: `Benchmarks · ${loaded.source}`, kind: 'benchmark', blocks, document: doc };
}

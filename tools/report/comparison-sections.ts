// What a report says about verdicts: comparisons, budgets, trends, the headline and the next steps.
// Built on the same sections (sections.ts) every renderer draws.
import { median } from '../../lib/stats.ts';
import { formatDeltaMs, formatMs, formatP, formatRatio, sparkline, testLabel } from '../../lib/format.ts';
import { type HistoryRecord, isBenchmarkRecord, isProfileRecord } from './history.ts';
import {
  type Block,
  type Cell,
  type Column,
  type ModelOptions,
  type Section,
  type Table,
  type Tone,
  benchmarkSection,
  memorySection,
  optimizationSection,
  plural,
  profileSection,
  selectionSection,
  table,
  text,
} from './sections.ts';
import type { TrendSeries } from './trend.ts';
import type { BudgetResult, ComparisonDocument, Delta, Loaded, PhaseDelta, TestDelta, TotalDelta } from './types.ts';

export interface Line {
  text: string;
  tone: Tone;
}

/** How an item of a comparison is named: a test's file::name, a benchmark's file::name or command. */
export const itemLabel = (item: { file: string; name: string }): string => (item.file ? testLabel(item) : item.name);

const subjectOf = (doc: ComparisonDocument) => doc.subject ?? 'tests';
const noun = (doc: ComparisonDocument) => (subjectOf(doc) === 'benchmarks' ? 'benchmark' : 'test');

/** The p-value shown: corrected where the item was in the family. */
const shownP = (d: Delta) => d.pAdjusted ?? d.pValue;

function basisText(doc: ComparisonDocument): string {
  const family = doc.correction?.family ? `, Holm-corrected over ${plural(doc.correction.family, 'comparison')}` : '';
  const alpha = `α = ${doc.thresholds.alpha}`;
  const runs = subjectOf(doc) === 'benchmarks' ? `a median of ${doc.baseline.runs} vs ${doc.current.runs} samples per benchmark` : `${doc.baseline.runs} vs ${doc.current.runs} runs`;
  switch (doc.method) {
    case 'mann-whitney':
      return `Mann-Whitney U on ${runs}${family}, ${alpha}`;
    case 'summary':
      return `Welch's t on summary statistics (no samples kept: a weaker test)${family}, ${alpha}`;
    case 'mixed':
      return `Mann-Whitney U where both sides kept samples, else Welch's t on summary statistics (weaker)${family}, ${alpha}`;
    default:
      return `threshold-only: ${runs} are too few for a significance test`;
  }
}

function ruleText(doc: ComparisonDocument): string {
  const t = doc.thresholds;
  const spread = t.minEffect ? ` and ≥ ${t.minEffect}× its spread` : '';
  if (subjectOf(doc) === 'benchmarks') return `a change counts when ≥ ${Math.round(t.relative * 100)}%${spread}`;
  return `a change counts when ≥ ${Math.round(t.relative * 100)}% and ≥ ${formatMs(t.absoluteMs)} per test (≥ ${Math.round(t.totalRelative * 100)}% of the total)${spread}`;
}

function describe(label: string, d: Delta): string {
  const p = shownP(d);
  return `${label}: ${formatMs(d.baselineMs)} → ${formatMs(d.currentMs)} (${formatRatio(d.ratio)}, ${formatDeltaMs(d.deltaMs)}${p !== null && p !== undefined ? `, ${formatP(p)}` : ''})`;
}

/** Why an item is inconclusive, and what would settle it. */
function inconclusiveText(label: string, d: Delta, runs: 'runs' | 'samples'): string {
  const spread = d.spreadMs !== null && d.spreadMs !== undefined ? `; spread ±${formatMs(d.spreadMs)}` : '';
  const need = d.runsNeeded ? `: about ${d.runsNeeded >= 1000 ? 'more than 1000' : d.runsNeeded} ${runs} per side would tell a change of this size` : '';
  return `inconclusive ${describe(label, d)}${spread}${need}`;
}

/** What a moved phase says: summed over tests, and in how many of them. */
function phaseText(phase: PhaseDelta): string {
  const { slower, faster, of, medianShiftMs } = phase.tests;
  const moved = phase.deltaMs !== null && phase.deltaMs > 0 ? slower : faster;
  const shared = of >= 20 && moved >= 0.8 * of;
  const where = `${moved} of ${of} tests ${phase.deltaMs! > 0 ? 'slower' : 'faster'} in ${phase.phase} (median ${formatDeltaMs(medianShiftMs)} each)`;
  const cause = shared && phase.phase === 'setup' ? ': something they all set up (an autouse or session-wide fixture, a conftest) is the likely cause' : '';
  return `${phase.phase} ${phase.status} ${describe(`summed over tests`, phase).replace(/^summed over tests: /, '')}; ${where}${cause}`;
}

/** The verdict of a comparison in a few lines: what moved, by how much, with what confidence. */
export function verdictLines(doc: ComparisonDocument): Line[] {
  const tone: Tone = doc.verdict === 'regression' ? 'bad' : doc.verdict === 'improvement' ? 'good' : doc.verdict === 'inconclusive' ? 'warn' : 'dim';
  const lines: Line[] = [{ text: `verdict: ${doc.verdict} (${basisText(doc)}; ${ruleText(doc)})`, tone }];
  const runs = subjectOf(doc) === 'benchmarks' ? 'samples' : 'runs';
  const total = doc.total as TotalDelta | undefined;
  if (total?.regressed) lines.push({ text: `regressed ${describe('total wall time', total)}`, tone: 'bad' });
  if (total?.status === 'inconclusive') lines.push({ text: inconclusiveText('total wall time', total, runs), tone: 'warn' });
  for (const test of doc.tests.filter((t) => t.regressed)) lines.push({ text: `regressed ${describe(itemLabel(test), test)}`, tone: 'bad' });
  if (subjectOf(doc) === 'benchmarks') {
    for (const test of doc.tests.filter((t) => t.status === 'inconclusive')) lines.push({ text: inconclusiveText(itemLabel(test), test, runs), tone: 'warn' });
  }
  for (const phase of doc.phases ?? []) {
    if (phase.status === 'regressed' || phase.status === 'improved') lines.push({ text: phaseText(phase), tone: phase.status === 'regressed' ? 'bad' : 'good' });
  }
  return lines;
}

function statusCell(test: TestDelta | (TotalDelta & { status?: string }), newlyFlaky = false): Cell {
  let label: string = test.status ?? 'unchanged';
  if (label === 'inconclusive' && test.runsNeeded) label = `inconclusive (${test.runsNeeded >= 1000 ? '1000+' : test.runsNeeded} per side)`;
  if (newlyFlaky) label = `${label}, newly flaky`;
  if (test.status === 'regressed' || newlyFlaky) return { text: label, tone: 'bad' };
  if (test.status === 'improved') return { text: label, tone: 'good' };
  if (test.status === 'inconclusive') return { text: label, tone: 'warn' };
  if (test.status === 'unchanged') return { text: label, tone: 'dim' };
  return label;
}

const deltaCells = (d: Delta): Cell[] => [
  formatMs(d.baselineMs),
  formatMs(d.currentMs),
  formatRatio(d.ratio),
  formatDeltaMs(d.deltaMs),
  d.spreadMs === null || d.spreadMs === undefined ? '–' : `±${formatMs(d.spreadMs)}`,
  formatP(shownP(d)).replace(/^p = /, ''),
];

export function comparisonSection(loaded: Loaded<ComparisonDocument>, options: ModelOptions): Section {
  const doc = loaded.document;
  const what = noun(doc);
  const blocks: Block[] = verdictLines(doc).map((line) => text(line.text, line.tone));
  const runs = (n: number) => (subjectOf(doc) === 'benchmarks' ? `median ${plural(n, 'sample')} per benchmark` : plural(n, 'run'));
  blocks.push(text(`baseline ${doc.baseline.source} (${runs(doc.baseline.runs)}) · current ${doc.current.source} (${runs(doc.current.runs)})`, 'dim'));
  const columns: Column[] = [
    { header: what, flexible: true },
    { header: 'baseline', align: 'right' },
    { header: 'current', align: 'right' },
    { header: 'change', align: 'right' },
    { header: 'Δ', align: 'right', optional: true },
    { header: 'spread', align: 'right', optional: true },
    { header: 'p', align: 'right' },
    { header: 'status', flexible: true },
  ];
  const notable = doc.tests.filter((t) => t.status !== 'unchanged' || t.newlyFlaky);
  const unchanged = doc.tests.length - notable.length;
  const rows: Cell[][] = [];
  if (doc.total) rows.push(['total wall time', ...deltaCells(doc.total), statusCell(doc.total)]);
  for (const t of notable) rows.push([itemLabel(t), ...deltaCells(t), statusCell(t, t.newlyFlaky)]);
  if (rows.length === 0) blocks.push(text(`no ${what} changed by the size that counts (${plural(doc.tests.length, `${what}`)} compared)`, 'dim'));
  else blocks.push(
    table({
      caption: `Changes (medians; ${plural(doc.tests.length, `${what}`)} compared${doc.correction?.family ? `; p corrected over ${plural(doc.correction.family, 'comparison')}` : ''})`,
      columns,
      rows,
      shown: options.top + (doc.total ? 1 : 0),
      what: `changed ${what}s`,
      footnote: unchanged ? `${plural(unchanged, `unchanged ${what}`)} not listed` : undefined,
    }),
  );
  if (doc.phases?.length) {
    blocks.push(
      table({
        caption: 'Phases, summed over the tests of each run',
        columns: [{ header: 'phase' }, { header: 'baseline', align: 'right' }, { header: 'current', align: 'right' }, { header: 'change', align: 'right' }, { header: 'Δ', align: 'right', optional: true }, { header: 'spread', align: 'right', optional: true }, { header: 'p', align: 'right' }, { header: 'tests slower / faster', align: 'right', optional: true }, { header: 'status', flexible: true }],
        rows: doc.phases.map((p) => [p.phase, ...deltaCells(p), `${p.tests.slower} / ${p.tests.faster} of ${p.tests.of}`, statusCell(p)]),
      }),
    );
  }
  for (const warning of doc.warnings ?? []) blocks.push(text(`warning: ${warning}`, 'warn'));
  return { title: `Comparison · ${loaded.source}`, kind: 'comparison', blocks, document: doc };
}

/** The budgets and how each fared. */
export function budgetSection(results: readonly BudgetResult[]): Section {
  const breached = results.filter((r) => r.status === 'breached');
  const blocks: Block[] = [
    text(breached.length ? `${plural(breached.length, 'budget')} breached of ${results.length}` : `all ${plural(results.length, 'budget')} met${results.some((r) => r.status === 'not-checked') ? ' or not checked' : ''}`, breached.length ? 'bad' : 'good'),
    table({
      columns: [{ header: 'limit' }, { header: 'measured', align: 'right' }, { header: 'basis', flexible: true }, { header: 'set in', optional: true }, { header: 'result' }],
      rows: results.map((r) => [
        r.limit,
        r.measured ?? '–',
        r.basis + (r.over && r.over.length > 1 ? `; ${r.over.length} over the limit` : ''),
        r.line ? `${r.from}:${r.line}` : r.from,
        r.status === 'breached' ? { text: 'breached', tone: 'bad' } : r.status === 'ok' ? { text: 'ok', tone: 'good' } : { text: 'not checked', tone: 'warn' },
      ]),
    }),
  ];
  return { title: 'Budgets', kind: 'budgets', blocks };
}

/** The trend of the history: wall time of recent runs, the detected changes, the benchmarks. */
export function trendSection(records: readonly HistoryRecord[], file: string, series: readonly TrendSeries[], options: ModelOptions): Section {
  const profiles = records.filter(isProfileRecord);
  const benches = records.filter(isBenchmarkRecord);
  const blocks: Block[] = [];
  if (profiles.length) {
    const recent = profiles.slice(-Math.max(options.top, 2) * 3);
    const walls = recent.map((r) => r.wallMs);
    blocks.push(
      text(
        `${plural(profiles.length, 'run')} recorded in ${file}; wall time of the last ${recent.length}: ${sparkline(walls)} (median ${formatMs(median(walls))}, min ${formatMs(Math.min(...walls))}, max ${formatMs(Math.max(...walls))})`,
      ),
    );
    const last = recent.slice(-options.top).reverse();
    blocks.push(
      table({
        caption: 'Recent runs',
        columns: [{ header: 'recorded' }, { header: 'commit' }, { header: 'runs', align: 'right' }, { header: 'wall (median)', align: 'right' }, { header: 'tests', align: 'right' }, { header: 'status' }],
        rows: last.map((r) => [r.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), r.commit ? r.commit.slice(0, 10) : '–', String(r.runs), formatMs(r.wallMs), String(r.tests.length), r.status]),
      }),
    );
  }
  if (benches.length) blocks.push(text(`${plural(benches.length, 'benchmark run')} recorded in ${file}`));
  const changes = series.flatMap((s) => s.points.filter((p) => p.change).map((p) => ({ s, p })));
  if (changes.length) {
    blocks.push(
      table({
        caption: 'Changes detected in the history (each record against the records since the last change)',
        columns: [{ header: 'recorded' }, { header: 'commit' }, { header: 'what', flexible: true }, { header: 'median', align: 'right' }, { header: 'change' }],
        rows: changes.map(({ s, p }) => [
          p.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
          p.commit ? p.commit.slice(0, 10) : '–',
          s.label,
          formatMs(p.ms),
          { text: p.change!, tone: p.change === 'regressed' ? 'bad' : 'good' },
        ]),
        shown: options.top,
        what: 'changes',
      }),
    );
  }
  return { title: `Trend · ${file}`, kind: 'trend', blocks };
}

export interface Overview {
  comparisons: readonly ComparisonDocument[];
  budgets: readonly BudgetResult[];
  documents?: readonly Loaded[];
  history?: boolean;
}

/** One line that says how things stand: the first thing a pull request's reader sees. */
export function headline(overview: Overview): Line {
  const parts: string[] = [];
  let tone: Tone = 'good';
  for (const doc of overview.comparisons) {
    const what = noun(doc);
    const regressed = doc.tests.filter((t) => t.regressed);
    const improved = doc.tests.filter((t) => t.status === 'improved');
    const inconclusive = doc.tests.filter((t) => t.status === 'inconclusive');
    const bits: string[] = [];
    if (doc.total) bits.push(`total ${formatMs(doc.total.baselineMs)} → ${formatMs(doc.total.currentMs)} (${formatRatio(doc.total.ratio)}, ${doc.total.status ?? (doc.total.regressed ? 'regressed' : 'unchanged')})`);
    if (regressed.length) bits.push(`${plural(regressed.length, `${what} slower`, `${what}s slower`)}${regressed.length === 1 ? ` (${itemLabel(regressed[0]!)} ${formatRatio(regressed[0]!.ratio)})` : ''}`);
    if (improved.length) bits.push(`${plural(improved.length, `${what} faster`, `${what}s faster`)}`);
    if (inconclusive.length) bits.push(`${plural(inconclusive.length, `${what} inconclusive`, `${what}s inconclusive`)}`);
    if (!bits.length || (!regressed.length && !improved.length && !inconclusive.length && !doc.total)) bits.push(`no ${what} changed`);
    parts.push(`${doc.verdict}: ${bits.join(', ')}`);
    if (doc.verdict === 'regression') tone = 'bad';
    else if (doc.verdict === 'inconclusive' && tone !== 'bad') tone = 'warn';
  }
  const breached = overview.budgets.filter((b) => b.status === 'breached');
  if (breached.length) {
    parts.push(`${plural(breached.length, 'budget')} breached (${breached.map((b) => `${b.limit}: ${b.measured}`).join('; ')})`);
    tone = 'bad';
  } else if (overview.budgets.length) parts.push(`${plural(overview.budgets.filter((b) => b.status === 'ok').length, 'budget')} met`);
  if (parts.length === 0) {
    const doc = overview.documents?.[0]?.document;
    if (doc?.kind === 'profile') parts.push(`${plural(doc.tests.length, 'test')} in ${formatMs(doc.summary.wallMs.median)} (median of ${plural(doc.summary.runs, 'run')}), no baseline to compare with`);
    else parts.push('no comparison and no budget');
    tone = 'dim';
  }
  return { text: `testpace: ${parts.join(' · ')}`, tone };
}

/** Only what changed, compactly (for a pull request): one row per item that moved, and the breached budgets. */
export function changesTable(overview: Overview): Table | undefined {
  const rows: Cell[][] = [];
  for (const doc of overview.comparisons) {
    const rowOf = (label: string, d: Delta, status: Cell) => [label, `${formatMs(d.baselineMs)} → ${formatMs(d.currentMs)}`, `${formatRatio(d.ratio)}${shownP(d) !== null && shownP(d) !== undefined ? `, ${formatP(shownP(d))}` : ''}`, status];
    if (doc.total && doc.total.status && doc.total.status !== 'unchanged') rows.push(rowOf('total wall time', doc.total, statusCell(doc.total)));
    for (const phase of doc.phases ?? []) if (phase.status === 'regressed' || phase.status === 'improved') rows.push(rowOf(`${phase.phase}, summed over tests`, phase, statusCell(phase)));
    for (const t of doc.tests.filter((x) => x.status !== 'unchanged' || x.newlyFlaky)) {
      if (t.status === 'new' || t.status === 'removed') rows.push([itemLabel(t), t.status === 'new' ? `– → ${formatMs(t.currentMs)}` : `${formatMs(t.baselineMs)} → –`, '', statusCell(t, t.newlyFlaky)]);
      else rows.push(rowOf(itemLabel(t), t, statusCell(t, t.newlyFlaky)));
    }
  }
  for (const b of overview.budgets.filter((x) => x.status === 'breached')) rows.push([`budget ${b.limit}`, b.measured ?? '–', b.basis, { text: 'breached', tone: 'bad' }]);
  if (rows.length === 0) return undefined;
  return { columns: [{ header: 'what', flexible: true }, { header: 'before → after', align: 'right' }, { header: 'change', align: 'right' }, { header: 'verdict' }], rows, shown: 15, what: 'changes' };
}

/** What to do next, most urgent first: for the top of the HTML page. */
export function nextSteps(overview: Overview): Line[] {
  const steps: Line[] = [];
  for (const b of overview.budgets.filter((x) => x.status === 'breached')) {
    steps.push({ text: `Budget breached: ${b.limit} — measured ${b.measured} (${b.basis}). Bring it under the limit, or change the limit in ${b.from}.`, tone: 'bad' });
  }
  for (const doc of overview.comparisons) {
    const what = noun(doc);
    const regressed = doc.tests.filter((t) => t.regressed).sort((a, b) => (b.deltaMs ?? 0) - (a.deltaMs ?? 0));
    if (regressed.length) {
      const first = regressed[0]!;
      steps.push({ text: `${plural(regressed.length, `${what} regressed`, `${what}s regressed`)}: start with ${itemLabel(first)} (${formatDeltaMs(first.deltaMs)}, ${formatRatio(first.ratio)}).`, tone: 'bad' });
    }
    for (const phase of (doc.phases ?? []).filter((p) => p.status === 'regressed')) steps.push({ text: `The ${phaseText(phase)}.`, tone: 'bad' });
    if (doc.total?.regressed && !regressed.length && !(doc.phases ?? []).some((p) => p.status === 'regressed')) {
      steps.push({ text: `The total regressed (${formatRatio(doc.total.ratio)}) with no single ${what} to blame: look at start-up and collection, or many small slowdowns.`, tone: 'bad' });
    }
    if (doc.total?.status === 'inconclusive') {
      const t = doc.total;
      steps.push({
        text: `The total moved ${formatRatio(t.ratio)} (${formatMs(t.baselineMs)} → ${formatMs(t.currentMs)}) but its runs spread by ±${formatMs(t.spreadMs)}: inconclusive. Measure both sides with more runs (testpace-profile --runs ${t.runsNeeded ?? 10}) to tell.`,
        tone: 'warn',
      });
    }
    const unsure = doc.tests.filter((t) => t.status === 'inconclusive');
    if (unsure.length) steps.push({ text: `${plural(unsure.length, `${what} is`, `${what}s are`)} inconclusive (changed by the size that counts, but within ${unsure.length === 1 ? 'its' : 'their'} noise): more ${subjectOf(doc) === 'benchmarks' ? 'samples' : 'runs'} would tell.`, tone: 'warn' });
    const improved = doc.tests.filter((t) => t.status === 'improved').length + (doc.total?.status === 'improved' ? 1 : 0);
    if (improved && !regressed.length) steps.push({ text: `Faster now (${plural(improved, 'improvement')}): record a new baseline so later changes are judged against it.`, tone: 'good' });
    for (const warning of (doc.warnings ?? []).filter((w) => /different machines|unrelated|weaker|moved together/.test(w))) steps.push({ text: `Mind: ${warning}.`, tone: 'warn' });
  }
  for (const loaded of overview.documents ?? []) {
    const doc = loaded.document;
    if (doc.kind === 'profile') {
      const flaky = doc.tests.filter((t) => t.flaky);
      if (flaky.length) steps.push({ text: `${plural(flaky.length, 'flaky test')} (outcome differs between runs): ${flaky.slice(0, 3).map((t) => testLabel(t)).join(', ')}${flaky.length > 3 ? ', …' : ''}. Fix or quarantine ${flaky.length === 1 ? 'it' : 'them'}.`, tone: 'warn' });
      const failed = doc.summary.counts.failed + doc.summary.counts.error;
      if (failed) steps.push({ text: `${plural(failed, 'test')} failed in the last run: timings of failing tests mean little until they pass.`, tone: 'bad' });
      if (!overview.comparisons.length && !overview.history) steps.push({ text: `No baseline: record one (testpace-profile --runs 5 --out base.json -- …) and compare with --baseline base.json to catch regressions.`, tone: 'dim' });
    }
    if (doc.kind === 'optimization') {
      const top = [...doc.findings].sort((a, b) => (b.savings.ms ?? -1) - (a.savings.ms ?? -1))[0];
      if (top) steps.push({ text: `Fix first: ${top.rule} at ${top.file}:${top.line}${top.savings.ms !== null ? `, saves ${formatMs(top.savings.ms)} per run (${top.savings.basis})` : ''} — ${top.fix}.`, tone: 'warn' });
      if (doc.parallel) steps.push({ text: `Run with ${plural(doc.parallel.recommended.workers, 'worker')}: ${doc.parallel.recommended.command}.`, tone: 'good' });
    }
    if (doc.kind === 'memory') {
      if (doc.leak.verdict === 'suspected-leak') steps.push({ text: `Suspected memory leak: ${doc.leak.basis}.`, tone: 'bad' });
      if (doc.limit?.exceeded) steps.push({ text: `Memory limit exceeded${doc.limit.testInFlight ? ` during ${doc.limit.testInFlight}` : ''}.`, tone: 'bad' });
    }
  }
  if (steps.every((s) => s.tone === 'good' || s.tone === 'dim')) steps.unshift({ text: 'Nothing needs fixing: no regression, no breached budget, no flaky test.', tone: 'good' });
  return steps;
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
    case 'benchmark':
      return benchmarkSection({ source: loaded.source, document: doc }, options);
  }
}

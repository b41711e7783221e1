// testpace-report: reads documents (and benchmark harnesses' JSON), compares them with baselines or
// a history, checks budgets, renders, and gates.
import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { colourEnabled, palette, stderrPalette } from '../../lib/colour.ts';
import { parseJson, readSource, validateDocument } from '../../lib/read-document.ts';
import { ExitCode, InputError, UsageError } from '../../lib/errors.ts';
import { type Io, terminalColumns } from '../../lib/io.ts';
import { documentTarget, documentWritten, formatDocument, writeDocument, writeProduct } from '../../lib/output.ts';
import { printable } from '../../lib/printable.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import type { BenchmarkDocument } from './benchmark-document.ts';
import { checkBudgets, configBudgets, flagBudgets, mergeBudgets } from './budgets.ts';
import type { ReportOptions } from './options.ts';
import { benchmarkSide, compare, profileSide } from './compare.ts';
import { workflowCommands } from './github.ts';
import { benchmarkDocument, harnessOf, projectRoot, readHarness } from './harness/index.ts';
import {
  type HistoryRecord,
  appendHistory,
  benchmarkRecord,
  historyRecord,
  isBenchmarkRecord,
  isProfileRecord,
  otherMachines,
  readHistory,
  recentRecords,
  recordsWithoutValues,
  rollingBaseline,
  rollingBenchmarkBaseline,
} from './history.ts';
import { mergeProfiles } from './merge.ts';
import { budgetSection, comparisonSection, documentSection, nextSteps, trendSection, verdictLines } from './comparison-sections.ts';
import type { Section } from './sections.ts';
import { checkRelated } from './relation.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';
import { renderTerminal } from './render-terminal.ts';
import { trendSeries } from './trend.ts';
import type { BudgetResult, ComparisonDocument, Loaded, ReportDocument } from './types.ts';

type Comparable = ProfileDocument | BenchmarkDocument;

/** Reads a testpace document, or a benchmark harness's JSON as a benchmark document. */
async function loadOne(source: string, io: Io, now: Date, kinds?: readonly ReportDocument['kind'][]): Promise<Loaded> {
  const { text, name } = await readSource(source, io);
  return fromText(text, name, io, now, kinds);
}

async function fromText(text: string, name: string, io: Io, now: Date, kinds?: readonly ReportDocument['kind'][]): Promise<Loaded> {
  const value = parseJson(text, name);
  // Without a "kind", it can only be a harness's JSON: readHarness says what was expected if not.
  const untyped = typeof value === 'object' && value !== null && !Array.isArray(value) && !('kind' in value);
  if (harnessOf(value) || untyped) {
    const document = await benchmarkDocument([readHarness(value, name, io.cwd)], io.cwd, io.env, now);
    if (kinds && !kinds.includes('benchmark')) validateDocument(document, name, kinds);
    return { source: name, document };
  }
  return { source: name, document: validateDocument<ReportDocument>(value, name, kinds) };
}

async function load(sources: readonly string[], io: Io, now: Date, kinds?: readonly ReportDocument['kind'][]): Promise<Loaded[]> {
  const loaded: Loaded[] = [];
  for (const source of sources) loaded.push(await loadOne(source, io, now, kinds));
  return loaded;
}

/** Which documents to read: those named, else stdin when something is piped in. */
function sourcesOf(options: ReportOptions, io: Io): string[] {
  if (options.documents.length) {
    if (options.documents.filter((d) => d === '-').length > 1) throw new UsageError('stdin (-) can be named only once');
    return options.documents;
  }
  if (!io.stdin.isTTY) return ['-'];
  if (options.history) return [];
  // On a terminal the tools leave their documents in .testpace/: name them.
  const written = ['profile', 'mem-profile', 'optimize', 'comparison'].map((kind) => `.testpace/${kind}.json`).filter((file) => existsSync(path.resolve(io.cwd, file)));
  const hint = written.length ? `testpace-report ${written.join(' ')}` : 'testpace-profile -- pytest | testpace-report';
  throw new InputError('stdin', 'no document given; expected a file name or a document piped to stdin', { hint });
}

const isComparable = (loaded: Loaded): loaded is Loaded<Comparable> => loaded.document.kind === 'profile' || loaded.document.kind === 'benchmark';
const partial = (loaded: Loaded<Comparable>) => loaded.document.kind === 'profile' && (loaded.document.status === 'interrupted' || loaded.document.status === 'error');

function sideOf(loaded: Loaded<Comparable>) {
  return loaded.document.kind === 'profile' ? profileSide(loaded.document, loaded.source) : benchmarkSide(loaded.document, loaded.source);
}

function compareLoaded(options: ReportOptions, before: Loaded<Comparable>, after: Loaded<Comparable>, now: Date): Loaded<ComparisonDocument> {
  const warnings = checkRelated(before, after, options.allowUnrelated);
  const document = compare(sideOf(before), sideOf(after), options.thresholds, now, after.document.kind === 'benchmark' ? 'benchmarks' : 'tests');
  const notes = [before, after]
    .filter(partial)
    .map((p) => `${p.source} is ${(p.document as ProfileDocument).status === 'interrupted' ? 'an interrupted run (partial data)' : 'from a run whose results could not all be read'}`);
  const all = [...warnings, ...(document.warnings ?? []), ...notes];
  if (all.length) document.warnings = all;
  return { source: `${before.source} → ${after.source}`, document };
}

export async function run(options: ReportOptions, io: Io): Promise<number> {
  const now = options.now ?? new Date();
  const warn = (text: string) => io.stderr.write(stderrPalette(io).yellow(`testpace-report: warning: ${printable(text)}`) + '\n');
  if (options.mode === 'merge') {
    const shards = (await load(options.documents, io, now, ['profile'])) as Loaded<ProfileDocument>[];
    await writeProduct(io, options.out, formatDocument(mergeProfiles(shards, now)));
    return ExitCode.ok;
  }
  if (options.mode === 'import') {
    if (options.documents.length === 0) throw new UsageError('import: expected the JSON of one or more benchmark harnesses', 'testpace-report import .benchmarks.json --out bench.json');
    const results = [];
    for (const source of options.documents) {
      const { text, name } = await readSource(source, io);
      results.push(readHarness(parseJson(text, name), name, io.cwd));
    }
    const document = await benchmarkDocument(results, io.cwd, io.env, now);
    for (const warning of document.warnings ?? []) warn(warning);
    await writeProduct(io, options.out, formatDocument(document));
    return ExitCode.ok;
  }

  const sources = sourcesOf(options, io);
  let loaded: Loaded[];
  if (options.history && options.documents.length === 0 && sources.length === 1) {
    // With --history and nothing named, stdin is read when something is piped, and an empty stdin
    // (a CI step's /dev/null) means the trend alone.
    const { text, name } = await readSource('-', io);
    loaded = text.trim() ? [await fromText(text, name, io, now)] : [];
  } else loaded = await load(sources, io, now);
  let rendered = loaded;
  const comparisons: Loaded<ComparisonDocument>[] = [];
  const compared = new Set<Loaded>();

  // Each --baseline pairs with the current document of its kind.
  const seenKinds = new Set<string>();
  for (const baselineSource of options.baselines) {
    const baseline = await loadOne(baselineSource, io, now, ['profile', 'benchmark']);
    if (!isComparable(baseline)) continue;
    const kind = baseline.document.kind;
    if (seenKinds.has(kind)) throw new UsageError(`--baseline: two ${kind} baselines given; expected one per kind`);
    seenKinds.add(kind);
    const currents = loaded.filter((l): l is Loaded<Comparable> => l.document.kind === kind);
    if (currents.length !== 1) {
      throw new UsageError(`--baseline ${baselineSource}: expected one current ${kind} document to compare it with, received ${currents.length}`);
    }
    comparisons.push(compareLoaded(options, baseline, currents[0]!, now));
    compared.add(currents[0]!);
  }
  const comparable = loaded.filter(isComparable);
  if (options.baselines.length === 0 && loaded.length === 2 && comparable.length === 2 && comparable[0]!.document.kind === comparable[1]!.document.kind && !options.history) {
    // Two documents of one kind: the first is the baseline. Only the newer one is drawn beside the comparison.
    comparisons.push(compareLoaded(options, comparable[0]!, comparable[1]!, now));
    rendered = [comparable[1]!];
    compared.add(comparable[1]!);
  }
  const current = rendered.filter(isComparable);

  let history: { file: string; records: HistoryRecord[] } | undefined;
  if (options.history) {
    const file = path.resolve(io.cwd, options.history);
    const { records, warnings } = await readHistory(file, options.history);
    for (const warning of warnings) warn(warning);
    for (const kind of ['profile', 'benchmark'] as const) {
      const ofKind = current.filter((l) => l.document.kind === kind);
      if (ofKind.length > 1) throw new UsageError(`--history: expected one current ${kind} document to record, received ${ofKind.length}`);
    }
    const rolling = { window: options.historyWindow, statistic: options.historyStat, branch: options.historyBranch, file: options.history };
    for (const doc of current) {
      if (compared.has(doc)) continue;
      const isProfile = doc.document.kind === 'profile';
      const pool = recentRecords(records.filter(isProfile ? isProfileRecord : isBenchmarkRecord), rolling);
      if (pool.length === 0) continue;
      const older = options.historyStat === 'pooled' ? recordsWithoutValues(pool) : 0;
      const baseline = isProfile ? rollingBaseline(records, rolling) : rollingBenchmarkBaseline(records, rolling);
      const comparison = compare(baseline, sideOf(doc), options.thresholds, now, isProfile ? 'tests' : 'benchmarks');
      const notes = [
        older ? `${older} of the ${pool.length} records of the baseline kept only medians (written by an older testpace): their medians stand for their runs` : undefined,
        otherMachines(pool, doc.document.environment?.cpus),
      ].filter((n): n is string => Boolean(n));
      if (notes.length) comparison.warnings = [...(comparison.warnings ?? []), ...notes];
      comparisons.push({ source: `${baseline.source} → ${doc.source}`, document: comparison });
    }
    for (const doc of current) {
      if (partial(doc)) {
        warn(`${doc.source} is ${(doc.document as ProfileDocument).status}: not recorded in ${options.history}`);
        continue;
      }
      if (!options.record) continue;
      const record = doc.document.kind === 'profile' ? historyRecord(doc.document) : benchmarkRecord(doc.document);
      await appendHistory(file, record, options.history);
      records.push(record);
    }
    history = { file: options.history, records };
  }

  const budgets = mergeBudgets(options.useConfig ? configBudgets(io.cwd, projectRoot(io.cwd)) : [], flagBudgets(options.budgets));
  const budgetResults: BudgetResult[] = budgets.length ? checkBudgets(budgets, rendered) : [];
  for (const result of budgetResults.filter((r) => r.status === 'not-checked')) warn(`budget ${result.limit} (${result.from}) not checked: ${result.basis}`);
  for (const comparison of comparisons) if (budgetResults.length) comparison.document.budgets = budgetResults;

  const inputComparisons = loaded.filter((l): l is Loaded<ComparisonDocument> => l.document.kind === 'comparison');
  const verdicts = [...comparisons, ...inputComparisons];
  const model = { top: options.top };
  const sections: Section[] = [];
  // JSON needs no sections unless --github asks for the Markdown as well.
  const drawn = options.format !== 'json' || options.github;
  const series = history ? trendSeries(history.records, { window: options.historyWindow, thresholds: options.thresholds, tests: 5 }) : [];
  if (drawn) {
    for (const comparison of comparisons) sections.push(comparisonSection(comparison, model));
    if (budgetResults.length) sections.push(budgetSection(budgetResults));
    for (const doc of rendered) sections.push(documentSection(doc, model));
    if (history && history.records.length) sections.push(trendSection(history.records, history.file, series, model));
    if (sections.length === 0) throw new UsageError('nothing to report: the history is empty and no document was given');
  }

  switch (options.format) {
    case 'terminal': {
      const columns = terminalColumns(io.stdout, io.env);
      const colour = !options.out && colourEnabled(io.stdout, io.env);
      await writeProduct(io, options.out, renderTerminal(sections, columns, palette(colour)));
      break;
    }
    case 'markdown':
      await writeProduct(io, options.out, renderMarkdown(sections, { comparisons: verdicts.map((v) => v.document), budgets: budgetResults }));
      break;
    case 'html': {
      const next = nextSteps({ comparisons: verdicts.map((v) => v.document), budgets: budgetResults, documents: rendered, history: Boolean(history) });
      await writeProduct(io, options.out, renderHtml({ sections, documents: rendered, comparisons: verdicts.map((v) => v.document), budgets: budgetResults, series, next, now }));
      break;
    }
    case 'json': {
      if (verdicts.length === 0) {
        throw new UsageError('--format json writes a comparison: give --baseline, two profiles or benchmark documents, a --history with records, or a comparison document');
      }
      if (verdicts.length > 1) throw new UsageError(`--format json writes one comparison document; this report has ${verdicts.length} (one per --baseline): write each with its own run`);
      const target = documentTarget(io, options.out, 'comparison');
      await writeDocument(io, target, formatDocument(verdicts[0]!.document));
      if (target.defaulted) io.stderr.write(documentWritten('report', target, [[`testpace-report ${target.out}`, 'the comparison as tables']]));
      break;
    }
  }
  if (options.github) {
    const summary = io.env.GITHUB_STEP_SUMMARY;
    if (summary) await appendFile(path.resolve(io.cwd, summary), renderMarkdown(sections, { comparisons: verdicts.map((v) => v.document), budgets: budgetResults }) + '\n');
    else io.stderr.write('testpace-report: note: --github: $GITHUB_STEP_SUMMARY is not set (not in a GitHub Actions step), so no step summary was written\n');
    if (io.env.GITHUB_ACTIONS === 'true') {
      for (const line of workflowCommands({ comparisons: verdicts.map((v) => v.document), budgets: budgetResults, documents: rendered, cwd: io.cwd })) io.stderr.write(line + '\n');
    }
  }
  // Whatever went to stdout, people in CI logs see the verdicts on stderr.
  if (options.format !== 'terminal' || options.out) {
    const colours = stderrPalette(io);
    for (const verdict of verdicts) {
      for (const line of verdictLines(verdict.document)) {
        const paint = line.tone === 'bad' ? colours.red : line.tone === 'good' ? colours.green : (s: string) => s;
        io.stderr.write(paint(`testpace-report: ${printable(line.text)}`) + '\n');
      }
    }
    for (const result of budgetResults.filter((r) => r.status === 'breached')) {
      io.stderr.write(colours.red(`testpace-report: budget breached: ${printable(result.limit)}: measured ${result.measured} (${printable(result.basis)})`) + '\n');
    }
  }
  const regression = options.failOnRegression && verdicts.some((v) => v.document.verdict === 'regression');
  const breached = budgetResults.some((r) => r.status === 'breached');
  return regression || breached ? ExitCode.fail : ExitCode.ok;
}

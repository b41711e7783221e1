// testpace-report: reads documents, compares with a baseline or a history, renders, and gates.
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { palette, colourEnabled, stderrPalette } from '../../lib/colour.ts';
import { readDocument } from '../../lib/documents.ts';
import { ExitCode, InputError, UsageError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import { formatDocument, writeProduct } from '../../lib/output.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import type { ReportOptions } from './cli.ts';
import { compare, profileSide } from './compare.ts';
import type { HistoryRecord } from './history.ts';
import { appendHistory, historyRecord, readHistory, rollingBaseline } from './history.ts';
import { mergeProfiles } from './merge.ts';
import { type Section, comparisonSection, documentSection, trendSection, verdictLines } from './model.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';
import { printable, renderTerminal } from './render-terminal.ts';
import type { ComparisonDocument, Loaded, ReportDocument } from './types.ts';

async function load(sources: readonly string[], io: Io, kinds?: readonly ReportDocument['kind'][]): Promise<Loaded[]> {
  const loaded: Loaded[] = [];
  for (const source of sources) {
    const document = await readDocument<ReportDocument>(source, io, kinds);
    loaded.push({ source: source === '-' ? 'stdin' : source, document });
  }
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
  throw new InputError('stdin', 'no document given; expected a file name or a document piped to stdin', { hint: 'testpace-profile -- pytest | testpace-report' });
}

const isProfile = (loaded: Loaded): loaded is Loaded<ProfileDocument> => loaded.document.kind === 'profile';

export async function run(options: ReportOptions, io: Io): Promise<number> {
  const now = options.now ?? new Date();
  if (options.mode === 'merge') {
    const shards = (await load(options.documents, io, ['profile'])).filter(isProfile);
    await writeProduct(io, options.out, formatDocument(mergeProfiles(shards, now)));
    return ExitCode.ok;
  }

  const loaded = await load(sourcesOf(options, io), io);
  const profiles = loaded.filter(isProfile);
  let comparison: Loaded<ComparisonDocument> | undefined;
  let baselineProfile: Loaded<ProfileDocument> | undefined;
  let rendered = loaded;

  if (options.baseline) {
    if (profiles.length !== 1) throw new UsageError(`--baseline: expected one current profile to compare, received ${profiles.length}`);
    const baseline = await readDocument<ProfileDocument>(options.baseline, io, ['profile']);
    baselineProfile = { source: options.baseline, document: baseline };
    const current = profiles[0]!;
    comparison = { source: `${options.baseline} → ${current.source}`, document: compare(profileSide(baseline, options.baseline), profileSide(current.document, current.source), options.thresholds, now) };
  } else if (profiles.length === 2 && loaded.length === 2 && !options.history) {
    // Two profiles: the first is the baseline. Only the newer one is drawn beside the comparison.
    const [before, after] = profiles as [Loaded<ProfileDocument>, Loaded<ProfileDocument>];
    comparison = { source: `${before.source} → ${after.source}`, document: compare(profileSide(before.document, before.source), profileSide(after.document, after.source), options.thresholds, now) };
    rendered = [after];
  }

  let history: { file: string; records: HistoryRecord[] } | undefined;
  if (options.history) {
    const file = path.resolve(io.cwd, options.history);
    const { records, warnings } = await readHistory(file);
    const palette_ = stderrPalette(io);
    for (const warning of warnings) io.stderr.write(palette_.yellow(`testpace-report: warning: ${warning}`) + '\n');
    if (profiles.length > 1) throw new UsageError(`--history: expected one current profile to record, received ${profiles.length}`);
    const current = profiles[0];
    if (!comparison && current && records.length) {
      const baseline = rollingBaseline(records, options.historyWindow, options.historyStat, options.history);
      comparison = { source: `${baseline.source} → ${current.source}`, document: compare(baseline, profileSide(current.document, current.source), options.thresholds, now) };
    }
    const partialRun = current && (current.document.status === 'interrupted' || current.document.status === 'error');
    if (partialRun) io.stderr.write(stderrPalette(io).yellow(`testpace-report: warning: ${current.source} is ${current.document.status}: not recorded in ${options.history}`) + '\n');
    if (current && options.record && !partialRun) {
      const record = historyRecord(current.document);
      await appendHistory(file, record);
      records.push(record);
    }
    history = { file: options.history, records };
  }

  if (comparison) {
    // A partial profile compares what it has; the reader should know that its totals are short.
    const partial = [...profiles, ...(baselineProfile ? [baselineProfile] : [])].filter((p) => p.document.status === 'interrupted' || p.document.status === 'error');
    if (partial.length) {
      const notes = partial.map((p) => `${p.source} is ${p.document.status === 'interrupted' ? 'an interrupted run (partial data)' : 'from a run whose results could not all be read'}`);
      comparison.document.warnings = [...(comparison.document.warnings ?? []), ...notes];
    }
  }

  const model = { top: options.top };
  const sections: Section[] = [];
  // JSON needs no sections unless --github asks for the Markdown as well.
  const drawn = options.format !== 'json' || options.github;
  if (drawn && comparison) sections.push(comparisonSection(comparison, model));
  if (drawn) for (const doc of rendered) sections.push(documentSection(doc, model));
  if (drawn && history && history.records.length) sections.push(trendSection(history.records, history.file, model));
  if (drawn && sections.length === 0) throw new InputError(options.history ?? 'stdin', 'nothing to report: the history is empty and no document was given');

  const verdictDoc = comparison?.document ?? loaded.find((l): l is Loaded<ComparisonDocument> => l.document.kind === 'comparison')?.document;
  switch (options.format) {
    case 'terminal': {
      const columns = io.stdout.columns ?? (Number(io.env.COLUMNS) || 100);
      const colour = !options.out && colourEnabled(io.stdout, io.env);
      await writeProduct(io, options.out, renderTerminal(sections, columns, palette(colour)));
      break;
    }
    case 'markdown':
      await writeProduct(io, options.out, renderMarkdown(sections));
      break;
    case 'html':
      await writeProduct(io, options.out, renderHtml({ sections, documents: rendered, comparison: comparison?.document, history, now }));
      break;
    case 'json': {
      if (!verdictDoc) {
        throw new UsageError('--format json writes a comparison: give --baseline, two profiles, a --history with records, or a comparison document');
      }
      await writeProduct(io, options.out, formatDocument(verdictDoc));
      break;
    }
  }
  if (options.github) {
    const summary = io.env.GITHUB_STEP_SUMMARY;
    if (!summary) throw new UsageError('--github: $GITHUB_STEP_SUMMARY is not set', 'GitHub Actions sets it in every job step');
    await appendFile(path.resolve(io.cwd, summary), renderMarkdown(sections) + '\n');
  }
  // Whatever went to stdout, people in CI logs see the verdict on stderr.
  if (verdictDoc && (options.format !== 'terminal' || options.out)) {
    const colours = stderrPalette(io);
    for (const line of verdictLines(verdictDoc)) {
      const paint = line.tone === 'bad' ? colours.red : line.tone === 'good' ? colours.green : (s: string) => s;
      io.stderr.write(paint(`testpace-report: ${printable(line.text)}`) + '\n');
    }
  }
  return options.failOnRegression && verdictDoc?.verdict === 'regression' ? ExitCode.fail : ExitCode.ok;
}

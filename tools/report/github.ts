// GitHub Actions workflow commands (::error, ::warning), so that a regressed test, a breached
// budget and an optimize finding show on the pull request's diff, at the line that defines them.
// They go to stderr, which the runner reads for commands as it does stdout: stdout stays the product.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatDeltaMs, formatMs, formatP, formatRatio } from '../../lib/format.ts';
import { printable } from '../../lib/printable.ts';
import { projectRoot } from './harness/index.ts';
import { itemLabel } from './comparison-sections.ts';
import type { BudgetResult, ComparisonDocument, Delta, Loaded, OptimizationDocument } from './types.ts';

/** GitHub shows at most 10 annotations of each level per step; more would only be dropped. */
const MAX_ANNOTATIONS = 10;

// The runner's own escapes for % and line breaks, after the terminal's (test names come from outside).
const escapeData = (value: string) => printable(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (value: string) => escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One workflow command line. */
export function workflowCommand(level: 'error' | 'warning' | 'notice', message: string, where: { file?: string; line?: number; title?: string } = {}): string {
  const properties = [
    where.file ? `file=${escapeProperty(where.file)}` : '',
    where.file && where.line ? `line=${where.line}` : '',
    where.title ? `title=${escapeProperty(where.title)}` : '',
  ].filter(Boolean);
  return `::${level}${properties.length ? ` ${properties.join(',')}` : ''}::${escapeData(message)}`;
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The line that defines a test or benchmark in its file, found by its name: `def name(` for Python,
 * `it('name'`, `test(…`, `bench(…` for JavaScript, `@test "name"` for bats. Undefined when the file
 * cannot be read here or the name is not found (the annotation then points at the file).
 */
export function definitionLine(roots: readonly string[], file: string, name: string): number | undefined {
  let text: string | undefined;
  for (const root of roots) {
    try {
      text = readFileSync(path.resolve(root, file), 'utf8');
      break;
    } catch {
      // not under this root
    }
  }
  if (text === undefined) return undefined;
  const last = name.split(/::| > /).at(-1)!.replace(/\[.*\]$/, '').trim();
  const patterns = [
    new RegExp(`^\\s*(?:async\\s+)?def\\s+${escapeRegExp(last)}\\s*\\(`),
    new RegExp(`\\b(?:it|test|bench|specify)(?:\\.\\w+)*\\s*\\(\\s*(['"\`])${escapeRegExp(last)}\\1`),
    new RegExp(`^\\s*@test\\s+(['"])${escapeRegExp(last)}\\1`),
  ];
  const lines = text.split('\n');
  for (const pattern of patterns) {
    const index = lines.findIndex((line) => pattern.test(line));
    if (index >= 0) return index + 1;
  }
  return undefined;
}

const describe = (d: Delta) => {
  const p = d.pAdjusted ?? d.pValue;
  return `${formatMs(d.baselineMs)} → ${formatMs(d.currentMs)} (${formatRatio(d.ratio)}, ${formatDeltaMs(d.deltaMs)}${p !== null && p !== undefined ? `, ${formatP(p)}` : ''})`;
};

export interface GithubInput {
  comparisons: readonly ComparisonDocument[];
  budgets: readonly BudgetResult[];
  documents: readonly Loaded[];
  cwd: string;
}

/** The workflow commands of a report: errors for regressions and breached budgets, warnings for findings. */
export function workflowCommands(input: GithubInput): string[] {
  const roots = [input.cwd, projectRoot(input.cwd)];
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const doc of input.comparisons) {
    const what = doc.subject === 'benchmarks' ? 'benchmark' : 'test';
    if (doc.total?.regressed) errors.push(workflowCommand('error', `total wall time: ${describe(doc.total)}`, { title: 'testpace: the suite got slower' }));
    for (const test of doc.tests.filter((t) => t.regressed)) {
      const file = test.file || undefined;
      errors.push(workflowCommand('error', `${itemLabel(test)}: ${describe(test)}`, { file, line: file ? definitionLine(roots, file, test.name) : undefined, title: `testpace: slower ${what}` }));
    }
    if (doc.total?.status === 'inconclusive') warnings.push(workflowCommand('warning', `total wall time: ${describe(doc.total)}: inconclusive${doc.total.runsNeeded ? `; about ${doc.total.runsNeeded} runs per side would tell` : ''}`, { title: 'testpace: inconclusive' }));
  }
  for (const budget of input.budgets.filter((b) => b.status === 'breached')) {
    const fromFile = budget.from !== '--budget';
    const first = budget.over?.[0];
    errors.push(
      workflowCommand('error', `${budget.limit}: measured ${budget.measured} (${budget.basis})`, {
        file: fromFile ? budget.from : first?.file || undefined,
        line: fromFile ? budget.line : first?.file ? definitionLine(roots, first.file, first.name) : undefined,
        title: 'testpace: budget breached',
      }),
    );
  }
  const findings = input.documents
    .filter((d): d is Loaded<OptimizationDocument> => d.document.kind === 'optimization')
    .flatMap((d) => d.document.findings)
    .sort((a, b) => (b.savings.ms ?? -1) - (a.savings.ms ?? -1));
  for (const f of findings) {
    warnings.push(workflowCommand('warning', `${f.message}; fix: ${f.fix}${f.savings.ms !== null ? ` (saves ${formatMs(f.savings.ms)} per run, ${f.savings.basis})` : ''}`, { file: f.file, line: f.line || undefined, title: `testpace: ${f.rule}` }));
  }
  const capped = (lines: string[], level: string) =>
    lines.length > MAX_ANNOTATIONS ? [...lines.slice(0, MAX_ANNOTATIONS - 1), workflowCommand(level as 'error', `${lines.length - MAX_ANNOTATIONS + 1} more; the step summary lists them all`, { title: 'testpace' })] : lines;
  return [...capped(errors, 'error'), ...capped(warnings, 'warning')];
}

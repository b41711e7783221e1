// What select tells: the selection document (schemas/selection) and the summary on stderr.
import { documentHeader } from '../../lib/document-header.ts';
import type { Environment } from '../../lib/environment.ts';
import type { Changes } from './changes.ts';
import type { UnresolvedImport } from './graph.ts';
import type { Timings } from './schedule.ts';
import type { Selected } from './select.ts';

export interface RunAll {
  reason: string;
  files: string[];
}

export interface DocumentInput {
  environment: Environment;
  changes: Changes;
  /** The test files output, in output order. */
  chosen: string[];
  selected: Map<string, Selected>;
  runAll: RunAll | null;
  timings: Timings | null;
  skipped: Array<{ file: string; why: string }>;
  ignored: Array<{ file: string; why: string }>;
  unresolved: UnresolvedImport[];
  counts: { changed: number; tests: number; selected: number; filesInGraph: number; parsed: number };
  warnings: string[];
}

/** The selection document. When everything runs, each test's reason is the file that forced it. */
export function selectionDocument(input: DocumentInput): object {
  const { changes, runAll, timings } = input;
  const trigger = runAll?.files[0];
  return {
    ...documentHeader('selection', 'select'),
    environment: input.environment,
    base: changes.base,
    head: changes.head,
    workingTree: changes.workingTree,
    changed: changes.changed,
    selected: input.chosen.map((file) => {
      const entry = runAll ? undefined : input.selected.get(file);
      const reasons = entry?.reasons ?? [trigger ? { changed: trigger, chain: [trigger, file], edges: ['config'] } : { changed: file, chain: [file], edges: [] }];
      const timing = timings?.files.get(file);
      return {
        file,
        reasons,
        distance: entry?.distance ?? (trigger ? 1 : 0),
        ...(timings ? { estimatedMs: timing ? Math.round(timing.ms * 10) / 10 : null } : {}),
      };
    }),
    skipped: input.skipped,
    ignored: input.ignored,
    unresolved: input.unresolved,
    runAll,
    counts: input.counts,
    warnings: input.warnings,
  };
}

export interface SummaryInput {
  changes: Changes;
  runAll: RunAll | null;
  selectedCount: number;
  testCount: number;
  warnings: string[];
  unresolved: UnresolvedImport[];
  notes: string[];
  graphFiles: number;
  parsed: number;
  seconds: number;
}

/** The lines for stderr: warnings (the first unresolved imports), notes, and one summary line. */
export function summary(input: SummaryInput): string[] {
  const { changes, runAll, unresolved } = input;
  const lines = input.warnings.map((warning) => `warning: ${warning}`);
  for (const u of unresolved.slice(0, 5)) lines.push(`warning: ${u.file}:${u.line}: cannot resolve ${JSON.stringify(u.specifier)} (${u.why})`);
  if (unresolved.length > 5) lines.push(`warning: … ${unresolved.length - 5} more unresolved imports (--format json lists them all)`);
  lines.push(...input.notes);
  const base = changes.base ? ` since ${changes.base.ref}${changes.base.mergeBase ? ` (merge base ${changes.base.mergeBase.slice(0, 8)})` : ''}` : '';
  const what = runAll ? `all ${input.testCount} test files: ${runAll.reason}` : `${input.selectedCount} of ${input.testCount} test files`;
  const changed = `${changes.changed.length} changed file${changes.changed.length === 1 ? '' : 's'}`;
  lines.push(`testpace-select: ${what}; ${changed}${base}; ${input.graphFiles} files in the graph, ${input.parsed} parsed, ${input.seconds.toFixed(2)} s`);
  return lines;
}

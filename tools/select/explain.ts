// --explain FILE: the chains from changed files to one test, or why it was not selected.
import type { Changes } from './changes.ts';
import type { Graph } from './graph.ts';
import { type RunnerProject, ignoredBy as ignoreReason } from './project.ts';
import type { Selected } from './select.ts';

export interface ExplainInput {
  target: string;
  tests: Map<string, RunnerProject[]>;
  selected: Map<string, Selected>;
  runAll: { reason: string; files: string[] } | null;
  changes: Changes;
  graph: Graph;
  chosen: string[];
  skipped: Array<{ file: string; why: string }>;
  toCwd: (file: string) => string;
  runners: RunnerProject[];
}

const LABEL: Record<string, string> = {
  import: 'imported by',
  'type-import': 'type-imported by',
  'dynamic-import': 'dynamically imported by',
  require: 'required by',
  'require-resolve': 'require.resolve()d by',
  mock: 'mocked by',
  'mocks-dir': 'the __mocks__ replacement used by',
  url: 'named by new URL() in',
  'python-import': 'imported by',
  conftest: 'a conftest.py applying to',
  'bats-load': 'loaded by',
  exec: 'run by',
  'data-file': 'read by',
  snapshot: 'the snapshot of',
  config: 'declared (config/setup) for',
  'package-init': 'the package __init__.py run before',
  'build-output': 'built into what is imported by',
  symbol: 'its code is used by',
  self: 'is',
};

/** Text for stdout, and whether the test is selected. */
export function explain(input: ExplainInput): { text: string; selected: boolean } {
  const { target, toCwd } = input;
  const name = toCwd(target);
  const lines: string[] = [];
  if (!input.tests.has(target)) {
    const ignoredBy = input.runners.map((runner) => ignoreReason(runner, target)).find((why) => why !== null);
    if (ignoredBy) lines.push(`${name} is not a test file here: the runner leaves it out (${ignoredBy}), so select does too.`);
    else lines.push(`${name} is not a test file here (no runner config discovers it; --tests GLOB names test files directly).`);
    return { text: lines.join('\n') + '\n', selected: false };
  }
  const owners = input.tests.get(target)!.map((r) => `${r.runner}${r.config ? ` (${r.config})` : ''}`);
  const skipped = input.skipped.find((s) => s.file === target);
  const chosen = input.chosen.includes(target);
  if (input.runAll) {
    lines.push(`${name} is selected: every test runs.`, `  ${input.runAll.reason}`);
  } else {
    const entry = input.selected.get(target);
    if (!entry) {
      lines.push(`${name} is not selected: none of the ${input.changes.changed.length} changed files reaches it.`);
      const dependencies = input.graph.dependenciesOf(target);
      if (dependencies.length > 0) lines.push(`  it depends directly on: ${dependencies.sort().map(toCwd).join(', ')}`);
    } else {
      lines.push(`${name} is selected (${entry.reasons.length} chain${entry.reasons.length === 1 ? '' : 's'}, nearest change ${entry.distance} edge${entry.distance === 1 ? '' : 's'} away):`);
      for (const reason of entry.reasons) {
        if (reason.edges.length === 0) {
          lines.push(`  ${toCwd(reason.changed)} changed: it is this test itself`);
          continue;
        }
        lines.push(`  ${toCwd(reason.chain[0]!)} changed`);
        reason.edges.forEach((kind, k) => lines.push(`    → ${LABEL[kind] ?? kind} ${toCwd(reason.chain[k + 1]!)} [${kind}]`));
      }
    }
  }
  lines.push(`  discovered by: ${owners.join(', ')}`);
  if (skipped) lines.push(`  but left out of this run: ${skipped.why}`);
  return { text: lines.join('\n') + '\n', selected: chosen || (Boolean(input.selected.get(target)) && !skipped) || Boolean(input.runAll && !skipped) };
}

// The human summary on stderr: totals, collection share, slowest tests, worker balance, flaky tests.
import type { Palette } from '../../lib/colour.ts';
import { formatMs } from '../../lib/format.ts';
import { printable } from '../../lib/printable.ts';
import type { ProfileDocument } from './built-document.ts';

const percent = (fraction: number) => `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%`;

export function formatSummary(document: ProfileDocument, colour: Palette, options: { slowest?: number; cores: number }): string {
  const { summary, runs } = document;
  const measured = summary.runs;
  const basis = measured > 1 ? `median of ${measured} runs, MAD ${formatMs(summary.wallMs.mad)}` : measured === 1 ? '1 run' : 'warm-up only';
  const counts = summary.counts;
  const parts = [`${counts.passed} passed`];
  if (counts.failed) parts.push(colour.red(`${counts.failed} failed`));
  if (counts.error) parts.push(colour.red(`${counts.error} errors`));
  if (counts.skipped) parts.push(`${counts.skipped} skipped`);
  const lines: string[] = [];
  const status = document.status === 'passed' ? colour.green('passed') : document.status === 'interrupted' ? colour.yellow('interrupted') : colour.red(document.status);
  lines.push(
    `${colour.bold('testpace-profile')}: ${document.runner}, ${counts.total} tests (${parts.join(', ')}), ${status}, ` +
      `wall ${formatMs(summary.wallMs.median)} (${basis})`,
  );
  if (summary.cpuMs) {
    const efficiency = summary.parallelEfficiency === null ? '' : `, parallel efficiency ${percent(summary.parallelEfficiency)} of ${options.cores} cores`;
    lines.push(`  CPU ${formatMs(summary.cpuMs.median)} (user+system, whole process tree)${efficiency}`);
  }
  if (summary.collectionMs) {
    const last = runs.filter((r) => !r.warmup).at(-1) ?? runs.at(-1);
    const tail = last?.tailMs === null || last?.tailMs === undefined ? '' : `; tail after the last test ${formatMs(last.tailMs)}`;
    const split =
      last?.sessionStartMs !== undefined && last.collectionMs !== null
        ? ` [last run: start-up ${formatMs(last.sessionStartMs)}, collection ${formatMs(Math.max(0, last.collectionMs - last.sessionStartMs))}]`
        : '';
    lines.push(`  start-up and collection ${formatMs(summary.collectionMs.median)} (${percent(summary.collectionMs.median / summary.wallMs.median)} of wall)${split}${tail}`);
  }
  const total = summary.testsMs?.median ?? 0;
  const slowest = document.tests.slice(0, options.slowest ?? 5).filter((t) => t.durationMs.median > 0);
  if (slowest.length && total > 0) {
    lines.push(`  slowest tests (${measured > 1 ? 'median' : 'duration'}, share of the sum of test time ${formatMs(total)}):`);
    for (const test of slowest) {
      const phases = test.setupMs && test.callMs ? colour.dim(` setup ${formatMs(test.setupMs.median)} call ${formatMs(test.callMs.median)}`) : '';
      lines.push(`    ${formatMs(test.durationMs.median).padStart(8)} ${percent(test.durationMs.median / total).padStart(5)}  ${printable(test.file)} › ${printable(test.name)}${phases}`);
    }
  }
  const last = runs.filter((r) => !r.warmup).at(-1) ?? runs.at(-1);
  if (last && last.workers.length > 1) {
    const busy = last.workers.map((w) => w.busyMs);
    const balance = Math.min(...busy) / Math.max(...busy);
    lines.push(
      `  workers: ${last.workers.map((w) => `${w.id} ${w.tests} tests ${formatMs(w.busyMs)} busy (${percent(w.utilisation)})`).join(', ')}; ` +
        `balance ${percent(balance)} (least/most busy)`,
    );
  }
  const flaky = document.tests.filter((t) => t.flaky);
  if (flaky.length) {
    lines.push(colour.yellow(`  flaky (outcome differed between runs): ${flaky.length}`));
    for (const test of flaky.slice(0, 10)) lines.push(`    ${printable(test.file)} › ${printable(test.name)}: ${test.outcomes.join(', ')}`);
  }
  const outlying = document.tests.filter((t) => t.outlierRuns?.length).length;
  if (outlying) lines.push(`  ${outlying} tests had outlier runs (over 3 scaled MADs and 1 ms from their median; flagged in the document, still counted)`);
  for (const warning of document.warnings ?? []) lines.push(colour.yellow(`  warning: ${printable(warning)}`));
  return lines.join('\n') + '\n';
}

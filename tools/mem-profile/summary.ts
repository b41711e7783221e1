// The stderr summary: peak, average, leak verdict, top tests and a sparkline of the timeline.
import type { Palette } from '../../lib/colour.ts';
import { printable } from '../../lib/printable.ts';
import { growthResolved, topTests } from './attribution.ts';
import type { MemoryDocument } from './document.ts';
import { asciiSparkline, formatBytes, formatMs } from '../../lib/format.ts';

const SPARK_WIDTH = 60;

export function renderSummary(document: MemoryDocument, top: number, paint: Palette): string {
  const lines: string[] = [];
  const { peak, timeline } = document;
  const kernel = peak.largestProcessHwmBytes === null ? [] : [`largest process high-water ${formatBytes(peak.largestProcessHwmBytes)}`];
  lines.push(
    `${paint.bold('memory')}: peak ${paint.bold(formatBytes(peak.sampledRssBytes))} at ${formatMs(peak.atMs)}` +
      ` (sum of the tree over ${timeline.samplesTaken} samples every ${document.intervalMs} ms)` +
      (kernel.length ? `; kernel: ${kernel.join(', ')}` : ''),
  );
  lines.push(`  average ${formatBytes(peak.averageRssBytes)}, ${document.processes.length} process(es) seen, ${formatMs(document.wallMs)} wall`);
  if (peak.sampledRssBytes === 0 && document.processes.length > 0) {
    lines.push(`  no full sample caught the tree (a run shorter than one interval): the kernel figures and processes[] are what was seen`);
  }
  if (timeline.rssBytes.length > 0) {
    lines.push(`  timeline |${asciiSparkline(timeline.rssBytes, SPARK_WIDTH)}| 0 .. ${formatBytes(Math.max(...timeline.rssBytes))}, 0 .. ${formatMs(document.wallMs)}`);
  }
  const verdict = document.leak.verdict;
  const shown = verdict === 'suspected-leak' ? paint.red('suspected leak') : verdict === 'no-leak' ? paint.green('no leak') : paint.yellow('no verdict');
  lines.push(`  leak: ${shown}: ${printable(document.leak.basis)}`);
  for (const process of document.processes) {
    if (process.leak?.verdict === 'suspected-leak') lines.push(`  leak: ${paint.red('suspected leak')} in ${printable(process.leak.basis)}`);
  }
  if (document.tests.length > 0 && top > 0) {
    const resolved = document.tests.filter(growthResolved);
    const unresolved = document.tests.length - resolved.length;
    const resolution = unresolved
      ? `; ${unresolved} of ${document.tests.length} tests left out: shorter than half the time between their readings (every ${document.intervalMs} ms), their growth could be their neighbours'`
      : `; ${document.tests.length} tests, each between readings at most twice its length`;
    lines.push(`  top tests by growth (RSS of their process, end minus start${resolution}):`);
    for (const test of topTests(resolved, 'growthBytes', top)) {
      lines.push(`    ${(test.growthBytes >= 0 ? '+' : '') + formatBytes(test.growthBytes)}  ${printable(test.file)}::${printable(test.name)}`);
    }
    lines.push('  top tests by peak (highest RSS of their process while they ran):');
    for (const test of topTests(document.tests, 'peakRssBytes', top)) {
      lines.push(`    ${formatBytes(test.peakRssBytes)}  ${printable(test.file)}::${printable(test.name)}`);
    }
  }
  if (document.limit?.exceeded) {
    lines.push(
      paint.red(
        `  limit exceeded: ${formatBytes(document.limit.rssBytes ?? 0)} > --max-rss ${formatBytes(document.limit.maxRssBytes)} at ${formatMs(document.limit.atMs ?? 0)}` +
          (document.limit.testInFlight ? `, test in flight: ${printable(document.limit.testInFlight)}` : ', no test in flight'),
      ),
    );
  }
  for (const warning of document.warnings ?? []) lines.push(paint.yellow(`  warning: ${printable(warning)}`));
  return lines.join('\n') + '\n';
}

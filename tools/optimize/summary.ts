// The summary people read on stderr: findings by place, savings by rule, the parallel plan.
import { palette, colourEnabled } from '../../lib/colour.ts';
import { formatMs } from '../../lib/format.ts';
import type { Io } from '../../lib/io.ts';
import { printable } from '../../lib/printable.ts';
import type { Finding } from './findings.ts';
import type { ParallelPlan } from './parallel.ts';

interface Summary {
  files: { analysed: number; failed: Array<{ file: string; line?: number; error: string }> };
  findings: Finding[];
  parallel: ParallelPlan | null;
  summary: { byRule: Record<string, { count: number; savingsMs: number; basis: string }>; totalSavingsMs: number; parallelGainMs: number | null };
}

const SHOWN = 30;


export function printSummary(io: Io, document: Summary): void {
  const c = palette(colourEnabled(io.stderr, io.env));
  const lines: string[] = [];
  lines.push(c.bold(`testpace-optimize: ${document.files.analysed} files analysed, ${document.findings.length} findings`));
  for (const failed of document.files.failed) lines.push(c.red(`  not parsed: ${printable(failed.file)}${failed.line ? `:${failed.line}` : ''}: ${printable(failed.error)}`));
  // The most costly first; a big suite's full list is in the document.
  const rank = { high: 0, medium: 1, low: 2 } as const;
  const shown = [...document.findings].sort((a, b) => rank[a.severity] - rank[b.severity] || (b.savings.ms ?? 0) - (a.savings.ms ?? 0)).slice(0, SHOWN);
  for (const f of shown) {
    const saved = f.savings.ms === null ? '' : c.dim(` (saves ${formatMs(f.savings.ms)}, ${f.savings.basis})`);
    const tone = f.severity === 'high' ? c.red : f.severity === 'medium' ? c.yellow : c.dim;
    lines.push(`  ${tone(f.rule.padEnd(16))} ${printable(f.file)}${f.line ? `:${f.line}` : ''}  ${printable(f.message)}${saved}`);
  }
  if (document.findings.length > SHOWN) lines.push(c.dim(`  … and ${document.findings.length - SHOWN} more in the document`));
  const rules = Object.entries(document.summary.byRule);
  if (rules.length) {
    lines.push(c.bold('savings by rule:'));
    for (const [rule, entry] of rules) lines.push(`  ${rule.padEnd(16)} ${String(entry.count).padStart(3)}  ${formatMs(entry.savingsMs).padStart(9)}  ${entry.basis}`);
    lines.push(`  total, each test counted once: ${formatMs(document.summary.totalSavingsMs)}`);
  }
  if (document.parallel) {
    const p = document.parallel;
    lines.push(c.bold(`parallel plan (${p.policy}), predicted wall time by workers:`) + ' ' + p.predictions.map((x) => `${x.workers}: ${formatMs(x.predictedWallMs)}${x.lowMs !== undefined ? ` (${formatMs(x.lowMs)}–${formatMs(x.highMs!)})` : ''}`).join(', '));
    lines.push(`  basis: ${printable(p.basis)}`);
    lines.push(`  recommended: ${c.cyan(printable(p.recommended.command))} (${printable(p.recommended.reason)})`);
    if (document.summary.parallelGainMs !== null) lines.push(`  predicted gain, apart from the findings: ${formatMs(document.summary.parallelGainMs)}`);
    if (p.serialTests.length) lines.push(`  ${p.serialTests.length} tests must stay serial (parallel-unsafe findings)`);
  }
  io.stderr.write(lines.join('\n') + '\n');
}

// The report as GitHub-flavoured Markdown, for pull-request comments and $GITHUB_STEP_SUMMARY:
// one headline line, then only what changed, and the whole report folded in <details>.
// Every string from a document is escaped: test names are user-controlled and GitHub renders HTML.
import { printable } from '../../lib/printable.ts';
import { type Overview, changesTable, headline } from './comparison-sections.ts';
import { type Cell, type Section, type Table, type Tone, folded } from './sections.ts';

/** Escapes text so that Markdown shows it literally, also inside a table cell. */
export function escapeMarkdown(value: string): string {
  return printable(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]|~])/g, '\\$1')
    .replace(/^([#+-]|\d+\.)(?=\s)/, '\\$1')
    .replace(/\r?\n/g, ' ');
}

const marks: Record<Tone, (s: string) => string> = {
  bad: (s) => `**${s}**`,
  good: (s) => `**${s}**`,
  warn: (s) => `⚠️ ${s}`,
  dim: (s) => `_${s}_`,
};

const mark = (value: string, tone: Tone | undefined) => (tone ? marks[tone](value) : value);
const cell = (value: Cell) => (typeof value === 'string' ? escapeMarkdown(value) : mark(escapeMarkdown(value.text), value.tone));

function tableMarkdown(table: Table): string[] {
  const out: string[] = [];
  const { rows, footnote } = folded(table);
  if (table.caption) out.push(`**${escapeMarkdown(table.caption)}**`, '');
  out.push(`| ${table.columns.map((c) => escapeMarkdown(c.header)).join(' | ')} |`);
  out.push(`|${table.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`);
  for (const row of rows) out.push(`| ${row.map(cell).join(' | ')} |`);
  out.push('');
  if (footnote) out.push(`_${escapeMarkdown(footnote)}_`, '');
  return out;
}

/** Renders sections as Markdown, each under its heading. */
export function renderSections(sections: readonly Section[]): string {
  const out: string[] = [];
  for (const section of sections) {
    out.push(`### ${escapeMarkdown(section.title)}`, '');
    for (const block of section.blocks) {
      if (block.kind === 'text') out.push(mark(escapeMarkdown(block.text), block.tone), '');
      else out.push(...tableMarkdown(block.table));
    }
  }
  return out.join('\n');
}

/** The Markdown report: the headline, what changed, and the full report folded. */
export function renderMarkdown(sections: readonly Section[], overview: Overview): string {
  const head = headline(overview);
  const out = [mark(escapeMarkdown(head.text), head.tone === 'dim' ? undefined : head.tone), ''];
  const changes = changesTable(overview);
  if (changes) out.push(...tableMarkdown(changes));
  out.push('<details><summary>Full report</summary>', '', renderSections(sections), '</details>', '');
  return out.join('\n');
}

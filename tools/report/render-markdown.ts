// The report as GitHub-flavoured Markdown, for pull-request comments and $GITHUB_STEP_SUMMARY.
// Every string from a document is escaped: test names are user-controlled and GitHub renders HTML.
import type { Cell, Section, Tone } from './model.ts';

/** Escapes text so that Markdown shows it literally, also inside a table cell. */
export function escapeMarkdown(value: string): string {
  return value
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

/** Renders sections as Markdown. */
export function renderMarkdown(sections: readonly Section[]): string {
  const out: string[] = [];
  for (const section of sections) {
    out.push(`### ${escapeMarkdown(section.title)}`, '');
    for (const block of section.blocks) {
      if (block.kind === 'text') {
        out.push(mark(escapeMarkdown(block.text), block.tone), '');
        continue;
      }
      const { table } = block;
      if (table.caption) out.push(`**${escapeMarkdown(table.caption)}**`, '');
      out.push(`| ${table.columns.map((c) => escapeMarkdown(c.header)).join(' | ')} |`);
      out.push(`|${table.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`);
      for (const row of table.rows) out.push(`| ${row.map(cell).join(' | ')} |`);
      out.push('');
      if (table.footnote) out.push(`_${escapeMarkdown(table.footnote)}_`, '');
    }
  }
  return out.join('\n');
}

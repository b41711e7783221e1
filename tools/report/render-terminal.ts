// The report for a terminal: cli-table3 tables sized to the terminal's width, colour only when
// the palette says so (a TTY without NO_COLOR).
import Table from 'cli-table3';
import type { Palette } from '../../lib/colour.ts';
import { printable } from '../../lib/printable.ts';
import { type Cell, type Section, type Table as ModelTable, type Tone, folded } from './sections.ts';

const MIN_FLEX = 10;
const COMFORTABLE = 30;

function paint(palette: Palette, value: string, tone: Tone | undefined): string {
  switch (tone) {
    case 'bad':
      return palette.red(value);
    case 'good':
      return palette.green(value);
    case 'warn':
      return palette.yellow(value);
    case 'dim':
      return palette.dim(value);
    default:
      return value;
  }
}

const cellText = (cell: Cell) => printable(typeof cell === 'string' ? cell : cell.text);
// Width in terminal columns: code points, not UTF-16 units (→, –, ▁ are one column each).
const width = (value: string) => [...value].length;

/**
 * Column widths (padding included) that fit `columns`: fixed columns keep their natural width,
 * the flexible ones (names, paths) share what is left and wrap.
 */
export function columnWidths(model: ModelTable, columns: number): number[] {
  const natural = model.columns.map((column, i) => Math.max(width(column.header), ...model.rows.map((row) => width(cellText(row[i] ?? '')))) + 2);
  const borders = model.columns.length + 1;
  const total = natural.reduce((sum, w) => sum + w, 0) + borders;
  if (total <= columns) return natural;
  const flexible = model.columns.flatMap((column, i) => (column.flexible ? [i] : []));
  if (flexible.length === 0) return natural;
  const fixed = natural.reduce((sum, w, i) => (flexible.includes(i) ? sum : sum + w), 0);
  // Water-filling: narrow flexible columns keep their natural width, the wide ones share the rest.
  let room = Math.max(MIN_FLEX * flexible.length, columns - fixed - borders);
  const widths = [...natural];
  const byNatural = [...flexible].sort((a, b) => natural[a]! - natural[b]!);
  byNatural.forEach((i, k) => {
    const share = Math.floor(room / (byNatural.length - k));
    widths[i] = Math.min(natural[i]!, Math.max(MIN_FLEX, share));
    room -= widths[i]!;
  });
  return widths;
}

/** Leaves out optional columns, from the right, until the table fits or none is left. */
export function fitColumns(model: ModelTable, columns: number): ModelTable {
  let fitted = model;
  for (;;) {
    const widths = columnWidths(fitted, columns);
    const total = widths.reduce((sum, w) => sum + w, 0) + widths.length + 1;
    const natural = columnWidths(fitted, Infinity);
    // Names squeezed below a readable width cost more than a left-out statistic.
    const squeezed = fitted.columns.some((c, i) => c.flexible && widths[i]! < Math.min(natural[i]!, COMFORTABLE));
    const drop = fitted.columns.map((c) => Boolean(c.optional)).lastIndexOf(true);
    if ((total <= columns && !squeezed) || drop < 0) return fitted;
    fitted = { ...fitted, columns: fitted.columns.filter((_, i) => i !== drop), rows: fitted.rows.map((row) => row.filter((_, i) => i !== drop)) };
  }
}

function renderTable(all: ModelTable, columns: number, palette: Palette): string {
  const { rows, footnote } = folded(all);
  const model = fitColumns({ ...all, rows, footnote }, columns);
  const widths = columnWidths(model, columns);
  const table = new Table({
    head: model.columns.map((c) => palette.bold(c.header)),
    colWidths: widths,
    colAligns: model.columns.map((c) => c.align ?? 'left'),
    // Cells arrive wrapped already (at spaces where there are any, such as the arrows of a chain).
    wordWrap: false,
    style: { head: [], border: [], compact: true },
  });
  for (const row of model.rows) {
    table.push(
      row.map((cell, i) => {
        const [value, tone] = typeof cell === 'string' ? [cell, undefined] : [cell.text, cell.tone];
        return wrapCell(printable(value), widths[i]! - 2)
          .map((line) => paint(palette, line, tone))
          .join('\n');
      }),
    );
  }
  const lines: string[] = [];
  if (model.caption) lines.push(...wrapText(printable(model.caption), columns).map((line) => palette.bold(line)));
  lines.push(table.toString());
  if (model.footnote) lines.push(...wrapText(printable(model.footnote), columns).map((line) => palette.dim(line)));
  return lines.join('\n');
}

/**
 * Breaks a cell's text into lines of at most `room` columns: at spaces, and a word too long for a
 * line after `::`, `/` or `›`, else after `_` (inside an identifier's letters only when nothing else fits).
 */
export function wrapCell(value: string, room: number): string[] {
  if (width(value) <= room || room < 1) return [value];
  const lines: string[] = [];
  for (const line of wrapText(value, room)) {
    if (width(line) <= room) {
      lines.push(line);
      continue;
    }
    let current = '';
    // Between a name's parts first; at `_` only inside a part too long for a line.
    const pieces = line.split(/(?<=::|\/|›)/).flatMap((part) => (width(part) > room ? part.split(/(?<=_)/) : [part]));
    for (const piece of pieces) {
      if (current && width(current) + width(piece) > room) {
        lines.push(current);
        current = '';
      }
      current += piece;
      // A piece wider than a line on its own: cut, as the last resort.
      while (width(current) > room) {
        const points = [...current];
        lines.push(points.slice(0, room).join(''));
        current = points.slice(room).join('');
      }
    }
    if (current) lines.push(current);
  }
  return lines;
}

/** Breaks text at spaces into lines of at most `columns` (a longer word keeps its own line). */
export function wrapText(value: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  // A unit stays with its number: "+152 ms" never breaks between the two.
  const words: string[] = [];
  for (const word of value.split(' ')) {
    if (words.length && /^(ms|s|min|B|KiB|MiB|GiB|TiB)\b/.test(word)) words[words.length - 1] += ` ${word}`;
    else words.push(word);
  }
  for (const word of words) {
    if (line && width(line) + 1 + width(word) > columns) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}

/** Renders sections for a terminal `columns` wide. */
export function renderTerminal(sections: readonly Section[], columns: number, palette: Palette): string {
  const out: string[] = [];
  for (const section of sections) {
    out.push(palette.bold(palette.cyan(`== ${printable(section.title)}`)));
    for (const block of section.blocks) {
      if (block.kind === 'text') out.push(...wrapText(printable(block.text), columns).map((line) => paint(palette, line, block.tone)));
      else out.push(renderTable(block.table, columns, palette));
    }
    out.push('');
  }
  return out.join('\n');
}

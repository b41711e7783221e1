// The report for a terminal: cli-table3 tables sized to the terminal's width, colour only when
// the palette says so (a TTY without NO_COLOR).
import Table from 'cli-table3';
import type { Palette } from '../../lib/colour.ts';
import type { Cell, Section, Table as ModelTable, Tone } from './model.ts';

const MIN_FLEX = 16;

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

const cellText = (cell: Cell) => (typeof cell === 'string' ? cell : cell.text);
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
  const room = Math.max(MIN_FLEX * flexible.length, columns - fixed - borders);
  const flexNatural = flexible.reduce((sum, i) => sum + natural[i]!, 0);
  const widths = [...natural];
  for (const i of flexible) widths[i] = Math.max(MIN_FLEX, Math.floor((natural[i]! / flexNatural) * room));
  return widths;
}

function renderTable(model: ModelTable, columns: number, palette: Palette): string {
  const widths = columnWidths(model, columns);
  const table = new Table({
    head: model.columns.map((c) => palette.bold(c.header)),
    colWidths: widths,
    colAligns: model.columns.map((c) => c.align ?? 'left'),
    wordWrap: true,
    wrapOnWordBoundary: false,
    style: { head: [], border: [], compact: true },
  });
  for (const row of model.rows) table.push(row.map((cell) => (typeof cell === 'string' ? cell : paint(palette, cell.text, cell.tone))));
  const lines: string[] = [];
  if (model.caption) lines.push(palette.bold(model.caption));
  lines.push(table.toString());
  if (model.footnote) lines.push(palette.dim(model.footnote));
  return lines.join('\n');
}

/** Renders sections for a terminal `columns` wide. */
export function renderTerminal(sections: readonly Section[], columns: number, palette: Palette): string {
  const out: string[] = [];
  for (const section of sections) {
    out.push(palette.bold(palette.cyan(`== ${section.title}`)));
    for (const block of section.blocks) {
      if (block.kind === 'text') out.push(paint(palette, block.text, block.tone));
      else out.push(renderTable(block.table, columns, palette));
    }
    out.push('');
  }
  return out.join('\n');
}

// The report as one self-contained HTML file: inline CSS, inline SVG charts and a few lines of
// inline script (sortable tables). A Content-Security-Policy of default-src 'none' makes sure the
// page can load nothing from anywhere, so it works offline and leaks nothing when opened; its
// script-src names the hash of the report's own script, so that no other script can run, even if
// an escaping slip let one into the page.
import { createHash } from 'node:crypto';
import { VERSION } from '../../lib/version.ts';
import {
  benchmarkChart,
  comparisonChart,
  escapeHtml as e,
  fileColours,
  memoryChart,
  predictionsChart,
  slowestChart,
  slowestFiles,
  timelineChart,
  timelineFiles,
  trendChart,
} from './charts.ts';
import { formatBytes, formatMs, formatRatio, formatShare } from '../../lib/format.ts';
import { type Line, headline } from './comparison-sections.ts';
import type { Block, Cell, Column, Section, Table } from './sections.ts';
import type { TrendSeries } from './trend.ts';
import type { BudgetResult, ComparisonDocument, Loaded, ReportDocument } from './types.ts';

export interface HtmlInput {
  sections: Section[];
  documents: Loaded[];
  comparisons: ComparisonDocument[];
  budgets: BudgetResult[];
  series: TrendSeries[];
  next: Line[];
  now: Date;
}

const STYLE = `
:root { --fg:#1f2430; --muted:#6b7280; --line:#e5e7eb; --bg:#f7f8fa; --card:#fff; --bad:#d62728; --good:#2ca02c; --warn:#b7791f; --accent:#4e79a7; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
header { padding:20px 32px; background:#1f2430; color:#fff; }
header h1 { margin:0; font-size:20px; font-weight:600; }
header p { margin:4px 0 0; color:#c5cad3; font-size:13px; }
main { max-width:1100px; margin:0 auto; padding:16px 24px 48px; }
section { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:16px 20px; margin:16px 0; box-shadow:0 1px 2px rgba(0,0,0,.04); }
h2 { margin:0 0 8px; font-size:17px; }
h3 { margin:18px 0 6px; font-size:14px; color:var(--muted); font-weight:600; text-transform:uppercase; letter-spacing:.04em; }
p { margin:6px 0; }
.bad { color:var(--bad); font-weight:600; } .good { color:var(--good); font-weight:600; } .warn { color:var(--warn); } .dim { color:var(--muted); }
.verdict { font-size:16px; padding:10px 14px; border-radius:6px; background:#f3f4f6; }
.verdict.bad { background:#fdecec; } .verdict.good { background:#eaf6ea; }
table { border-collapse:collapse; width:100%; margin:6px 0; font-size:13px; }
th, td { padding:5px 8px; border-bottom:1px solid var(--line); text-align:left; vertical-align:top; white-space:nowrap; }
td.flex { white-space:normal; overflow-wrap:anywhere; }
th { background:#f3f4f6; cursor:pointer; user-select:none; white-space:nowrap; }
th.sorted-asc::after { content:" ▲"; } th.sorted-desc::after { content:" ▼"; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
caption { text-align:left; font-weight:600; padding:4px 0; }
.footnote { color:var(--muted); font-size:12px; }
.chart { display:block; margin:8px 0 4px; font-family:inherit; }
.chart text { fill:var(--fg); } .chart .tick { fill:var(--muted); font-size:11px; } .chart .file { fill:var(--muted); font-size:11px; }
.chart .grid { stroke:var(--line); } .chart .threshold { stroke:#d62728; stroke-dasharray:2 4; opacity:.5; } .chart .zero { stroke:#9ca3af; stroke-dasharray:3 3; }
.chart .whisker { stroke:#1f2430; stroke-width:1.5; opacity:.55; }
.chart rect.flaky { stroke:var(--bad); stroke-width:2; stroke-dasharray:4 2; }
.chart .bar:hover rect, .chart .lane rect.span:hover, .chart .change:hover rect { opacity:.8; }
.chart .lane-bg { fill:#f3f4f6; } .chart .startup { fill:#9ca3af; opacity:.22; }
.chart rect.span { stroke:#fff; stroke-width:1; } .chart rect.span.failed { stroke:var(--bad); stroke-width:2; }
.chart .area { fill:#4e79a7; opacity:.25; } .chart .line { fill:none; stroke:#4e79a7; stroke-width:2; }
.chart .band { fill:#f28e2b; opacity:.08; } .chart .band.odd { fill:#59a14f; } .chart .boundary { stroke:#f28e2b; stroke-width:1; opacity:.6; }
.chart .test-span:hover .band { opacity:.25; }
.chart .peak { fill:var(--bad); }
.chart .prediction rect { fill:#a0b8d3; } .chart .prediction.recommended rect { fill:#2ca02c; }
.chart .trend-area { fill:#4e79a7; opacity:.08; } .chart .in-span { fill:#fff; font-size:11px; pointer-events:none; }
.chart .trend { fill:none; stroke:#4e79a7; stroke-width:2; } .chart .dot { fill:#4e79a7; }
.chart .change rect { fill:#bab0ac; } .chart .change.regressed rect { fill:var(--bad); } .chart .change.improved rect { fill:var(--good); }
.legend { display:flex; flex-wrap:wrap; gap:4px 14px; font-size:12px; color:var(--muted); margin:2px 0 6px; }
.legend span::before { content:""; display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:5px; background:var(--swatch); vertical-align:-1px; }
.cards { display:grid; grid-template-columns:repeat(auto-fit, minmax(150px, 1fr)); gap:10px; margin:12px 0 6px; }
.card { border:1px solid var(--line); border-radius:8px; padding:10px 12px; background:#fbfbfc; }
.card .kpi { font-size:22px; font-weight:650; font-variant-numeric:tabular-nums; line-height:1.2; }
.card .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.card .sub { color:var(--muted); font-size:12px; overflow-wrap:anywhere; }
.card.bad, .card.good { font-weight:400; }
.card.bad { border-color:#f5c2c2; background:#fdf2f2; } .card.bad .kpi { color:var(--bad); }
.card.good { border-color:#c6e7c6; background:#f2faf2; } .card.good .kpi { color:var(--good); }
footer { text-align:center; color:var(--muted); font-size:12px; padding:12px; }
section.next { border-left:4px solid var(--accent); }
section.next ul { margin:6px 0 0; padding-left:20px; } section.next li { margin:3px 0; }
.headline { font-size:15px; font-weight:600; margin:0 0 6px; }
details.more { margin:2px 0 8px; } details.more summary { cursor:pointer; color:var(--accent); font-size:13px; }
.legend span.line::before { height:3px; vertical-align:3px; } .legend span.dot::before { border-radius:50%; }
.chart .range { stroke:#4e79a7; stroke-width:1.5; opacity:.35; } .chart .series-title { font-weight:600; font-size:12px; }
.chart .change-mark { fill:none; stroke-width:2.5; } .chart .change-mark.regressed { stroke:var(--bad); } .chart .change-mark.improved { stroke:var(--good); }
.chart .mark-label { font-size:11px; font-weight:600; } .chart .mark-label.regressed { fill:var(--bad); } .chart .mark-label.improved { fill:var(--good); }
.chart .change.inconclusive rect { fill:#edc948; }
.trends h3 { margin-top:10px; }
`;

// Sorts a table by the clicked column: numbers by value (ms, s, %, MiB understood), text otherwise.
const SCRIPT = `
(function () {
  var units = { ms: 1, s: 1000, min: 60000, B: 1, KiB: 1024, MiB: 1048576, GiB: 1073741824, '%': 1 };
  function value(text) {
    var m = /^([+-]?\\d+(?:\\.\\d+)?)\\s*(ms|s|min|B|KiB|MiB|GiB|%)?/.exec(text.trim());
    return m ? parseFloat(m[1]) * (units[m[2]] || 1) : null;
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('th').forEach(function (th, column) {
      th.addEventListener('click', function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var descending = !th.classList.contains('sorted-desc');
        table.querySelectorAll('th').forEach(function (other) { other.classList.remove('sorted-asc', 'sorted-desc'); });
        th.classList.add(descending ? 'sorted-desc' : 'sorted-asc');
        rows.sort(function (a, b) {
          var x = a.cells[column].textContent, y = b.cells[column].textContent;
          var vx = value(x), vy = value(y);
          var order = vx !== null && vy !== null ? vx - vy : x.localeCompare(y);
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  document.body.setAttribute('data-ready', 'true');
})();
`;

function cellHtml(cell: Cell, column: Column | undefined): string {
  const [value, tone] = typeof cell === 'string' ? [cell, undefined] : [cell.text, cell.tone];
  const classes = [column?.align === 'right' ? 'num' : '', column?.flexible ? 'flex' : '', tone ?? ''].filter(Boolean).join(' ');
  return `<td${classes ? ` class="${classes}"` : ''}>${e(value)}</td>`;
}

function tableHtml(table: Table, rows: readonly Cell[][]): string {
  const head = table.columns.map((c) => `<th${c.align === 'right' ? ' class="num"' : ''}>${e(c.header)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell, i) => cellHtml(cell, table.columns[i])).join('')}</tr>`).join('\n');
  return `<table class="sortable"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function blockHtml(block: Block, isVerdict: boolean): string {
  if (block.kind === 'text') {
    const classes = [isVerdict ? 'verdict' : '', block.tone ?? ''].filter(Boolean).join(' ');
    return `<p${classes ? ` class="${classes}"` : ''}>${e(block.text)}</p>`;
  }
  const { table } = block;
  // The page shows every row: those past --top fold away under a summary that opens them.
  const shown = Math.min(table.shown ?? table.rows.length, table.rows.length);
  const rest = table.rows.slice(shown);
  return (
    (table.caption ? `<h3>${e(table.caption)}</h3>` : '') +
    tableHtml(table, table.rows.slice(0, shown)) +
    (rest.length ? `<details class="more"><summary>${e(`${rest.length} more ${table.what ?? 'rows'}`)}</summary>${tableHtml(table, rest)}</details>` : '') +
    (table.footnote ? `<p class="footnote">${e(table.footnote)}</p>` : '')
  );
}

/** Swatches for files, in the colours the page gives them. */
function legend(entries: readonly string[], colours: ReadonlyMap<string, string>): string {
  return `<div class="legend">${entries
    .slice(0, 12)
    .map((file) => `<span style="--swatch:${colours.get(file) ?? 'transparent'}">${e(file)}</span>`)
    .join('')}${entries.length > 12 ? `<span style="--swatch:transparent">${entries.length - 12} more files</span>` : ''}</div>`;
}

const MEMORY_LEGEND =
  '<div class="legend"><span class="line" style="--swatch:#4e79a7">RSS of the process tree</span><span style="--swatch:#f8e2cc">a test running (bands alternate)</span>' +
  '<span style="--swatch:#deecdb">the next test</span><span class="dot" style="--swatch:#d62728">peak</span></div>';

interface Card {
  label: string;
  value: string;
  sub?: string;
  tone?: 'bad' | 'good';
}

function cardsHtml(cards: readonly Card[]): string {
  if (cards.length === 0) return '';
  return `<div class="cards">${cards
    .map((c) => `<div class="card${c.tone ? ` ${c.tone}` : ''}"><div class="label">${e(c.label)}</div><div class="kpi">${e(c.value)}</div>${c.sub ? `<div class="sub">${e(c.sub)}</div>` : ''}</div>`)
    .join('')}</div>`;
}

/** The few figures a reader wants first, as cards above the charts. */
function cardsFor(document: ReportDocument | undefined): Card[] {
  if (!document) return [];
  switch (document.kind) {
    case 'profile': {
      const s = document.summary;
      const slowest = [...document.tests].sort((a, b) => b.durationMs.median - a.durationMs.median)[0];
      const bad = s.counts.failed + s.counts.error;
      return [
        { label: 'wall time', value: formatMs(s.wallMs.median), sub: s.runs > 1 ? `median of ${s.runs} runs, MAD ${formatMs(s.wallMs.mad)}` : '1 run' },
        { label: 'tests', value: String(s.counts.total), sub: `${s.counts.passed} passed${bad ? `, ${bad} failed` : ''}${s.counts.skipped ? `, ${s.counts.skipped} skipped` : ''}`, ...(bad ? { tone: 'bad' as const } : {}) },
        ...(slowest ? [{ label: 'slowest test', value: formatMs(slowest.durationMs.median), sub: `${slowest.file}::${slowest.name}` }] : []),
        { label: 'workers', value: String(s.workers ?? 1), sub: s.parallelEfficiency !== undefined && s.parallelEfficiency !== null ? `parallel efficiency ${formatShare(s.parallelEfficiency)}` : undefined },
        { label: 'flaky', value: String(s.flaky), ...(s.flaky ? { tone: 'bad' as const } : {}) },
      ];
    }
    case 'memory':
      return [
        { label: 'peak RSS', value: formatBytes(document.peak.sampledRssBytes), sub: `at ${formatMs(document.peak.atMs)}` },
        { label: 'average RSS', value: formatBytes(document.peak.averageRssBytes) },
        { label: 'leak', value: document.leak.verdict, ...(document.leak.verdict === 'suspected-leak' ? { tone: 'bad' as const } : {}) },
        { label: 'processes', value: String(document.processes.length) },
      ];
    case 'optimization':
      return [
        { label: 'findings', value: String(document.summary.findings) },
        { label: 'savings', value: formatMs(document.summary.totalSavingsMs ?? null), sub: 'per run, each test counted once' },
        ...(document.parallel
          ? [{ label: 'recommended', value: `${document.parallel.recommended.workers} worker${document.parallel.recommended.workers === 1 ? '' : 's'}`, sub: document.parallel.recommended.command, tone: 'good' as const }]
          : []),
      ];
    case 'comparison': {
      const what = document.subject === 'benchmarks' ? 'benchmarks' : 'tests';
      const regressed = document.tests.filter((t) => t.regressed).length;
      const methods = { 'mann-whitney': 'Mann-Whitney U', summary: "Welch's t on summaries (weaker)", mixed: 'rank test or summaries', 'threshold-only': 'threshold-only' };
      return [
        { label: 'verdict', value: document.verdict, sub: `${methods[document.method]}, α = ${document.thresholds.alpha}${document.correction ? `, Holm over ${document.correction.family}` : ''}`, tone: document.verdict === 'regression' ? 'bad' : document.verdict === 'improvement' ? 'good' : undefined },
        { label: `${what} regressed`, value: String(regressed), sub: `of ${document.tests.length} compared`, ...(regressed ? { tone: 'bad' as const } : {}) },
        ...(document.total
          ? [{ label: 'total wall time', value: formatRatio(document.total.ratio), sub: `${formatMs(document.total.baselineMs)} → ${formatMs(document.total.currentMs)} (${document.total.status ?? 'unchanged'})`, ...(document.total.regressed ? { tone: 'bad' as const } : {}) }]
          : []),
        { label: what === 'tests' ? 'runs' : 'samples', value: `${document.baseline.runs} vs ${document.current.runs}`, sub: what === 'tests' ? 'baseline vs current' : 'median per benchmark' },
      ];
    }
    case 'benchmark': {
      const withSamples = document.benchmarks.filter((b) => b.samplesMs?.length).length;
      return [
        { label: 'benchmarks', value: String(document.benchmarks.length), sub: [...new Set(document.sources.map((s) => s.harness))].join(', ') },
        { label: 'raw samples', value: `${withSamples} of ${document.benchmarks.length}`, sub: withSamples === document.benchmarks.length ? 'rank test possible' : 'the rest: summaries only' },
        { label: 'machine', value: `${document.environment.cpus.count} CPUs`, sub: document.environment.cpus.model },
      ];
    }
    default:
      return [];
  }
}

function trendsHtml(series: readonly TrendSeries[]): string {
  const group = (kind: TrendSeries['kind'], title: string, height: number) => {
    const charts = series.filter((s) => s.kind === kind).map((s) => trendChart(s, { height })).filter(Boolean);
    return charts.length ? `<h3>${e(title)}</h3>${charts.join('')}` : '';
  };
  const marks = series.some((s) => s.points.some((p) => p.change))
    ? '<div class="legend"><span class="dot" style="--swatch:#d62728">change detected: slower (commit above)</span><span class="dot" style="--swatch:#2ca02c">change detected: faster</span><span class="line" style="--swatch:#a7bcd3">range of the runs</span></div>'
    : '';
  return `<div class="trends">${marks}${group('total', 'Wall time', 160)}${group('test', 'Slowest tests', 90)}${group('benchmark', 'Benchmarks', 90)}</div>`;
}

function chartsFor(section: Section, input: HtmlInput, top: number): string {
  if (section.kind === 'trend') return trendsHtml(input.series);
  const document = section.document;
  if (!document) return '';
  switch (document.kind) {
    case 'profile': {
      const timeline = timelineChart(document);
      const colours = fileColours(document);
      return (
        `<h3>Slowest tests</h3>${legend(slowestFiles(document, top), colours)}${slowestChart(document, top)}` +
        (timeline ? `<h3>Timeline (one lane per worker; the run of median wall time)</h3>${legend(timelineFiles(document), colours)}${timeline}` : '<p class="dim">No start and end times in this profile: no timeline.</p>')
      );
    }
    case 'memory':
      return `<h3>Memory over time</h3>${MEMORY_LEGEND}${memoryChart(document)}`;
    case 'optimization':
      return document.parallel ? `<h3>Predicted wall time per worker count</h3>${predictionsChart(document)}` : '';
    case 'comparison':
      return `<h3>Change per ${document.subject === 'benchmarks' ? 'benchmark' : 'test'}</h3>${comparisonChart(document, top)}`;
    case 'benchmark':
      return `<h3>Benchmarks</h3>${benchmarkChart(document, top)}`;
    default:
      return '';
  }
}

function nextHtml(input: HtmlInput): string {
  const head = headline({ comparisons: input.comparisons, budgets: input.budgets, documents: input.documents });
  const items = input.next.map((line) => `<li class="${line.tone}">${e(line.text)}</li>`).join('\n');
  return `<section class="next"><h2>What to do next</h2><p class="headline ${head.tone}">${e(head.text)}</p><ul>\n${items}\n</ul></section>`;
}

/** The Content-Security-Policy source of the report's own script. */
export const scriptHash = `'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`;

/** Renders the whole report as one HTML page. */
export function renderHtml(input: HtmlInput, top = 15): string {
  const body: string[] = [nextHtml(input)];
  for (const section of input.sections) {
    const document = section.document;
    // The leading lines (verdict, command, environment) come before the charts, the tables after.
    const leading = section.blocks.findIndex((block) => block.kind !== 'text');
    const split = leading < 0 ? section.blocks.length : leading;
    const html = section.blocks.map((block, i) => blockHtml(block, section.kind === 'comparison' && i === 0));
    body.push(
      `<section class="${section.kind}"><h2>${e(section.title)}</h2>\n${html.slice(0, split).join('\n')}\n${cardsHtml(cardsFor(document))}${chartsFor(section, input, top)}\n${html.slice(split).join('\n')}</section>`,
    );
  }
  const kinds = [...new Set(input.sections.map((s) => s.kind))].join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src ${scriptHash}; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>testpace report</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>testpace report</h1><p>${e(kinds)} · generated ${e(input.now.toISOString())} by testpace-report ${e(VERSION)}</p></header>
<main>
${body.join('\n')}
</main>
<footer>Self-contained: this file loads nothing from the network and runs no script but its own. Hover a bar for details; click a column header to sort.</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

// The HTML report in headless Chromium: what the page shows (issue 19's list), that it loads nothing
// and runs no script but its own (issue 17, item 10), and the screenshots in docs/, taken here from
// the fixtures of real runs (tests/fixtures/report, `make report-fixtures`). A screenshot carries the
// hash of the page it shows: when the page changes, the test fails until `make update-golden`
// takes it again.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import { cli } from '../../tools/report/cli.ts';
import { medianRun } from '../../tools/report/sections.ts';
import { memoryIo, repoRoot, tempDir } from '../helpers.ts';
import { around, buildProfile } from './builders.ts';
import { visit } from './chromium.ts';
import { countColour, decodePng, pngText, withPngText } from './png.ts';

const XSS = '<img src=x onerror=alert(1)>';
const documentsDir = path.join(repoRoot, 'tests', 'fixtures', 'documents');
const reportFixtures = path.join(repoRoot, 'tests', 'fixtures', 'report');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
// A fixed time for the pages the screenshots are taken of.
const EPOCH = '1795500000';

/** A suite of 12 tests on three xdist workers, one of them named like an attack. */
function suite(shift: number, createdAt: string) {
  const files = ['tests/test_api.py', 'tests/test_db.py', 'tests/test_views.py'];
  return buildProfile(
    Array.from({ length: 12 }, (_, k) => ({
      file: files[k % 3]!,
      name: k === 4 ? XSS : k === 7 ? 'test_checkout_waits_for_the_payment_gateway_to_confirm_the_order' : `test_case_${k}`,
      durations: around(40 + ((k * 37) % 11) * 30 + (k % 4 === 0 ? shift * 10 : k % 4 === 1 ? -shift * 8 : 0), 6, 5, k),
      worker: `gw${k % 3}`,
    })),
    { createdAt },
  );
}

async function report(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = memoryIo({ cwd: dir, env: { NO_COLOR: '1', ...env } });
  const code = await cli(args, io);
  expect(io.err()).not.toMatch(/internal error/);
  return { code, err: io.err() };
}

/** Keeps docs/<name> the screenshot of `html`: rewritten with UPDATE_GOLDEN=1, else it must be of this very page. */
async function screenshotInDocs(name: string, html: string, shot: Buffer): Promise<void> {
  const file = path.join(repoRoot, 'docs', name);
  const hash = createHash('sha256').update(html).digest('hex');
  if (UPDATE) await writeFile(file, withPngText(shot, 'testpace-page-sha256', hash));
  const committed = await readFile(file);
  expect(pngText(committed, 'testpace-page-sha256'), `docs/${name} shows another page than the report renders now: run make update-golden`).toBe(hash);
}

describe('the HTML report in headless Chromium', () => {
  it('renders its charts and what to do next, one colour per file, folded rows, a typical run, and loads nothing', async () => {
    const dir = await tempDir();
    for (let i = 0; i < 4; i++) {
      await writeFile(path.join(dir, `run${i}.json`), JSON.stringify(suite(i * 0.3, `2026-11-2${i}T05:00:00.000Z`)));
      expect((await report(dir, [`run${i}.json`, '--history', 'history.jsonl', '--format', 'markdown', '--out', `run${i}.md`])).code).toBe(0);
    }
    const now = suite(12, '2026-11-24T05:00:00.000Z');
    await writeFile(path.join(dir, 'now.json'), JSON.stringify(now));
    const html = path.join(dir, 'report.html');
    const result = await report(dir, [
      'now.json',
      path.join(documentsDir, 'memory.json'),
      path.join(documentsDir, 'optimization.json'),
      '--history',
      'history.jsonl',
      '--top',
      '8',
      '--format',
      'html',
      '--out',
      'report.html',
    ]);
    expect(result.code).toBe(0);
    const source = await readFile(html, 'utf8');
    expect(source).toMatch(/content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[A-Za-z0-9+/]+=*'; img-src data:"/);
    expect(source).not.toContain(XSS);

    const url = pathToFileURL(html).href;
    const page = await visit(url, {
      ready: `document.body.dataset.ready`,
      first: `document.querySelector('main > section').className + ': ' + document.querySelector('main > section h2').textContent`,
      steps: `document.querySelectorAll('section.next li').length`,
      lanes: `[...document.querySelectorAll('svg.timeline g.lane')].map((g) => g.dataset.worker)`,
      timelineLabel: `document.querySelector('svg.timeline').getAttribute('aria-label')`,
      charts: `[...document.querySelectorAll('svg.chart')].map((s) => s.classList[1])`,
      images: `document.querySelectorAll('img').length`,
      hostileAsText: `[...document.querySelectorAll('td, text, title')].filter((n) => n.textContent.includes(${JSON.stringify(XSS)})).length`,
      externalUrls: `[...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.value)).filter((v) => /(https?:|ftp:)?\\/\\/|url\\(/i.test(v))`,
      scripts: `[...document.scripts].filter((s) => s.src).length + document.querySelectorAll('link, iframe, object, embed').length`,
      files: `[...document.querySelectorAll('section.profile h3')].map((h) => h.textContent).filter((t) => t.startsWith('Files'))`,
      // A file's colour in "Slowest tests" is its colour in the timeline.
      colourMismatches: `(() => {
        const first = (g) => g.querySelector('title').textContent.split('\\n')[0];
        const slowest = new Map([...document.querySelectorAll('svg.slowest g.bar')].map((g) => [first(g), g.querySelector('rect').getAttribute('fill')]));
        return [...document.querySelectorAll('svg.timeline g.span-group')].filter((g) => slowest.has(first(g)) && slowest.get(first(g)) !== g.querySelector('rect').getAttribute('fill')).length;
      })()`,
      // In "Change per test" no value label lies over a name, no row is a change of nothing, no name is cut at both ends.
      // …and every name starts inside the chart.
      clipped: `[...document.querySelectorAll('svg.comparison text.label, svg.slowest text.label')].filter((t) => t.getBBox().x < 0).length`,
      overlaps: `[...document.querySelectorAll('svg.comparison g.change')].filter((g) => {
        const name = g.querySelector('text.label').getBBox(), value = g.querySelector('text.value').getBBox();
        return value.x < name.x + name.width && name.x < value.x + value.width;
      }).length`,
      changeValues: `[...document.querySelectorAll('svg.comparison text.value')].map((t) => t.textContent)`,
      labels: `[...document.querySelectorAll('svg.comparison text.label, svg.slowest text.label')].map((t) => t.textContent)`,
      memoryLegend: `[...document.querySelectorAll('section.memory .legend span')].map((s) => s.textContent)`,
      // Rows past --top fold under a summary that opens them.
      folded: `(() => {
        const more = [...document.querySelectorAll('section.profile details.more')][0];
        const hidden = more.querySelector('table').checkVisibility();
        more.open = true;
        return [more.querySelector('summary').textContent, hidden, more.querySelector('table').checkVisibility(), more.querySelectorAll('tbody tr').length];
      })()`,
      sorted: `(() => {
        const table = [...document.querySelectorAll('section.profile table.sortable')].find((t) => t.tHead.textContent.includes('min–max'));
        const median = [...table.tHead.rows[0].cells].findIndex((c) => c.textContent === 'median');
        const column = () => [...table.tBodies[0].rows].map((r) => r.cells[median].textContent);
        table.tHead.rows[0].cells[median].click();
        const descending = column();
        table.tHead.rows[0].cells[median].click();
        return [descending, column()];
      })()`,
    });
    expect(page.dialogs).toEqual([]);
    expect(page.requests.filter((request) => request !== url)).toEqual([]);
    const [descending, ascending] = page.values.sorted as [string[], string[]];
    const ms = (cells: string[]) => cells.map((cell) => Number.parseFloat(cell) * (cell.endsWith(' s') ? 1000 : 1));
    expect(ms(descending)).toEqual([...ms(descending)].sort((a, b) => b - a));
    expect(ms(ascending)).toEqual([...ms(descending)].reverse());
    const typical = medianRun(now as ProfileDocument)!;
    const { changeValues, labels, ...values } = page.values as Record<string, unknown> & { changeValues: string[]; labels: string[] };
    delete values.sorted;
    expect(values).toEqual({
      ready: 'true',
      first: 'next: What to do next',
      steps: expect.any(Number),
      lanes: ['gw0', 'gw1', 'gw2'],
      timelineLabel: `Timeline of run ${typical.index} (the run of median wall time): 3 worker lane(s)`,
      charts: ['comparison', 'slowest', 'timeline', 'memory', 'predictions', 'trend', 'trend', 'trend', 'trend', 'trend', 'trend'],
      images: 0,
      hostileAsText: expect.any(Number),
      externalUrls: [],
      scripts: 0,
      files: ["Files (sum of their tests' medians)"],
      colourMismatches: 0,
      overlaps: 0,
      clipped: 0,
      memoryLegend: ['RSS of the process tree', 'a test running (bands alternate)', 'the next test', 'peak'],
      folded: ['4 more tests', false, true, 4],
    });
    expect(values.steps).toBeGreaterThanOrEqual(2);
    expect(values.hostileAsText).toBeGreaterThanOrEqual(3);
    expect(changeValues.filter((v) => /^[+-]?0\.0 ms/.test(v))).toEqual([]);
    expect(labels.filter((l) => l.startsWith('…') && l.includes('…', 1))).toEqual([]);
    expect(labels.some((l) => /^test_checkout_wai.*…/.test(l))).toBe(true);

    const image = decodePng(page.screenshot);
    expect(image.width).toBe(1200);
    expect(image.height).toBeGreaterThan(1500);
    // Not blank: the bars and lanes are drawn in the chart colours.
    expect(countColour(image, [0x4e, 0x79, 0xa7])).toBeGreaterThan(2000);
    expect(countColour(image, [0xf2, 0x8e, 0x2b])).toBeGreaterThan(500);
  }, 120_000);

  it("runs its own script and no other: a script or handler that slipped into the page stays inert", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'now.json'), JSON.stringify(suite(0, '2026-11-24T05:00:00.000Z')));
    expect((await report(dir, ['now.json', '--format', 'html', '--out', 'report.html'])).code).toBe(0);
    // The exact input: what an escaping slip would let through, put into the page by hand.
    const html = await readFile(path.join(dir, 'report.html'), 'utf8');
    const injected = html.replace('<main>', `<main><script>document.body.dataset.injected = 'script';</script><img src="data:image/png;base64,AAAA" onerror="document.body.dataset.injected = 'handler'"><svg><a href="javascript:document.body.dataset.injected='link'"><text>x</text></a></svg>`);
    expect(injected).not.toBe(html);
    await writeFile(path.join(dir, 'injected.html'), injected);
    const url = pathToFileURL(path.join(dir, 'injected.html')).href;
    const page = await visit(url, { ready: 'document.body.dataset.ready', injected: 'document.body.dataset.injected ?? null' });
    expect(page.values).toEqual({ ready: 'true', injected: null });
    expect(page.requests.filter((r) => r !== url)).toEqual([]);
  }, 60_000);

  it('shows a real comparison of the pytest example (docs/report-html.png)', async () => {
    const html = path.join(await tempDir(), 'report.html');
    const result = await report(reportFixtures, ['pytest-new.json', '--baseline', 'pytest-base.json', path.join('..', 'documents', 'optimization.json'), '--format', 'html', '--out', html, '--no-config'], { SOURCE_DATE_EPOCH: EPOCH });
    expect(result.code).toBe(0);
    const page = await visit(pathToFileURL(html).href, { regressed: `[...document.querySelectorAll('svg.comparison g.change.regressed text.label')].map((t) => t.textContent)` }, { width: 1100, scale: 0.6, maxHeight: 2200 });
    expect(page.values.regressed).toEqual(['test_checkout_waits_for_payment_gateway test_checkout.py']);
    await screenshotInDocs('report-html.png', await readFile(html, 'utf8'), page.screenshot);
  }, 60_000);

  it('draws the trend of the history with the commits where a change was detected (docs/report-trend.png)', async () => {
    const html = path.join(await tempDir(), 'trend.html');
    const result = await report(reportFixtures, ['bench-new.json', '--baseline', 'bench-base.json', '--history', 'history.jsonl', '--no-record', '--format', 'html', '--out', html, '--no-config'], { SOURCE_DATE_EPOCH: EPOCH });
    expect(result.code).toBe(0);
    const source = await readFile(html, 'utf8');
    // The trend opens the page in the screenshot: the charts of the trend section only.
    const page = await visit(
      pathToFileURL(html).href,
      {
        marked: `[...document.querySelectorAll('svg.trend')].filter((s) => s.querySelector('.change-mark.regressed')).map((s) => s.querySelector('.series-title').textContent)`,
        series: `document.querySelectorAll('svg.trend').length`,
        top: `document.querySelector('section.trend').getBoundingClientRect().top + window.scrollY`,
      },
      { width: 1100, scale: 0.6, maxHeight: 4000 },
    );
    // The slowed test and the slowed benchmark, and nothing else, are marked slower where they changed.
    expect(page.values.marked).toEqual(['tests/test_app.py::test_search_ranks_results', 'bench/test_bench.py::test_parse_document']);
    expect(page.values.series).toBeGreaterThanOrEqual(6);
    const trend = await visit(pathToFileURL(html).href, {}, { width: 1100, scale: 0.6, top: page.values.top as number, maxHeight: 1500 });
    expect(countColour(decodePng(trend.screenshot), [0xd6, 0x27, 0x28], 30)).toBeGreaterThan(20);
    await screenshotInDocs('report-trend.png', source, trend.screenshot);
  }, 90_000);
});

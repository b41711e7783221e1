import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../../tools/report/cli.ts';
import { memoryIo, repoRoot, tempDir } from '../helpers.ts';
import { around, buildProfile } from './builders.ts';
import { visit } from './chromium.ts';
import { countColour, decodePng } from './png.ts';

const XSS = '<img src=x onerror=alert(1)>';
const documentsDir = path.join(repoRoot, 'tests', 'fixtures', 'documents');

/** A suite of 12 tests on three xdist workers, one of them named like an attack. */
function suite(shift: number, createdAt: string) {
  const files = ['tests/test_api.py', 'tests/test_db.py', 'tests/test_views.py'];
  return buildProfile(
    Array.from({ length: 12 }, (_, k) => ({
      file: files[k % 3]!,
      name: k === 4 ? XSS : `test_case_${k}`,
      durations: around(40 + ((k * 37) % 11) * 30 + shift, 6, 5, k),
      worker: `gw${k % 3}`,
    })),
    { createdAt },
  );
}

async function report(dir: string, args: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await cli(args, io);
  expect(io.err()).not.toMatch(/internal error/);
  return { code, err: io.err() };
}

describe('the HTML report in headless Chromium', () => {
  it('renders its charts, keeps one timeline lane per worker, loads nothing from the network and shows a hostile test name as text', async () => {
    const dir = await tempDir();
    for (let i = 0; i < 4; i++) {
      await writeFile(path.join(dir, `run${i}.json`), JSON.stringify(suite(i * 3, `2026-11-2${i}T05:00:00.000Z`)));
      expect((await report(dir, [`run${i}.json`, '--history', 'history.jsonl', '--format', 'markdown', '--out', `run${i}.md`])).code).toBe(0);
    }
    await writeFile(path.join(dir, 'now.json'), JSON.stringify(suite(15, '2026-11-24T05:00:00.000Z')));
    const html = path.join(dir, 'report.html');
    const result = await report(dir, [
      'now.json',
      path.join(documentsDir, 'memory.json'),
      path.join(documentsDir, 'optimization.json'),
      '--history',
      'history.jsonl',
      '--format',
      'html',
      '--out',
      'report.html',
    ]);
    expect(result.code).toBe(0);
    const source = await readFile(html, 'utf8');
    expect(source).toContain(`content="default-src 'none'`);
    expect(source).not.toContain(XSS);

    const url = pathToFileURL(html).href;
    const page = await visit(url, {
      ready: `document.body.dataset.ready`,
      lanes: `[...document.querySelectorAll('svg.timeline g.lane')].map((g) => g.dataset.worker)`,
      charts: `[...document.querySelectorAll('svg.chart')].map((s) => s.classList[1])`,
      images: `document.querySelectorAll('img').length`,
      hostileAsText: `[...document.querySelectorAll('td, text, title')].filter((n) => n.textContent.includes(${JSON.stringify(XSS)})).length`,
      externalUrls: `[...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.value)).filter((v) => /(https?:|ftp:)?\\/\\/|url\\(/i.test(v))`,
      scripts: `[...document.scripts].filter((s) => s.src).length + document.querySelectorAll('link, iframe, object, embed').length`,
      // Clicking a column header sorts the table by it, by value (ms), descending then ascending.
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
    delete page.values.sorted;
    expect(page.values).toEqual({
      ready: 'true',
      lanes: ['gw0', 'gw1', 'gw2'],
      charts: ['comparison', 'slowest', 'timeline', 'memory', 'predictions', 'trend'],
      images: 0,
      hostileAsText: expect.any(Number),
      externalUrls: [],
      scripts: 0,
    });
    expect(page.values.hostileAsText).toBeGreaterThanOrEqual(3);

    const image = decodePng(page.screenshot);
    expect(image.width).toBe(1200);
    expect(image.height).toBeGreaterThan(1500);
    // Not blank: the bars and lanes are drawn in the chart colours.
    expect(countColour(image, [0x4e, 0x79, 0xa7])).toBeGreaterThan(2000);
    expect(countColour(image, [0xf2, 0x8e, 0x2b])).toBeGreaterThan(500);
    expect(countColour(image, [0x59, 0xa1, 0x4f])).toBeGreaterThan(500);
  }, 120_000);
});

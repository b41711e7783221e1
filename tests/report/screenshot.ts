// Takes a PNG screenshot of an HTML report in headless Chromium (for docs/report-html.png):
//   node scripts/run-ts.mjs tests/report/screenshot.ts report.html out.png [scale] [top] [height]
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { visit } from './chromium.ts';

const [html, out, scale = '1', top = '0', height = '6000'] = process.argv.slice(2);
if (!html || !out) throw new Error('usage: screenshot.ts <report.html> <out.png> [scale] [top] [height]');
const page = await visit(pathToFileURL(path.resolve(html)).href, {}, { width: 1100, scale: Number(scale), top: Number(top), maxHeight: Number(height) });
await writeFile(out, page.screenshot);

import { execFileSync } from 'node:child_process';
import { lstat, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { colourEnabled, palette } from '../../lib/colour.ts';
import { formatDocument, writeFileAtomic, writeProduct } from '../../lib/output.ts';
import { createProgress } from '../../lib/progress.ts';
import { mad, median, outliers, quantile, summarize } from '../../lib/stats.ts';
import { memoryIo, tempDir } from '../helpers.ts';

describe('writing the product', () => {
  it('replaces a file atomically and leaves no temp file behind', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'deep', 'out.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(await readFile(file, 'utf8')).toBe('two');
    expect(await readdir(path.dirname(file))).toEqual(['out.json']);
  });

  it('never leaves a half-written document under concurrent writers', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'doc.json');
    const big = (n: number) => formatDocument({ n, pad: 'x'.repeat(200_000) });
    await Promise.all(Array.from({ length: 8 }, (_, n) => writeFileAtomic(file, big(n))));
    expect(JSON.parse(await readFile(file, 'utf8')).pad).toHaveLength(200_000);
  });

  it('writes through a link to the file it points to, and leaves the link in place', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'real'));
    await writeFile(path.join(dir, 'real', 'doc.json'), 'old');
    await symlink(path.join('real', 'doc.json'), path.join(dir, 'doc.json'));
    await writeFileAtomic(path.join(dir, 'doc.json'), 'new');
    expect((await lstat(path.join(dir, 'doc.json'))).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(dir, 'real', 'doc.json'), 'utf8')).toBe('new');
    expect(await readdir(path.join(dir, 'real'))).toEqual(['doc.json']);
  });

  it('writes into a FIFO (or a device such as /dev/null) instead of renaming a file over it', async () => {
    const dir = await tempDir();
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const received = readFile(fifo, 'utf8');
    await writeFileAtomic(fifo, 'through the pipe');
    expect(await received).toBe('through the pipe');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(dir)).toEqual(['pipe']);
  });

  it('fails with a one-line input error when the target cannot be written', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'file'), 'x');
    await expect(writeFileAtomic(path.join(dir, 'file', 'sub.json'), 'x')).rejects.toThrow(/sub\.json: cannot write: ENOTDIR|cannot write/);
  });

  it('goes to stdout without --out, to the file (relative to cwd) with it', async () => {
    const dir = await tempDir();
    const io = memoryIo({ cwd: dir });
    await writeProduct(io, undefined, 'to stdout\n');
    await writeProduct(io, 'out.txt', 'to file\n');
    expect(io.out()).toBe('to stdout\n');
    expect(await readFile(path.join(dir, 'out.txt'), 'utf8')).toBe('to file\n');
  });
});

describe('colour and progress', () => {
  it('colours only a TTY, and never with NO_COLOR', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(palette(false).red('x')).toBe('x');
    expect(palette(true).red('x')).toBe('\u001b[31mx\u001b[39m');
  });

  it('draws a progress line only on a TTY', () => {
    const plain = memoryIo();
    const progress = createProgress(plain);
    progress.update('working');
    progress.done();
    expect(plain.err()).toBe('');

    const tty = memoryIo();
    Object.assign(tty.stderr, { isTTY: true, columns: 20 });
    let now = 0;
    const line = createProgress(tty, () => now);
    line.update('parsing 1 of 3');
    line.update('parsing 2 of 3'); // within 100 ms: skipped
    now = 200;
    line.update('a very long line that does not fit');
    line.done();
    expect(tty.err()).toBe('\r\u001b[Kparsing 1 of 3\r\u001b[Ka very long line t…\r\u001b[K');
  });
});

describe('statistics', () => {
  it('computes median, MAD and quantiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6);
  });

  it('summarises runs and flags outliers without dropping them', () => {
    const values = [100, 101, 99, 100, 250];
    expect(summarize(values)).toEqual({ runs: 5, min: 99, median: 100, max: 250, mad: 1, mean: 130, values });
    expect(outliers([100, 101, 99, 100, 102, 98, 100, 101, 99, 250])).toEqual([9]);
    expect(outliers([5, 5, 5, 5, 5, 5, 5, 5, 5, 5])).toEqual([]);
  });

  it('flags outliers only with enough runs: none below 10, and rarely in samples without one', () => {
    // 3 runs flagged a third of a real suite's tests: no flag below OUTLIER_MIN_RUNS.
    expect(outliers(values5())).toEqual([]);
    expect(outliers([100, 101, 99, 100, 102, 98, 100, 101, 250])).toEqual([]);
    // Normal samples of 10 runs from a fixed seed: the rule fires on few of them.
    let state = 7;
    const next = () => ((state = (state * 16807) % 2147483647) / 2147483647);
    const normal = () => Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
    let flagged = 0;
    for (let t = 0; t < 2000; t++) if (outliers(Array.from({ length: 10 }, () => 100 + 5 * normal())).length) flagged++;
    expect(flagged / 2000).toBeLessThan(0.06);
  });
});

function values5(): number[] {
  return [100, 101, 99, 100, 250];
}

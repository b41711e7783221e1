// Issue 17, items 4 to 6 for JUnit XML read by `testpace-profile --junit`: unreadable times stay
// unknown with one warning line, absurd attribute values are cut (and the document says so), and the
// encoding comes from the byte-order mark or the XML declaration. Each case is the input,
// written by the profiled command itself (cp), through the real binary.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import { runBinary, tempDir } from '../helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('testpace-junit-inputs-');
});
afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await rm(dir, { recursive: true, force: true });
});

/** Profiles a command that writes `bytes` as its JUnit report; returns the exit code, stderr and the document. */
async function profileJunit(name: string, bytes: Uint8Array | string) {
  await writeFile(path.join(dir, name), bytes);
  const result = await runBinary('profile', ['-q', '--junit', `out-${name}`, '-o', `${name}.json`, '--', 'cp', name, `out-${name}`], { cwd: dir });
  const document = validateDocument<ProfileDocument>(JSON.parse(await readFile(path.join(dir, `${name}.json`), 'utf8')), name, ['profile']);
  return { ...result, document };
}

const suite = (cases: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="s">\n${cases}</testsuite></testsuites>\n`;

describe('JUnit times', () => {
  it('keeps abc, -5, 1e400 and empty times unknown, not 0, with one warning line naming a test', async () => {
    const xml = suite(
      ['abc', '-5', '1e400', ''].map((time, i) => `<testcase classname="t" name="case${i}" time="${time}"/>\n`).join('') + '<testcase classname="t" name="ok" time="0.25"/>\n',
    );
    const { code, stderr, document } = await profileJunit('times.xml', xml);
    expect(code).toBe(0);
    const warning = 'out-times.xml: 4 test cases have no readable time (first: t::case0, time="abc"); their durations are unknown, not 0';
    expect(document.warnings).toEqual([warning]);
    expect(stderr.split('\n').filter((line) => line.includes('no readable time'))).toEqual([`  warning: ${warning}`]);
    const run = document.runs[0]!.tests;
    expect(run.map((t) => [t.name, t.durationMs])).toEqual([
      ['case0', undefined],
      ['case1', undefined],
      ['case2', undefined],
      ['case3', undefined],
      ['ok', 250],
    ]);
    expect(document.tests.filter((t) => t.durationUnknown).map((t) => t.name).sort()).toEqual(['case0', 'case1', 'case2', 'case3']);
    expect(document.tests.find((t) => t.name === 'ok')).toMatchObject({ durationMs: { median: 250 } });
    expect(document.tests.find((t) => t.name === 'ok')!.durationUnknown).toBeUndefined();
  });
});

describe('JUnit attribute sizes', () => {
  // The attribute was 150 MB (read in 23 s by hand on a loaded 2-core machine, a 35 KB
  // document); 2 MB shows the same cut without the wait.
  it('cuts a name of 2 MB to 8192 characters and says so in the document', async () => {
    const long = 'x'.repeat(2_000_000);
    const { code, document } = await profileJunit('long.xml', suite(`<testcase classname="t" name="${long}" time="0.1"/>\n<testcase classname="t" name="ok" time="0.2"/>\n`));
    expect(code).toBe(0);
    expect(document.tests.map((t) => t.name.length).sort((a, b) => a - b)).toEqual([2, 8193]);
    expect(document.tests.find((t) => t.name.length > 2)!.name).toBe('x'.repeat(8192) + '…');
    expect(document.warnings).toEqual(['out-long.xml: 1 attribute value longer than 8192 characters cut to that length (first: testcase name, 2000000 characters, at line 3)']);
  });
});

describe('JUnit encodings', () => {
  const latin = (encoding: string) =>
    `<?xml version="1.0" encoding="${encoding}"?>\n<testsuites><testsuite name="s"><testcase classname="t" name="café crème" time="0.1"/></testsuite></testsuites>\n`;

  it.each([
    ['ISO-8859-1 declared', 'latin1.xml', Buffer.from(latin('ISO-8859-1'), 'latin1')],
    ['UTF-16 little-endian with its mark', 'utf16le.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(latin('UTF-16'), 'utf16le')])],
    ['UTF-16 big-endian with its mark', 'utf16be.xml', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(latin('UTF-16'), 'utf16le').swap16()])],
    ['UTF-8 with a byte-order mark', 'bom.xml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(latin('UTF-8'))])],
  ])('reads %s', async (_, name, bytes) => {
    const { code, document } = await profileJunit(name, bytes);
    expect(code).toBe(0);
    expect(document.tests.map((t) => t.name)).toEqual(['café crème']);
    expect(document.warnings).toBeUndefined();
  });

  it('says which encoding it does not know', async () => {
    await writeFile(path.join(dir, 'odd.xml'), latin('X-NOPE'));
    const result = await runBinary('profile', ['-q', '--junit', 'out-odd.xml', '-o', 'odd.json', '--', 'cp', 'odd.xml', 'out-odd.xml'], { cwd: dir });
    expect(result.stderr).toContain('out-odd.xml: not JUnit XML that can be read: its declaration names the encoding "X-NOPE", which is not one testpace knows');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

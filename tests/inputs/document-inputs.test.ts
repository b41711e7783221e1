// Issue 17, items 5 and 6 for JSON documents, through the real binary: a UTF-8 byte-order mark and
// UTF-16 with its mark are read, invalid UTF-8 is refused with its byte offset, and a document over
// the size limit is one line with its size and the limit, from a file or from stdin.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, repoRoot, runBinary, tempDir } from '../helpers.ts';

let dir: string;
let profile: Buffer;
beforeAll(async () => {
  dir = await tempDir('testpace-document-inputs-');
  profile = await readFile(path.join(repoRoot, 'tests/fixtures/report/pytest-new.json'));
});
afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await rm(dir, { recursive: true, force: true });
});

async function report(name: string, bytes: Uint8Array) {
  await writeFile(path.join(dir, name), bytes);
  return runBinary('report', [name, '--format', 'json', '--baseline', name], { cwd: dir });
}

describe('document encodings', () => {
  it('reads a document that starts with a UTF-8 byte-order mark', async () => {
    const result = await report('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), profile]));
    expect(result.stderr).not.toContain('Unexpected token');
    expect(result.code).toBe(0);
  });

  it('reads UTF-16 with its byte-order mark', async () => {
    const result = await report('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(profile.toString('utf8'), 'utf16le')]));
    expect(result.code).toBe(0);
  });

  it('refuses invalid UTF-8 with the byte offset, rather than reading U+FFFD into a test name', async () => {
    const at = profile.indexOf('test_checkout');
    const broken = Buffer.from(profile);
    broken[at] = 0xff;
    const result = await report('broken.json', broken);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `testpace-report: broken.json: not UTF-8: byte ${at} (0xff) does not begin or continue a UTF-8 character\n  documents are UTF-8 JSON; was the file re-encoded or truncated?\n`,
    );
  });
});

describe('document sizes', () => {
  const hint = '  a document this large is not one a testpace tool wrote; check that the right file was named\n';

  it('refuses a 1 GB file at once, with its size and the limit', async () => {
    const file = path.join(dir, 'huge.json');
    await writeFile(file, '');
    await truncate(file, 1024 ** 3); // sparse: no gigabyte is written
    const result = await runBinary('report', ['huge.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`testpace-report: huge.json: 1 GiB, over the limit of 256 MiB for a document\n${hint}`);
  });

  it('stops reading stdin past the limit, with the limit', async () => {
    const file = path.join(dir, 'huge.json');
    const fd = openSync(file, 'r');
    const child = spawn(process.execPath, [binary('report')], { cwd: dir, stdio: [fd, 'pipe', 'pipe'] });
    closeSync(fd);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toBe(`testpace-report: stdin: more than 256 MiB, over the limit of 256 MiB for a document\n${hint}`);
  });
});

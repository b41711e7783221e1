import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDocument, validateDocument } from '../../lib/read-document.ts';
import { InputError } from '../../lib/errors.ts';
import { documentKinds } from '../../lib/schemas.ts';
import { memoryIo, repoRoot, runBinary, tempDir, writeTree } from '../helpers.ts';

const samples = path.join(repoRoot, 'tests', 'fixtures', 'documents');
const sample = async (kind: string) => JSON.parse(await readFile(path.join(samples, `${kind}.json`), 'utf8'));

describe('document contracts', () => {
  it('has a valid sample document of every kind', async () => {
    const files = (await readdir(samples)).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual([...documentKinds].map((k) => `${k}.json`).sort());
    for (const kind of documentKinds) {
      expect(validateDocument(await sample(kind), `${kind}.json`).kind).toBe(kind);
    }
  });

  it('names the source, the JSON path and what was expected when a document breaks its schema', async () => {
    const doc = await sample('profile');
    doc.runs[0].tests[1].outcome = 'exploded';
    expect(() => validateDocument(doc, 'p.json')).toThrow(
      'p.json at $.runs[0].tests[1].outcome: not a valid profile document: expected one of "passed", "failed", "skipped", "error"',
    );
  });

  it('reports a missing property and an unexpected one', async () => {
    const doc = await sample('selection');
    delete doc.counts;
    expect(() => validateDocument(doc, 's.json')).toThrow('s.json at $: not a valid selection document: missing required property "counts"');
    const extra = await sample('memory');
    extra.peak.surprise = 1;
    expect(() => validateDocument(extra, 'm.json')).toThrow('m.json at $.peak: not a valid memory document: unexpected property "surprise"');
  });

  it('says which schemaVersion it expected and which it received', async () => {
    const doc = { ...(await sample('comparison')), schemaVersion: 2 };
    expect(() => validateDocument(doc, 'c.json')).toThrow('c.json at $.schemaVersion: expected schemaVersion 1, received 2');
  });

  it('refuses a document of the wrong kind when kinds are named', async () => {
    expect(() => validateDocument(sample, 'x.json', ['profile'])).toThrow(InputError);
    const doc = await sample('memory');
    expect(() => validateDocument(doc, 'x.json', ['profile'])).toThrow('x.json at $.kind: expected a profile document, received a memory document');
  });

  it('reads from stdin and from files relative to the working directory', async () => {
    const text = await readFile(path.join(samples, 'profile.json'), 'utf8');
    const fromStdin = await readDocument('-', memoryIo({ stdin: text }));
    expect(fromStdin.kind).toBe('profile');
    const fromFile = await readDocument('documents/selection.json', memoryIo({ cwd: path.join(repoRoot, 'tests', 'fixtures') }));
    expect(fromFile.kind).toBe('selection');
  });

  it('gives the line and column of broken JSON', async () => {
    await expect(readDocument('-', memoryIo({ stdin: '{\n  "kind": "profile",\n  oops\n}' }))).rejects.toThrow(/^stdin: not JSON at line 3 column 3/);
  });

  it('rejects empty stdin and a missing file', async () => {
    await expect(readDocument('-', memoryIo({ stdin: '  \n' }))).rejects.toThrow('stdin: empty input; expected a testpace JSON document');
    await expect(readDocument('nope.json', memoryIo())).rejects.toThrow('nope.json: no such file');
  });
});

describe('bad input through a built tool', () => {
  // report is the consumer of every kind; these hold for any tool that reads documents.
  it('gives one clear line and exit 2 for a document that fails its schema, a non-JSON file and empty stdin', async () => {
    const dir = await tempDir();
    const doc = await sample('profile');
    doc.status = 'great';
    await writeTree(dir, { 'bad.json': JSON.stringify(doc), 'notjson.json': 'hello' });

    const bad = await runBinary('report', ['bad.json'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^testpace-report: bad\.json at \$\.status: not a valid profile document: expected one of "passed", "failed", "interrupted", "error"\n$/);

    const notJson = await runBinary('report', ['notjson.json'], { cwd: dir });
    expect(notJson.code).toBe(2);
    expect(notJson.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(notJson.stderr).toMatch(/^testpace-report: notjson\.json: not JSON/);

    const empty = await runBinary('report', [], { cwd: dir, input: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^testpace-report: stdin: empty input; expected a testpace JSON document\n/);
    for (const result of [bad, notJson, empty]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

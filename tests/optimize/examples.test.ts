// testpace-optimize on the real example projects: every planted problem is found at its line with its
// rule and test identity, the clean control files get no finding, and the document validates.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import { crossesFiles, hazardOf } from '../../tools/optimize/findings.ts';
import type { Runner } from '../../tools/optimize/file-analysis.ts';
import { run } from '../../tools/optimize/run.ts';
import { examplesDir, memoryIo } from '../helpers.ts';
import { options } from './options.ts';

interface Planted {
  rule: string;
  file: string;
  line: number;
  test: string | null;
  titlePath: string[];
  detail?: { kind?: string };
}

interface Expected {
  runner: string;
  planted: Planted[];
  clean: string[];
}

interface Finding {
  rule: string;
  file: string;
  line: number;
  test?: { file: string; name: string };
  tests?: Array<{ file: string; name: string }>;
  hazard?: string;
  savings: { ms: number | null; basis: string };
}

interface OptimizationDocument {
  files: { analysed: number; failed: unknown[] };
  findings: Finding[];
  parallel: unknown;
  summary: { findings: number; byRule: Record<string, { count: number }> };
}

// Rules that belong to other tools (memory-growth is mem-profile's).
const OPTIMIZE_RULES = new Set(['sleep', 'real-network', 'real-database', 'subprocess', 'costly-fixture', 'parallel-unsafe', 'duplicate-test', 'slow-collection', 'slow-test']);

const runners = ['pytest', 'vitest', 'jest', 'mocha', 'node-test', 'bats'];

describe.each(runners)('the %s example', (runner) => {
  const dir = path.join(examplesDir, runner);
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
  let document: OptimizationDocument;
  let code: number;

  beforeAll(async () => {
    const io = memoryIo({ cwd: dir });
    code = await run(options(), io);
    document = JSON.parse(io.out()) as OptimizationDocument;
  });

  it('writes a valid optimization document and parses every file', () => {
    expect(code).toBe(0);
    expect(() => validateDocument(document, 'optimize output', ['optimization'])).not.toThrow();
    expect(document.files.failed).toEqual([]);
    expect(document.files.analysed).toBeGreaterThanOrEqual(6);
    expect(document.summary.findings).toBe(document.findings.length);
  });

  // jest and node --test give each file its own modules and process state, vitest its own modules: what a test
  // leaves there cannot reach another file, and within a file the order never changes. Not a finding there.
  const isolated = (p: Planted) => p.rule === 'parallel-unsafe' && !crossesFiles(runner as Runner, p.detail?.kind);
  const planted = expected.planted.filter((p) => OPTIMIZE_RULES.has(p.rule) && !isolated(p));
  const inIsolation = expected.planted.filter(isolated);
  if (inIsolation.length) {
    it.each(inIsolation.map((p) => [`${p.detail?.kind} at ${p.file}:${p.line}`, p] as const))('leaves %s alone: the runner isolates it', (_, p) => {
      expect(document.findings.filter((f) => f.file === p.file && f.line === p.line)).toEqual([]);
    });
  }
  it.each(planted.map((p) => [`${p.rule} at ${p.file}:${p.line}`, p] as const))('finds %s', (_, p) => {
    const found = document.findings.filter((f) => f.rule === p.rule && f.file === p.file && f.line === p.line);
    expect(found, JSON.stringify(document.findings.map((f) => `${f.rule} ${f.file}:${f.line}`))).toHaveLength(1);
    const finding = found[0]!;
    if (p.rule === 'parallel-unsafe') expect(finding.hazard).toBe(hazardOf(p.detail?.kind));
    if (p.titlePath.length) {
      // The runner-style name the profile adapters write: pytest Class::test, JS `describe > test`, bats the title.
      expect(finding.test?.name).toBe(p.titlePath.join(runner === 'pytest' ? '::' : ' > '));
    } else {
      // Fixture and hook findings name every test they run for.
      expect(finding.tests?.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('flags nothing in the clean control files', () => {
    const inClean = document.findings.filter((f) => expected.clean.includes(f.file));
    expect(inClean).toEqual([]);
  });

  it('reports nothing that was not planted', () => {
    const plantedPlaces = new Set(planted.map((p) => `${p.rule} ${p.file}:${p.line}`));
    const extra = document.findings.map((f) => `${f.rule} ${f.file}:${f.line}`).filter((place) => !plantedPlaces.has(place));
    expect(extra).toEqual([]);
  });
});

// The user's testpace config: testpace.config.json, package.json "testpace" or pyproject.toml
// [tool.testpace]. Declared edges, run-all globs, ignore globs and test globs.
import { parse as parseToml } from 'smol-toml';
import { InputError } from '../../lib/errors.ts';
import { readJson, readText } from './runners/common.ts';

export interface TestpaceConfig {
  source: string | null;
  /** Declared edges: a change to a file matching `from` affects files matching `to`. */
  edges: Array<{ from: string; to: string[] }>;
  runAll: string[];
  ignore: string[];
  tests: string[] | null;
}

function parseTestpaceConfig(value: unknown, source: string): TestpaceConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(source, 'expected an object with "edges", "runAll", "ignore" or "tests"');
  const record = value as Record<string, unknown>;
  const known = new Set(['edges', 'runAll', 'ignore', 'tests', '$schema']);
  for (const key of Object.keys(record)) {
    if (!known.has(key)) throw new InputError(source, `unknown setting "${key}"; expected edges, runAll, ignore or tests`, { jsonPath: `$.${key}` });
  }
  const globs = (key: string): string[] => {
    const v = record[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((g) => typeof g === 'string')) throw new InputError(source, 'expected an array of glob strings', { jsonPath: `$.${key}` });
    return v as string[];
  };
  const edges: TestpaceConfig['edges'] = [];
  const rawEdges = record.edges ?? [];
  if (!Array.isArray(rawEdges)) throw new InputError(source, 'expected an array of {"from": glob, "to": [globs]}', { jsonPath: '$.edges' });
  rawEdges.forEach((edge: unknown, index) => {
    const e = edge as { from?: unknown; to?: unknown };
    const to = typeof e?.to === 'string' ? [e.to] : e?.to;
    if (typeof e?.from !== 'string' || !Array.isArray(to) || !to.every((g) => typeof g === 'string')) {
      throw new InputError(source, 'expected {"from": glob, "to": glob or [globs]}', { jsonPath: `$.edges[${index}]` });
    }
    edges.push({ from: e.from, to: to as string[] });
  });
  return { source, edges, runAll: globs('runAll'), ignore: globs('ignore'), tests: record.tests === undefined ? null : globs('tests') };
}

export function loadTestpaceConfig(root: string, files: Set<string>): TestpaceConfig {
  if (files.has('testpace.config.json')) {
    const text = readText(root, 'testpace.config.json');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new InputError('testpace.config.json', `not JSON: ${(error as Error).message}`);
    }
    return parseTestpaceConfig(value, 'testpace.config.json');
  }
  const pkg = files.has('package.json') ? readJson(root, 'package.json') : null;
  if (pkg && pkg.testpace !== undefined) return parseTestpaceConfig(pkg.testpace, 'package.json "testpace"');
  if (files.has('pyproject.toml')) {
    let toml: { tool?: { testpace?: unknown } };
    try {
      toml = parseToml(readText(root, 'pyproject.toml')) as typeof toml;
    } catch (error) {
      throw new InputError('pyproject.toml', `not TOML: ${(error as Error).message.split('\n')[0]}`);
    }
    if (toml.tool?.testpace !== undefined) return parseTestpaceConfig(toml.tool.testpace, 'pyproject.toml [tool.testpace]');
  }
  return { source: null, edges: [], runAll: [], ignore: [], tests: null };
}

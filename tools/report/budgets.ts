// Budgets: absolute limits that fail CI whatever the history says. Written `SUBJECT <= LIMIT`:
//   total <= 180s            the suite's wall time (median of the profile's runs)
//   test <= 5s               every test's median
//   test:NAME <= 2s          one test (its file::name, or the name alone)
//   peak-rss <= 2GiB         the process tree's sampled peak (a memory document)
//   bench:NAME <= 40ms       one benchmark's median (bench alone: every benchmark)
// From --budget flags, and from the project's config: testpace.config.json "budgets",
// package.json "testpace": { "budgets" }, or pyproject.toml [tool.testpace] budgets, as a list of
// such lines or as a table of SUBJECT = LIMIT. A flag overrides the config's limit of the same subject.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parseSize } from '../../lib/cli.ts';
import { InputError, UsageError } from '../../lib/errors.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import { type BenchmarkDocument, benchmarkLabel } from './benchmark-document.ts';
import { formatBytes, formatMs } from '../../lib/format.ts';
import type { BudgetResult, Loaded, MemoryDocument } from './types.ts';

export interface Budget {
  /** As written, normalised: `total <= 180s`. */
  text: string;
  subject: 'total' | 'test' | 'peak-rss' | 'bench';
  /** For test:NAME and bench:NAME. */
  target?: string;
  /** Milliseconds, or bytes for peak-rss. */
  limit: number;
  /** Strictly below (`<`) rather than at most (`<=`). */
  strict: boolean;
  from: string;
  line?: number;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** A duration such as 40ms, 2.5s, 300us, 3min (a bare number is seconds), in ms; NaN when it is not one. */
export function parseBudgetDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|min|h)?$/.exec(text.trim());
  return match ? Number(match[1]) * DURATION_UNITS[match[2] ?? 's']! : NaN;
}

const SYNTAX = "SUBJECT <= LIMIT, such as 'total <= 180s', 'test <= 5s', 'peak-rss <= 2GiB' or 'bench:parse_large <= 40ms'";

/** Parses one budget; `fail` builds the error for the place it came from. */
export function parseBudget(text: string, from: string, fail: (what: string) => Error, line?: number): Budget {
  const match = /^\s*([a-z-]+)(?::(.+?))?\s*(<=|<)\s*(\S+)\s*$/.exec(text);
  if (!match) throw fail(`expected ${SYNTAX}, received ${JSON.stringify(text)}`);
  const [, rawSubject, target, operator, rawLimit] = match as unknown as [string, string, string | undefined, string, string];
  const subject = rawSubject === 'benchmark' ? 'bench' : rawSubject;
  if (subject !== 'total' && subject !== 'test' && subject !== 'peak-rss' && subject !== 'bench') {
    throw fail(`unknown budget subject "${rawSubject}" in ${JSON.stringify(text)}; expected total, test, test:NAME, peak-rss, bench or bench:NAME`);
  }
  if (target !== undefined && (subject === 'total' || subject === 'peak-rss')) throw fail(`"${subject}" takes no name, received ${JSON.stringify(text)}`);
  let limit: number;
  if (subject === 'peak-rss') {
    try {
      limit = parseSize(rawLimit, 'peak-rss');
    } catch {
      throw fail(`peak-rss: expected a size such as 2GiB or 512M, received "${rawLimit}"`);
    }
  } else {
    limit = parseBudgetDuration(rawLimit);
    if (!Number.isFinite(limit)) throw fail(`${subject}: expected a duration such as 180s, 40ms or 300us, received "${rawLimit}"`);
  }
  const name = target ? `${subject}:${target.trim()}` : subject;
  return { text: `${name} ${operator} ${rawLimit}`, subject, ...(target ? { target: target.trim() } : {}), limit, strict: operator === '<', from, ...(line ? { line } : {}) };
}

/** The budgets of --budget flags. */
export function flagBudgets(texts: readonly string[]): Budget[] {
  return texts.map((text) => parseBudget(text, '--budget', (what) => new UsageError(`--budget: ${what}`)));
}

interface ConfigFound {
  file: string;
  /** How people name it: testpace.config.json, package.json "testpace", pyproject.toml [tool.testpace]. */
  label: string;
  text: string;
  budgets: unknown;
}

function readConfig(dir: string): ConfigFound | undefined {
  const at = (name: string) => path.join(dir, name);
  const read = (file: string) => readFileSync(file, 'utf8');
  if (existsSync(at('testpace.config.json'))) {
    const text = read(at('testpace.config.json'));
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new InputError(at('testpace.config.json'), `not JSON: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(at('testpace.config.json'), 'expected an object');
    return { file: at('testpace.config.json'), label: 'testpace.config.json', text, budgets: (value as Record<string, unknown>).budgets };
  }
  if (existsSync(at('package.json'))) {
    const text = read(at('package.json'));
    let value: Record<string, unknown> | undefined;
    try {
      value = JSON.parse(text) as Record<string, unknown>;
    } catch {
      value = undefined; // a broken package.json is the package manager's business, not the report's
    }
    const section = value?.testpace;
    if (section && typeof section === 'object') return { file: at('package.json'), label: 'package.json "testpace"', text, budgets: (section as Record<string, unknown>).budgets };
  }
  if (existsSync(at('pyproject.toml'))) {
    const text = read(at('pyproject.toml'));
    let value: { tool?: { testpace?: Record<string, unknown> } };
    try {
      value = parseToml(text) as typeof value;
    } catch (error) {
      throw new InputError(at('pyproject.toml'), `not TOML: ${(error as Error).message.split('\n')[0]}`);
    }
    const section = value.tool?.testpace;
    if (section && typeof section === 'object') return { file: at('pyproject.toml'), label: 'pyproject.toml [tool.testpace]', text, budgets: section.budgets };
  }
  return undefined;
}

/** The first line of `text` that names `subject` (for annotations that point at the limit). */
function lineOf(text: string, needle: string): number | undefined {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  return index < 0 ? undefined : index + 1;
}

/** The budgets of the project's config: the first config found from `cwd` up to the project's root. */
export function configBudgets(cwd: string, root: string): Budget[] {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const found = readConfig(dir);
    if (found) {
      if (found.budgets === undefined) return [];
      const from = path.relative(cwd, found.file) || path.basename(found.file);
      const fail = (jsonPath: string) => (what: string) => new InputError(found.label === 'testpace.config.json' ? from : `${from} (${found.label})`, what, { jsonPath });
      const { budgets } = found;
      if (Array.isArray(budgets)) {
        return budgets.map((entry, i) => {
          if (typeof entry !== 'string') throw fail(`$.budgets[${i}]`)(`expected a string such as "total <= 180s"`);
          return parseBudget(entry, from, fail(`$.budgets[${i}]`), lineOf(found.text, entry));
        });
      }
      if (typeof budgets === 'object' && budgets !== null) {
        return Object.entries(budgets).map(([subject, limit]) => {
          if (typeof limit !== 'string' && typeof limit !== 'number') throw fail(`$.budgets.${subject}`)('expected a limit such as "180s"');
          return parseBudget(`${subject} <= ${String(limit)}`, from, fail(`$.budgets.${subject}`), lineOf(found.text, subject));
        });
      }
      throw fail('$.budgets')('expected a list such as ["total <= 180s"] or a table such as {"total": "180s"}');
    }
    if (dir === path.resolve(root) || path.dirname(dir) === dir) return [];
  }
}

/** Config budgets with the flags' put over them (a flag replaces the config's limit of the same subject). */
export function mergeBudgets(fromConfig: readonly Budget[], fromFlags: readonly Budget[]): Budget[] {
  const key = (b: Budget) => `${b.subject}:${b.target ?? ''}`;
  const flagged = new Set(fromFlags.map(key));
  return [...fromConfig.filter((b) => !flagged.has(key(b))), ...fromFlags];
}

const matches = (label: string, name: string, target: string) => label === target || name === target || label.endsWith(`::${target}`) || label.endsWith(`/${target}`);

/** Checks each budget against the documents (the current ones: never a baseline). */
export function checkBudgets(budgets: readonly Budget[], documents: readonly Loaded[]): BudgetResult[] {
  const profiles = documents.filter((d): d is Loaded<ProfileDocument> => d.document.kind === 'profile');
  const memories = documents.filter((d): d is Loaded<MemoryDocument> => d.document.kind === 'memory');
  const benches = documents.filter((d): d is Loaded<BenchmarkDocument> => d.document.kind === 'benchmark');
  const over = (value: number, b: Budget) => (b.strict ? value >= b.limit : value > b.limit);
  const base = (b: Budget) => ({ limit: b.text, from: b.from, ...(b.line ? { line: b.line } : {}) });
  const notChecked = (b: Budget, why: string): BudgetResult => ({ ...base(b), measured: null, value: null, basis: why, status: 'not-checked' });

  return budgets.map((b): BudgetResult => {
    switch (b.subject) {
      case 'total': {
        const profile = profiles[0];
        if (!profile) return notChecked(b, 'no profile among the documents');
        const wall = profile.document.summary.wallMs;
        return { ...base(b), measured: formatMs(wall.median), value: wall.median, basis: `median wall time of ${wall.runs} run${wall.runs === 1 ? '' : 's'} (${profile.source})`, status: over(wall.median, b) ? 'breached' : 'ok' };
      }
      case 'test': {
        const profile = profiles[0];
        if (!profile) return notChecked(b, 'no profile among the documents');
        const tests = profile.document.tests.filter((t) => !b.target || matches(`${t.file}::${t.name}`, t.name, b.target));
        if (tests.length === 0) return notChecked(b, `no test named ${b.target} in ${profile.source}`);
        const slowest = tests.reduce((a, t) => (t.durationMs.median > a.durationMs.median ? t : a));
        const offenders = tests.filter((t) => over(t.durationMs.median, b)).sort((x, y) => y.durationMs.median - x.durationMs.median);
        const runs = slowest.durationMs.runs;
        return {
          ...base(b),
          measured: formatMs(slowest.durationMs.median),
          value: slowest.durationMs.median,
          basis: `${b.target ? '' : `slowest of ${tests.length} tests, `}${slowest.file}::${slowest.name}, median of ${runs} run${runs === 1 ? '' : 's'}`,
          status: offenders.length ? 'breached' : 'ok',
          ...(offenders.length ? { over: offenders.map((t) => ({ file: t.file, name: t.name, value: t.durationMs.median })) } : {}),
        };
      }
      case 'peak-rss': {
        const memory = memories[0];
        if (!memory) return notChecked(b, 'no memory document among the documents (testpace-mem-profile writes one)');
        const peak = memory.document.peak.sampledRssBytes;
        return { ...base(b), measured: formatBytes(peak), value: peak, basis: `sampled peak RSS of the process tree every ${memory.document.intervalMs} ms (${memory.source})`, status: over(peak, b) ? 'breached' : 'ok' };
      }
      case 'bench': {
        const all = benches.flatMap((d) => d.document.benchmarks.map((bench) => ({ bench, source: d.source })));
        if (all.length === 0) return notChecked(b, 'no benchmark document among the documents');
        const chosen = all.filter(({ bench }) => !b.target || matches(benchmarkLabel(bench), bench.name, b.target));
        if (chosen.length === 0) return notChecked(b, `no benchmark named ${b.target}`);
        const slowest = chosen.reduce((a, c) => (c.bench.stats.median > a.bench.stats.median ? c : a));
        const offenders = chosen.filter(({ bench }) => over(bench.stats.median, b));
        return {
          ...base(b),
          measured: formatMs(slowest.bench.stats.median),
          value: slowest.bench.stats.median,
          basis: `${b.target ? '' : `slowest of ${chosen.length} benchmarks, `}${benchmarkLabel(slowest.bench)}, median of ${slowest.bench.stats.rounds} samples (${slowest.bench.harness})`,
          status: offenders.length ? 'breached' : 'ok',
          ...(offenders.length ? { over: offenders.map(({ bench }) => ({ file: bench.file ?? '', name: bench.name, value: bench.stats.median })) } : {}),
        };
      }
    }
  });
}

// Selection with symbols (issue 15): for each changed Python or JavaScript/TypeScript file, parse
// its base and current versions; a module-level change (or any doubt) keeps the file-level rule,
// a change inside function or class bodies selects only the tests that reach those names
// (python-symbols.ts, js-symbols.ts). The file's other edges (data files, scripts run, snapshots,
// mocks) and the tests that start subprocesses keep the file-level rule, since no name shows what
// they use. Symbol tables are cached by content (symbol-cache.ts): a warm run parses only the
// versions it has not seen.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { tryGit } from '../../lib/git.ts';
import type { Changes } from './changes.ts';
import { languageOf } from './extract.ts';
import { type Edge, type EdgeKind, type Graph, directoriesOf, isHub } from './graph.ts';
import { type JsSymbolTable, analyseJsFile, buildJsSymbolGraph, classifyJsChange } from './js-symbols.ts';
import type { Project, RunnerProject } from './project.ts';
import { type SymbolTable, analyse, buildSymbolGraph, classifyChange, fileOf, nameOf, selectBySymbols } from './python-symbols.ts';
import { createJsResolver } from './resolve-js.ts';
import { createPythonResolver } from './resolve-python.ts';
import { type Reason, type Selected, selectTests } from './select.ts';
import { type SymbolCache, gitVersions, openSymbolCache, textId } from './symbol-cache.ts';

export interface SymbolSelectInput {
  root: string;
  graph: Graph;
  starts: string[];
  tests: Map<string, RunnerProject[]>;
  deleted: Set<string>;
  changes: Changes;
  /** HEAD, for changed files named with --files (compared with their committed version). */
  head: string | null;
  existing: string[];
  project: Project;
  isTest: (file: string) => boolean;
  /** Where symbol tables are cached (null: not cached). */
  cacheDir: string | null;
  /** git's blob ids of clean tracked files (their cache ids), when known. */
  blobs: Map<string, string> | null;
  /** Counts for --debug: symbol tables parsed in this run, and taken from the cache. */
  stats: { parsed: number; cached: number };
}

/** Edges that an import states: the symbol graph stands for these when only bodies changed. */
const IMPORT_EDGES: Record<'python' | 'js', ReadonlySet<EdgeKind>> = {
  python: new Set<EdgeKind>(['python-import', 'package-init']),
  js: new Set<EdgeKind>(['import', 'type-import', 'require', 'dynamic-import']),
};
const SUBPROCESS_MODULES = /^(node:)?child_process$|^(execa|cross-spawn|zx|shelljs)$/;

/** One language's answer: the changed names, who uses what, and the files whose uses cannot be named. */
interface Part {
  seeds: string[];
  bodyChanged: Set<string>;
  users: Map<string, Set<string>>;
  /** Importers that keep the file rule (tests that start subprocesses, files that do not parse, doubt). */
  doubtful: (file: string) => boolean;
}

async function gitLine(root: string, args: string[]): Promise<string | null> {
  return (await tryGit(root, args))?.trim() || null;
}

type Parse<T> = (items: Array<[string, string]>) => Promise<Record<string, T> | null>;

async function readText(root: string, file: string): Promise<string | null> {
  return readFile(path.join(root, file), 'utf8').catch(() => null);
}

/** Tables for `files` (current versions) from the cache, parsing the rest with `parse`. */
async function currentTables<T>(input: SymbolSelectInput, files: string[], cache: SymbolCache<T>, parse: Parse<T>): Promise<Map<string, T> | null> {
  const tables = new Map<string, T>();
  const pending: Array<[string, string]> = [];
  const ids = new Map<string, string>();
  await Promise.all(
    files.map(async (file) => {
      const blob = input.blobs?.get(file);
      if (blob) {
        const id = `g${blob}`;
        ids.set(file, id);
        const known = cache.get(id);
        if (known !== undefined) {
          input.stats.cached++;
          return void tables.set(file, known);
        }
      }
      const text = await readText(input.root, file);
      if (text === null) return;
      const id = blob ? `g${blob}` : textId(text);
      ids.set(file, id);
      const known = cache.get(id);
      if (known !== undefined) {
        input.stats.cached++;
        tables.set(file, known);
      } else pending.push([file, text]);
    }),
  );
  return (await parsePending(input, pending, ids, tables, cache, parse)) ? tables : null;
}

/** Parses the versions no cache entry had, adding their tables to `tables` and the cache; false when the parser is missing (no python3). */
async function parsePending<T>(input: SymbolSelectInput, pending: Array<[string, string]>, ids: Map<string, string>, tables: Map<string, T>, cache: SymbolCache<T>, parse: Parse<T>): Promise<boolean> {
  input.stats.parsed += pending.length;
  if (pending.length === 0) return true;
  const parsed = await parse(pending);
  if (!parsed) return false;
  for (const [file] of pending) {
    const table = parsed[file];
    if (table === undefined) continue;
    tables.set(file, table);
    cache.set(ids.get(file)!, table);
  }
  return true;
}

/** The base versions' tables of `files`, by blob id from the cache or parsed. */
async function baseTables<T>(input: SymbolSelectInput, base: string, files: string[], cache: SymbolCache<T>, parse: Parse<T>): Promise<Map<string, T> | null> {
  const versions = await gitVersions(input.root, base, files);
  const tables = new Map<string, T>();
  const pending: Array<[string, string]> = [];
  const ids = new Map<string, string>();
  for (const [file, version] of versions) {
    if (!version) continue;
    ids.set(file, `g${version.blob}`);
    const known = cache.get(`g${version.blob}`);
    if (known !== undefined) {
      input.stats.cached++;
      tables.set(file, known);
    } else pending.push([file, version.text]);
  }
  return (await parsePending(input, pending, ids, tables, cache, parse)) ? tables : null;
}

async function pythonPart(input: SymbolSelectInput, base: string, candidates: string[]): Promise<Part | null> {
  const { root, existing, deleted, tests } = input;
  const cache = openSymbolCache<SymbolTable>(input.cacheDir, 'py');
  const parse = (items: Array<[string, string]>): Promise<Record<string, SymbolTable> | null> => analyse(items, root);
  const python = existing.filter((file) => file.endsWith('.py'));
  const tables = await currentTables(input, python, cache, parse);
  const olds = tables && (await baseTables(input, base, candidates, cache, parse));
  if (!tables || !olds) return null; // no python3: the file-level rule
  cache.save();
  // Fixtures are used by their names in test signatures, not by import: conftest.py and fixture modules count whole.
  const whole = new Set([...tables].filter(([file, table]) => path.posix.basename(file) === 'conftest.py' || (table.executed ?? []).some((name) => /(^|\.)fixture$/.test(name))).map(([file]) => file));
  const seeds: string[] = [];
  const bodyChanged = new Set<string>();
  for (const file of candidates) {
    if (whole.has(file)) continue; // the file rule
    const change = classifyChange(olds.get(file), tables.get(file));
    if (change.kind === 'bodies') {
      bodyChanged.add(file);
      for (const name of change.names) seeds.push(`${file}::${name}`);
    }
  }
  if (bodyChanged.size === 0) return { seeds, bodyChanged, users: new Map(), doubtful: () => false };
  const resolver = createPythonResolver(new Set([...existing, ...deleted]), directoriesOf(existing), input.project.runners);
  const users = buildSymbolGraph({ tables, resolver, fileSet: new Set(existing), tests: new Set(tests.keys()), whole });
  return {
    seeds,
    bodyChanged,
    users,
    doubtful: (file) => {
      const table = tables.get(file);
      return !table || Boolean(table.error || table.subprocess || table.doubt);
    },
  };
}

async function jsPart(input: SymbolSelectInput, base: string, candidates: string[]): Promise<Part | null> {
  const { root, existing, deleted, tests, graph } = input;
  const cache = openSymbolCache<JsSymbolTable>(input.cacheDir, 'js');
  const parse = (items: Array<[string, string]>): Promise<Record<string, JsSymbolTable>> => Promise.resolve(Object.fromEntries(items.map(([file, text]) => [file, analyseJsFile(file, text)])));
  const current = await currentTables(input, candidates, cache, parse);
  const olds = await baseTables(input, base, candidates, cache, parse);
  const seeds: string[] = [];
  const bodyChanged = new Set<string>();
  for (const file of candidates) {
    const change = classifyJsChange(olds?.get(file), current?.get(file));
    if (change.kind === 'bodies') {
      bodyChanged.add(file);
      for (const name of change.names) seeds.push(`${file}::${name}`);
    }
  }
  if (bodyChanged.size === 0) {
    cache.save();
    return { seeds, bodyChanged, users: new Map(), doubtful: () => false };
  }
  // The files whose code can reach the changed ones through imports: the only tables the walk needs.
  const importEdges = IMPORT_EDGES.js;
  const reach = new Set<string>(bodyChanged);
  const reverse: Array<[string, Edge]> = [];
  const queue = [...bodyChanged];
  for (let at = 0; at < queue.length; at++) {
    for (const edge of graph.dependentsOf(queue[at]!)) {
      if (!importEdges.has(edge.kind) || isHub(edge.file) || languageOf(edge.file) !== 'js') continue;
      reverse.push([queue[at]!, edge]);
      if (reach.has(edge.file)) continue;
      reach.add(edge.file);
      queue.push(edge.file);
    }
  }
  const tables = (await currentTables(input, [...reach], cache, parse))!;
  cache.save();
  const fileSet = new Set([...existing, ...deleted]);
  const resolver = createJsResolver(root, fileSet, directoriesOf(fileSet), input.project.runners);
  const symbolGraph = buildJsSymbolGraph({
    tables,
    tests: new Set(tests.keys()),
    resolve: (from, specifier) => {
      const result = resolver.resolve(from, specifier);
      return 'file' in result ? result.file : 'external' in result ? null : undefined;
    },
  });
  // An import edge of the file graph that no import of the importer's table explains (a glob of
  // files, an alias the runner config adds): the importer uses the module as a whole, at import.
  for (const [target, edge] of reverse) {
    if (symbolGraph.explained.get(edge.file)?.has(target)) continue;
    let set = symbolGraph.users.get(`${target}::*`);
    if (!set) symbolGraph.users.set(`${target}::*`, (set = new Set()));
    set.add(`${edge.file}::`);
  }
  const doubtful = (file: string): boolean => {
    const table = tables.get(file);
    return !table || Boolean(table.error || table.doubt) || symbolGraph.doubtful.has(file) || table.imports.some(([, specifier]) => SUBPROCESS_MODULES.test(specifier));
  };
  // A source file between the change and the tests whose uses cannot be named (unreadable, eval, an
  // import that does not resolve, a subprocess) stands for every changed name: its importers keep the
  // file rule, whatever the names they import from it.
  for (const file of reach) {
    if (bodyChanged.has(file) || tests.has(file) || !doubtful(file)) continue;
    for (const changed of bodyChanged) {
      let set = symbolGraph.users.get(`${changed}::*`);
      if (!set) symbolGraph.users.set(`${changed}::*`, (set = new Set()));
      set.add(`${file}::`);
    }
  }
  return { seeds, bodyChanged, users: symbolGraph.users, doubtful };
}

export async function selectSymbols(input: SymbolSelectInput): Promise<Map<string, Selected>> {
  const { root, graph, starts, tests, deleted, changes, isTest } = input;
  const fileLevel = (): Map<string, Selected> => selectTests(graph, starts, isTest);
  // The version a changed file is compared with: the merge base the diff was taken from, else HEAD (--files, or the working tree only).
  const base = changes.base ? (changes.base.mergeBase ?? (await gitLine(root, ['merge-base', changes.base.ref, 'HEAD']))) : (changes.head ?? input.head);
  const candidate = (file: string): boolean => !deleted.has(file) && !tests.has(file);
  const python = starts.filter((file) => file.endsWith('.py') && candidate(file) && path.posix.basename(file) !== 'conftest.py');
  const setupFiles = new Set(input.project.runners.flatMap((r) => r.setupFiles));
  const js = starts.filter((file) => languageOf(file) === 'js' && candidate(file) && !setupFiles.has(file) && !file.includes('__mocks__/'));
  if (!base || (python.length === 0 && js.length === 0)) return fileLevel();

  const parts = (await Promise.all([python.length > 0 ? pythonPart(input, base, python) : null, js.length > 0 ? jsPart(input, base, js) : null])).filter((part): part is Part => part !== null);
  const bodyChanged = new Set(parts.flatMap((part) => [...part.bodyChanged]));
  if (bodyChanged.size === 0) return fileLevel();
  const users = new Map<string, Set<string>>();
  for (const part of parts) for (const [target, set] of part.users) users.set(target, set);
  const bySymbols = selectBySymbols(users, parts.flatMap((part) => part.seeds), isTest);

  // The file-level rule for module-level changes and the modules whose import-time code reaches a change.
  const moduleLevel = starts.filter((file) => !bodyChanged.has(file));
  const selected = selectTests(graph, [...moduleLevel, ...bySymbols.moduleStarts.keys()], isTest);
  // The other edges of a body-changed file (data, scripts, snapshots, mocks, config) still apply file by file.
  const importEdge = (node: string, edge: Edge): boolean => {
    const language = languageOf(node);
    return language !== null && language !== 'shell' && IMPORT_EDGES[language].has(edge.kind) && !isHub(edge.file);
  };
  const otherEdges: Graph = {
    ...graph,
    dependentsOf: (node: string): readonly Edge[] => (bodyChanged.has(node) ? graph.dependentsOf(node).filter((edge) => !importEdge(node, edge)) : graph.dependentsOf(node)),
    hasDependents: (node: string) => graph.hasDependents(node),
    dependenciesOf: (file: string) => graph.dependenciesOf(file),
    unresolved: graph.unresolved,
    resolved: graph.resolved,
  };
  merge(selected, selectTests(otherEdges, [...bodyChanged], isTest));
  // Tests whose uses cannot be named (subprocesses, doubt, no table) keep the file-level rule.
  for (const part of parts) {
    if (part.bodyChanged.size === 0) continue;
    for (const [file, entry] of selectTests(graph, [...part.bodyChanged], isTest)) if (part.doubtful(file)) merge(selected, new Map([[file, entry]]));
  }
  for (const [test, chain] of bySymbols.tests) {
    const changed = fileOf(chain[0]!);
    const links = chain.filter((id, i) => i === 0 || nameOf(id) !== '*' || i === chain.length - 1);
    const shown = links.map((id, i) => (i === links.length - 1 ? test : nameOf(id) === '' ? fileOf(id) : id));
    const reason: Reason = { changed, chain: shown, edges: shown.slice(1).map(() => 'symbol') };
    merge(selected, new Map([[test, { file: test, reasons: [reason], distance: reason.edges.length }]]));
  }
  // Where the module-level rule applied because import-time code reaches the change, say through which module.
  for (const [module, chain] of bySymbols.moduleStarts) {
    for (const entry of selected.values()) {
      for (const reason of entry.reasons) {
        if (reason.changed !== module) continue;
        reason.changed = fileOf(chain[0]!);
        reason.chain = [...chain.slice(0, -1), ...reason.chain];
        reason.edges = [...chain.slice(1).map(() => 'symbol' as const), ...reason.edges];
      }
    }
  }
  return selected;
}

function merge(into: Map<string, Selected>, from: Map<string, Selected>): void {
  for (const [file, entry] of from) {
    const known = into.get(file);
    if (!known) into.set(file, { ...entry, reasons: [...entry.reasons] });
    else {
      for (const reason of entry.reasons) if (!known.reasons.some((r) => r.changed === reason.changed)) known.reasons.push(reason);
      known.distance = Math.min(known.distance, entry.distance);
    }
  }
}

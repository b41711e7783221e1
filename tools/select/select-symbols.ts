// Selection with Python symbols (issue 15): for each changed Python file, parse its base and
// current versions; a module-level change (or any doubt) keeps the file-level rule, a change inside
// function or class bodies selects only the tests that reach those names (python-symbols.ts). The
// file's other edges (data files, scripts run, snapshots) and the tests that start subprocesses keep
// the file-level rule, since no name shows what they use.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { git, tryGit } from '../../lib/git.ts';
import type { Changes } from './changes.ts';
import { type Edge, type Graph, directoriesOf } from './graph.ts';
import type { Project, RunnerProject } from './project.ts';
import { type SymbolTable, analyse, buildSymbolGraph, classifyChange, fileOf, nameOf, selectBySymbols } from './python-symbols.ts';
import { createPythonResolver } from './resolve-python.ts';
import { type Reason, type Selected, selectTests } from './select.ts';

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
}

/** The file's content at `ref` (null when it did not exist there). */
function gitShow(root: string, ref: string, file: string): Promise<string | null> {
  return git(root, ['show', `${ref}:${file}`], { maxBuffer: 64 * 1024 * 1024 }).catch(() => null);
}

async function gitLine(root: string, args: string[]): Promise<string | null> {
  return (await tryGit(root, args))?.trim() || null;
}

/** Edges that an import states: the symbol graph stands for these when only bodies changed. */
const IMPORT_EDGES = new Set(['python-import', 'package-init']);

export async function selectPythonSymbols(input: SymbolSelectInput): Promise<Map<string, Selected>> {
  const { root, graph, starts, tests, deleted, changes, existing, isTest } = input;
  const fileLevel = (): Map<string, Selected> => selectTests(graph, starts, isTest);
  // The version a changed file is compared with: the merge base the diff was taken from, else HEAD (--files, or the working tree only).
  const base = changes.base ? (changes.base.mergeBase ?? (await gitLine(root, ['merge-base', changes.base.ref, 'HEAD']))) : (changes.head ?? input.head);
  const candidates = starts.filter((file) => file.endsWith('.py') && !deleted.has(file) && !tests.has(file) && path.posix.basename(file) !== 'conftest.py');
  if (!base || candidates.length === 0) return fileLevel();

  const python = existing.filter((file) => file.endsWith('.py'));
  const items: Array<[string, string]> = [];
  const texts = await Promise.all(python.map((file) => readFile(path.join(root, file), 'utf8').catch(() => null)));
  python.forEach((file, i) => {
    if (texts[i] !== null) items.push([file, texts[i]!]);
  });
  const olds = await Promise.all(candidates.map((file) => gitShow(root, base, file)));
  candidates.forEach((file, i) => {
    if (olds[i] !== null) items.push([`base:${file}`, olds[i]!]);
  });
  const analysed = await analyse(items, root);
  if (!analysed) return fileLevel(); // no python3: the file-level rule

  const tables = new Map<string, SymbolTable>(python.filter((file) => analysed[file]).map((file) => [file, analysed[file]!]));
  // Fixtures are used by their names in test signatures, not by import: conftest.py and fixture modules count whole.
  const whole = new Set([...tables].filter(([file, table]) => path.posix.basename(file) === 'conftest.py' || (table.executed ?? []).some((name) => /(^|\.)fixture$/.test(name))).map(([file]) => file));
  const seeds: string[] = [];
  const bodyChanged = new Set<string>();
  for (const file of candidates) {
    if (whole.has(file)) continue; // the file rule
    const change = classifyChange(analysed[`base:${file}`], analysed[file]);
    if (change.kind === 'bodies') {
      bodyChanged.add(file);
      for (const name of change.names) seeds.push(`${file}::${name}`);
    }
  }
  if (bodyChanged.size === 0) return fileLevel();

  const resolver = createPythonResolver(new Set([...existing, ...deleted]), directoriesOf(existing), input.project.runners);
  const users = buildSymbolGraph({ tables, resolver, fileSet: new Set(existing), tests: new Set(tests.keys()), whole });
  const bySymbols = selectBySymbols(users, seeds, isTest);

  // The file-level rule for module-level changes and the modules whose import-time code reaches a change.
  const moduleLevel = starts.filter((file) => !bodyChanged.has(file));
  const selected = selectTests(graph, [...moduleLevel, ...bySymbols.moduleStarts.keys()], isTest);
  // The other edges of a body-changed file (data, scripts, snapshots, config) still apply file by file.
  const otherEdges: Graph = {
    ...graph,
    dependentsOf: (node: string): readonly Edge[] => (bodyChanged.has(node) ? graph.dependentsOf(node).filter((edge) => !IMPORT_EDGES.has(edge.kind)) : graph.dependentsOf(node)),
    hasDependents: (node: string) => graph.hasDependents(node),
    dependenciesOf: (file: string) => graph.dependenciesOf(file),
    unresolved: graph.unresolved,
    resolved: graph.resolved,
  };
  merge(selected, selectTests(otherEdges, [...bodyChanged], isTest));
  // Tests that start subprocesses (or whose tables are missing) reach code no name shows: the file-level rule.
  const everyImporter = selectTests(graph, [...bodyChanged], isTest);
  for (const [file, entry] of everyImporter) {
    const table = tables.get(file);
    if (!table || table.error || table.subprocess || table.doubt) merge(selected, new Map([[file, entry]]));
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


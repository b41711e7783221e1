// Symbol-level selection for Python (issue 15): a change inside the body of a function or a class
// selects the tests that reach that function or class through the names they reference, not every
// test that imports its module. Python's own parser (python-symbols.py, run by the project's
// python3) tells what each file defines, references and runs at import, and which parts of a
// changed file differ from its base version. Whatever cannot be followed by name widens: a change
// at module level, a file that does not parse, a module used as a whole object, a module-level
// __getattr__, eval/getattr in the user, a test that starts subprocesses, conftest.py and the
// fixture modules pytest loads all fall back to the file-level rule (every importer).
import { runJsonHelper } from '../../lib/subprocess.ts';
import ANALYSER from './python-symbols.py?raw';
import type { PythonResolver } from './resolve-python.ts';

/** What python-symbols.py says about one file. */
export interface SymbolTable {
  error?: string;
  defs: Record<string, { kind: 'def' | 'class' | 'assign'; refs: string[]; doubt: boolean; head: string; body: string }>;
  /** [local name, module, level, imported name or null for `import module`] */
  imports: Array<[string, string, number, string | null]>;
  stars: Array<[string, number]>;
  all: string[] | null;
  /** Names the module-level code runs or reads at import (calls, decorators, defaults, class bodies). */
  executed: string[];
  doubt: boolean;
  getattr: boolean;
  subprocess: boolean;
  module: string;
}

/** Runs the analyser over [key, source] pairs; null when python3 cannot be run. */
export function analyse(items: Array<[string, string]>, cwd: string): Promise<Record<string, SymbolTable> | null> {
  if (items.length === 0) return Promise.resolve({});
  return runJsonHelper<Record<string, SymbolTable>>('python3', ['-I', '-c', ANALYSER], { cwd, maxBuffer: 512 * 1024 * 1024, input: JSON.stringify(items) }).catch(() => null);
}

/** What changed between two versions of a file: its module-level code, or only the bodies of these top-level functions and classes. */
export type PythonChange = { kind: 'module'; why: string } | { kind: 'bodies'; names: string[] };

export function classifyChange(before: SymbolTable | undefined, after: SymbolTable | undefined): PythonChange {
  if (!before || !after) return { kind: 'module', why: 'the file is new or gone' };
  if (before.error || after.error) return { kind: 'module', why: 'it does not parse on one side' };
  if (before.module !== after.module) return { kind: 'module', why: 'its module-level code changed' };
  const names: string[] = [];
  for (const [name, entry] of Object.entries(after.defs)) {
    const old = before.defs[name];
    if (!old || old.kind !== entry.kind) return { kind: 'module', why: `${name} is new or changed kind` };
    if (entry.kind === 'assign') continue;
    if (old.head !== entry.head) return { kind: 'module', why: `the signature, decorators or class body of ${name} changed` };
    if (old.body !== entry.body) names.push(name);
  }
  // A change that touched nothing the parser sees (comments, layout) still moves line numbers: treat it as module-level.
  if (names.length === 0) return { kind: 'module', why: 'no function or class body differs' };
  return { kind: 'bodies', names };
}

/** A node of the symbol graph: `file::name`; `file::` is the code the module runs at import, `file::*` the module as a whole. */
const node = (file: string, name: string): string => `${file}::${name}`;
export const fileOf = (id: string): string => id.slice(0, id.lastIndexOf('::'));
export const nameOf = (id: string): string => id.slice(id.lastIndexOf('::') + 2);

export interface SymbolGraphInput {
  tables: Map<string, SymbolTable>;
  resolver: PythonResolver;
  fileSet: Set<string>;
  tests: Set<string>;
  /** Files whose symbols count as one whole (conftest.py, pytest_plugins modules: fixtures are used by name, not by import). */
  whole: Set<string>;
}

/** Users of each symbol: target node → the nodes whose code references it. */
export function buildSymbolGraph(input: SymbolGraphInput): Map<string, Set<string>> {
  const { tables, resolver, fileSet, tests, whole } = input;
  const users = new Map<string, Set<string>>();
  const link = (target: string, user: string): void => {
    if (target === user) return;
    let set = users.get(target);
    if (!set) users.set(target, (set = new Set()));
    set.add(user);
  };
  const moduleFileCache = new Map<string, string | null>();
  const moduleFile = (from: string, module: string, level: number): string | null => {
    const key = `${from}\0${module}\0${level}`;
    let known = moduleFileCache.get(key);
    if (known === undefined) {
      const result = resolver.resolve(from, { kind: 'python-import', specifier: module, line: 0, level });
      const want = module.split('.').pop() ?? '';
      known = result.files.filter((f) => f.endsWith(`/${want}.py`) || f.endsWith(`/${want}/__init__.py`) || f === `${want}.py` || (level > 0 && !module && f.endsWith('__init__.py'))).pop() ?? null;
      moduleFileCache.set(key, known);
    }
    return known;
  };
  const submodule = (moduleFile: string, name: string): string | null => {
    if (!moduleFile.endsWith('__init__.py')) return null;
    const dir = moduleFile.slice(0, -'__init__.py'.length);
    for (const candidate of [`${dir}${name}.py`, `${dir}${name}/__init__.py`]) if (fileSet.has(candidate)) return candidate;
    return null;
  };

  // The nodes a dotted name read in `file` stands for, following imports and re-exports.
  const resolveName = (file: string, dotted: string, depth: number): string[] => {
    const table = tables.get(file);
    if (!table || table.error) return [node(file, '*')];
    const parts = dotted.split('.');
    const head = parts[0]!;
    const bindings = table.imports.filter(([local]) => local === head);
    if (bindings.length === 0 && table.defs[head]) return [node(file, head)];
    if (depth > 12) return [node(file, '*')];
    // A name both defined and imported (a function-local import shadowing a module-level name): either.
    const out: string[] = table.defs[head] ? [node(file, head)] : [];
    for (const [, module, level, name] of bindings) {
      if (name === null) {
        // `import a.b` binds a; `import a.b as c` binds c to a.b.
        out.push(...walk(moduleFile(file, module, level), parts.slice(1), depth));
        continue;
      }
      const sub = moduleFile(file, module ? `${module}.${name}` : name, level);
      if (sub) out.push(...walk(sub, parts.slice(1), depth));
      else out.push(...walk(moduleFile(file, module, level), [name, ...parts.slice(1)], depth));
    }
    if (bindings.length === 0 && table.defs[head] === undefined) {
      for (const [module, level] of table.stars) {
        const source = moduleFile(file, module, level);
        const exported = source ? exports(source) : null;
        if (source && (exported === null || exported.has(head))) out.push(...walk(source, parts, depth));
      }
    }
    return out;
  };
  const exports = (file: string): Set<string> | null => {
    const table = tables.get(file);
    if (!table || table.error) return null;
    if (table.all) return new Set(table.all);
    return new Set([...Object.keys(table.defs), ...table.imports.map(([local]) => local)].filter((n) => !n.startsWith('_')));
  };
  const walk = (file: string | null, rest: string[], depth: number): string[] => {
    if (!file) return []; // not in the repository: the standard library or an installed package
    if (rest.length === 0) return [node(file, '*')]; // the module itself, used as an object
    const sub = submodule(file, rest[0]!);
    if (sub) return walk(sub, rest.slice(1), depth + 1);
    const table = tables.get(file);
    if (!table || table.error) return [node(file, '*')];
    if (table.defs[rest[0]!] || table.imports.some(([local]) => local === rest[0]) || table.stars.length > 0) {
      const found = resolveName(file, rest.join('.'), depth + 1);
      if (found.length > 0) return found;
    }
    return [node(file, '*')]; // an attribute no definition names (set at run time, or a module __getattr__)
  };

  for (const [file, table] of tables) {
    if (table.error) continue;
    const asWhole = tests.has(file) || whole.has(file);
    const userOf = (name: string): string => (asWhole ? node(file, '') : node(file, name));
    const everyImport = (): string[] => table.imports.map(([, module, level, name]) => moduleFile(file, name && module ? `${module}.${name}` : module || (name ?? ''), level) ?? moduleFile(file, module, level)).filter((f): f is string => f !== null).map((f) => node(f, '*'));
    for (const [name, entry] of Object.entries(table.defs)) {
      const user = userOf(name);
      for (const ref of entry.refs) for (const target of resolveName(file, ref, 0)) link(target, user);
      // getattr/eval in a body: any module this file imports may be used by any name.
      if (entry.doubt) for (const target of everyImport()) link(target, user);
    }
    for (const ref of table.executed) for (const target of resolveName(file, ref, 0)) link(target, node(file, ''));
    if (table.doubt) for (const target of everyImport()) link(target, node(file, ''));
  }
  return users;
}

export interface SymbolSelection {
  /** Test files reached, with the chain of symbol nodes from the change. */
  tests: Map<string, string[]>;
  /** Files whose module-level code runs something that changed: the file-level rule applies from them. */
  moduleStarts: Map<string, string[]>;
}

/** The tests and module-level starts reached from the changed symbols (each `file::name`; `file::*` is added for each changed file). */
export function selectBySymbols(users: Map<string, Set<string>>, seeds: string[], isTest: (file: string) => boolean): SymbolSelection {
  const parent = new Map<string, string | null>();
  const queue: string[] = [];
  const push = (id: string, from: string | null): void => {
    if (parent.has(id)) return;
    parent.set(id, from);
    queue.push(id);
  };
  for (const seed of seeds) {
    push(seed, null);
    push(node(fileOf(seed), '*'), seed);
  }
  const tests = new Map<string, string[]>();
  const moduleStarts = new Map<string, string[]>();
  const chainOf = (id: string): string[] => {
    const chain: string[] = [];
    for (let at: string | null | undefined = id; at; at = parent.get(at)) chain.unshift(at);
    return chain;
  };
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    const file = fileOf(id);
    const name = nameOf(id);
    if (name === '') {
      if (isTest(file)) tests.set(file, chainOf(id));
      else moduleStarts.set(file, chainOf(id));
      continue;
    }
    // Whoever holds this module as a whole object may reach the changed name through it.
    if (name !== '*') push(node(file, '*'), id);
    for (const user of users.get(id) ?? []) push(user, id);
  }
  return { tests, moduleStarts };
}

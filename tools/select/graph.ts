// The dependency graph: for every file, the files that depend on it and how (import, mock,
// conftest, data file, …). Built from the scanned references of every source file, resolved per
// language, plus the edges no import states: conftest.py → the tests below it, a snapshot → its
// test, setup files → every test of their runner, and the user's declared edges.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { EdgeKind } from '../../lib/generated/documents.ts';
import { DEP_KINDS, type Dep, type Unresolved, unpackRefs } from './cache.ts';
import { type FileRecord, languageOf } from './extract.ts';
import type { Project, RunnerProject } from './project.ts';
import { type JsResolver, createJsResolver } from './resolve-js.ts';
import { type PythonResolver, createPythonResolver } from './resolve-python.ts';
import { type ShellContext, expandShellPath } from './resolve-shell.ts';
import type { Ref } from './scan-js.ts';

/** How one file reaches another (schemas/selection.schema.json: edgeKind). */
export type { EdgeKind };

/**
 * Nodes that stand for a set of files, for an edge whose target cannot be named: a module loaded by
 * a computed name may be any module of its language; a build output that is not in the repository
 * is made from the build's sources. Every file of the set points at the hub, the hub at the file
 * that uses it.
 */
export const HUB = {
  python: '(any Python module: a name computed at run time)',
  js: '(any JavaScript or TypeScript module: a name computed at run time)',
  build: (output: string, sources: string): string => `(the build of ${output}/ from ${sources || '.'}/)`,
};
const BUILD_HUB = /^\(the build of (.*)\/ from (.*)\/\)$/;
export const isHub = (node: string): boolean => node.startsWith('(');

/** `file` depends on the node this edge hangs under. */
export interface Edge {
  file: string;
  kind: EdgeKind;
  line?: number;
}

export interface UnresolvedImport {
  file: string;
  line: number;
  specifier: string;
  why: string;
}

export interface Graph {
  /** The files that depend on `node`, and how. */
  dependentsOf(node: string): readonly Edge[];
  /** Whether any file depends on `node`. */
  hasDependents(node: string): boolean;
  /** The nodes `file` depends on directly (for --explain). */
  dependenciesOf(file: string): string[];
  unresolved: UnresolvedImport[];
  /** Files whose references were resolved in this run (the rest came from the cache). */
  resolved: number;
}

/** A graph held as a map from each node to its dependents (what a cold or partly warm run builds). */
export class MapGraph implements Graph {
  constructor(
    readonly dependents: Map<string, Edge[]>,
    readonly unresolved: UnresolvedImport[],
    readonly resolved: number,
  ) {}
  dependentsOf(node: string): readonly Edge[] {
    return this.dependents.get(node) ?? [];
  }
  hasDependents(node: string): boolean {
    return this.dependents.has(node);
  }
  dependenciesOf(file: string): string[] {
    return [...this.dependents.entries()].filter(([, edges]) => edges.some((e) => e.file === file)).map(([dep]) => dep);
  }
}

export interface GraphInput {
  project: Project;
  /** Files that exist, plus deleted ones (so importers of a deleted path resolve to it). */
  fileSet: Set<string>;
  dirs: Set<string>;
  records: Map<string, FileRecord>;
  /** The cache's file table when its resolution settings match this run's (cached edges are valid), else null. */
  table: readonly string[] | null;
  /** Files whose content changed since the cache. */
  fresh: Set<string>;
  tests: Map<string, RunnerProject[]>;
  ignoreTypeImports: boolean;
}

const KIND: Record<Ref['kind'], EdgeKind> = {
  import: 'import',
  'type-import': 'type-import',
  'dynamic-import': 'dynamic-import',
  require: 'require',
  'require-resolve': 'require-resolve',
  mock: 'mock',
  url: 'url',
  data: 'data-file',
  'python-import': 'python-import',
  'bats-load': 'bats-load',
  exec: 'exec',
};

const MOCK_EXTENSIONS = ['.js', '.ts', '.cjs', '.mjs', '.cts', '.mts', '.jsx', '.tsx', '.json'];
const dirOf = (file: string): string => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '');
const joinPath = (dir: string, rest: string): string => path.posix.normalize(dir ? `${dir}/${rest}` : rest);

/** What resolving a file's references needs: the project, the files and directories that exist, and the records (shell helpers' variables). */
export interface ResolveContext {
  project: Project;
  fileSet: Set<string>;
  dirs: Set<string>;
  records: Map<string, FileRecord>;
}

/** Resolves one file's scanned references into edges (and the references that did not resolve). */
export type FileResolver = (file: string, record: FileRecord) => { deps: Dep[]; unresolved: Unresolved[] };

export function createFileResolver(context: ResolveContext): FileResolver {
  const { project, fileSet, dirs, records } = context;
  const refsOf = (record: FileRecord): Ref[] => (record.refs ??= unpackRefs(record.entry));
  // Built on first use: a warm run takes every edge from the cache and needs neither.
  let jsResolver: JsResolver | undefined;
  let pythonResolver: PythonResolver | undefined;
  const js = (): JsResolver => (jsResolver ??= createJsResolver(project.root, fileSet, dirs, project.runners));
  const python = (): PythonResolver => (pythonResolver ??= createPythonResolver(fileSet, dirs, project.runners));
  const runnerDirs = [...new Set(project.runners.map((r) => r.dir))];
  const mockRoots = [...new Set(['', ...project.runners.filter((r) => r.runner === 'jest' || r.runner === 'vitest').map((r) => r.dir)])];

  // A data path may be relative to the file, to its runner's directory or to the repository.
  const dataTarget = (from: string, specifier: string): string | null => {
    const spec = specifier.replace(/^\/+/, '');
    const candidates = specifier.startsWith('.') ? [joinPath(dirOf(from), spec)] : [joinPath(dirOf(from), spec), ...runnerDirs.map((d) => joinPath(d, spec))];
    for (const candidate of candidates) if (candidate !== from && fileSet.has(candidate)) return candidate;
    return null;
  };

  // Shell files see the variables of the helpers they load.
  const shellVars = new Map<string, ShellContext['vars']>();
  const shellLoads = (file: string, vars: ShellContext['vars']): string[] => {
    const out: string[] = [];
    const record = records.get(file);
    for (const ref of record ? refsOf(record) : []) {
      if (ref.kind !== 'bats-load') continue;
      const target = shellTarget(file, ref, vars);
      if (target) out.push(target);
    }
    return out;
  };
  // Files by name, for commands run by name and paths behind a variable that is set at run time.
  let byName: Map<string, string[]> | undefined;
  const filesNamed = (name: string): string[] => {
    if (!byName) {
      byName = new Map();
      for (const f of fileSet) {
        const base = f.slice(f.lastIndexOf('/') + 1);
        const list = byName.get(base);
        if (list) list.push(f);
        else byName.set(base, [f]);
      }
    }
    return byName.get(name) ?? [];
  };
  const shellTargets = (file: string, ref: Ref, vars: ShellContext['vars']): string[] => {
    if (ref.specifier.startsWith('cmd:')) {
      // A script of the repository run by name (through PATH): an executable, not a module or a test.
      const name = ref.specifier.slice(4);
      const named = name.endsWith('*') ? [...fileSet].filter((f) => f.slice(f.lastIndexOf('/') + 1).startsWith(name.slice(0, -1))) : filesNamed(name);
      return named.filter((f) => f !== file && !/\.[^/]*$/.test(f.slice(f.lastIndexOf('/') + 1).replace(/\.(sh|bash)$/, '')) && !f.endsWith('.bats'));
    }
    if (ref.specifier.startsWith('shellcheck:')) {
      const named = ref.specifier.slice('shellcheck:'.length);
      const candidates = [joinPath(dirOf(file), named.replace(/^SCRIPTDIR\//, '')), joinPath('', named)];
      return candidates.filter((c) => fileSet.has(c)).slice(0, 1);
    }
    const single = shellTarget(file, ref, vars);
    if (single) return [single];
    // `source "$BATS_ROOT/$LIBDIR/bats-core/x.bash"`: the variables are set at run time; the files whose path ends with what follows them.
    const isLoad = ref.specifier.startsWith('load:');
    const raw = (isLoad ? ref.specifier.slice(5) : ref.specifier).replace(/["']/g, '');
    const rest = /\$\{?\w+\}?\/([^$`]+)$/.exec(raw)?.[1];
    if (!rest || rest.startsWith('/') || !(rest.includes('/') || /\.\w+$/.test(rest))) return [];
    const names = isLoad ? [`${rest}.bash`, rest] : [rest];
    return names.flatMap((name) => filesNamed(name.slice(name.lastIndexOf('/') + 1)).filter((f) => f.endsWith(`/${name}`) || f === name));
  };
  const shellTarget = (file: string, ref: Ref, vars: ShellContext['vars']): string | null => {
    const isLoad = ref.specifier.startsWith('load:');
    const raw = isLoad ? ref.specifier.slice(5) : ref.specifier;
    const expanded = expandShellPath(raw, { dir: dirOf(file), vars });
    if (expanded === null) return null;
    const candidates = isLoad ? [`${expanded}.bash`, expanded] : ref.kind === 'bats-load' ? [expanded] : [expanded, ...runnerDirs.map((d) => joinPath(d, raw))];
    for (const candidate of candidates) if (fileSet.has(candidate)) return candidate;
    return null;
  };
  const varsOf = (file: string, depth = 0): ShellContext['vars'] => {
    const known = shellVars.get(file);
    if (known) return known;
    const vars: ShellContext['vars'] = new Map();
    shellVars.set(file, vars); // guards against load cycles
    const own = records.get(file)?.entry.v ?? {};
    for (const [name, value] of Object.entries(own)) vars.set(name, { value, dir: dirOf(file) });
    if (depth < 4) {
      for (const loaded of shellLoads(file, vars)) {
        for (const [name, value] of varsOf(loaded, depth + 1)) if (!vars.has(name)) vars.set(name, value);
      }
    }
    return vars;
  };

  // A relative import of a file that a build step makes (lib/ built from src/, not in the
  // repository): the matching source when the build keeps names, else every source of the build.
  const buildScripts = new Map<string, boolean>();
  const hasBuild = (pkg: string): boolean => {
    let known = buildScripts.get(pkg);
    if (known === undefined) {
      let scripts: Record<string, unknown> = {};
      try {
        scripts = (JSON.parse(readFileSync(path.join(project.root, pkg ? `${pkg}/package.json` : 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> }).scripts ?? {};
      } catch {
        // no readable package.json: no build step we know of
      }
      known = Object.entries(scripts).some(([name, script]) => /^(build|prepare|prepublish|pretest|compile)/.test(name) || (typeof script === 'string' && /\b(tsc|esbuild|rollup|babel|webpack|unbuild|tsup|vite build|swc)\b/.test(script)));
      buildScripts.set(pkg, known);
    }
    return known;
  };
  const buildOutput = (from: string, specifier: string): { target: string; why: string } | null => {
    const target = joinPath(dirOf(from), specifier);
    if (target.startsWith('..')) return null;
    let pkg = dirOf(target);
    while (pkg && !fileSet.has(`${pkg}/package.json`)) pkg = dirOf(pkg);
    if (!fileSet.has(pkg ? `${pkg}/package.json` : 'package.json') || !hasBuild(pkg)) return null;
    const inside = pkg ? target.slice(pkg.length + 1) : target;
    const output = inside.split('/')[0]!;
    if (!inside.includes('/') || output === 'src' || output === 'node_modules') return null;
    const outputDir = pkg ? `${pkg}/${output}` : output;
    const srcDir = pkg ? `${pkg}/src` : 'src';
    const rest = inside.slice(output.length + 1).replace(/\.(esm|umd|cjs|min|mjs|module|browser)(?=\.)/g, '').replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
    const mapped = dirs.has(srcDir) ? js().resolve(`${srcDir}/index.js`, `./${rest}`) : null;
    if (mapped && 'file' in mapped) return { target: mapped.file, why: `not in the repository: built from ${mapped.file}` };
    const sources = dirs.has(srcDir) ? srcDir : pkg;
    return { target: HUB.build(outputDir, sources), why: `not in the repository: the build output of ${sources || 'the package'}, so every source file of it counts` };
  };

  const resolveFile = (file: string, record: FileRecord): { deps: Dep[]; unresolved: Unresolved[] } => {
    const deps: Dep[] = [];
    const unresolved: Unresolved[] = [];
    const language = languageOf(file);
    for (const ref of refsOf(record)) {
      const kind = KIND[ref.kind];
      if (ref.kind === 'data' && language !== 'shell') {
        const target = dataTarget(file, ref.specifier);
        if (target) deps.push([target, kind, ref.line]);
        continue;
      }
      if (language === 'python') {
        const result = python().resolve(file, ref);
        for (const target of result.files) if (target !== file) deps.push([target, kind, ref.line]);
        if (result.error) unresolved.push([ref.line, `${'.'.repeat(ref.level ?? 0)}${ref.specifier}`, result.error]);
        continue;
      }
      if (language === 'shell') {
        const targets = shellTargets(file, ref, varsOf(file));
        for (const target of targets) deps.push([target, kind, ref.line]);
        if (targets.length === 0 && ref.kind === 'bats-load' && !ref.specifier.startsWith('shellcheck:')) unresolved.push([ref.line, ref.specifier.replace(/^load:/, ''), 'cannot find the loaded file']);
        continue;
      }
      if (ref.glob) {
        for (const target of js().glob(file, ref.specifier)) deps.push([target, kind, ref.line]);
        continue;
      }
      if (ref.kind === 'url') {
        const target = ref.specifier.startsWith('.') ? joinPath(dirOf(file), ref.specifier) : null;
        if (target && fileSet.has(target)) deps.push([target, kind, ref.line]);
        else if (target && !dirs.has(target.replace(/\/$/, ''))) unresolved.push([ref.line, ref.specifier, 'no such file']);
        continue;
      }
      const result = js().resolve(file, ref.specifier);
      if ('file' in result) {
        deps.push([result.file, kind, ref.line]);
        if (ref.kind === 'mock') {
          // jest and vitest use a __mocks__ file next to the mocked module.
          const dir = dirOf(result.file);
          const stem = path.posix.basename(result.file).replace(/\.[^.]+$/, '');
          for (const extension of MOCK_EXTENSIONS) {
            const candidate = joinPath(dir, `__mocks__/${stem}${extension}`);
            if (fileSet.has(candidate)) deps.push([candidate, 'mocks-dir', ref.line]);
          }
        }
      } else if ('external' in result) {
        // A root __mocks__/<package> replaces a node module in jest (automatically) and vitest (on vi.mock).
        if (!ref.specifier.startsWith('.')) {
          for (const rootDir of mockRoots) {
            const stem = joinPath(rootDir, `__mocks__/${ref.specifier}`);
            for (const extension of MOCK_EXTENSIONS) {
              if (fileSet.has(stem + extension)) deps.push([stem + extension, 'mocks-dir', ref.line]);
            }
          }
        }
      } else {
        const built = ref.specifier.startsWith('.') ? buildOutput(file, ref.specifier) : null;
        if (built) {
          deps.push([built.target, 'build-output', ref.line]);
          unresolved.push([ref.line, ref.specifier, built.why]);
        } else unresolved.push([ref.line, ref.specifier, result.error]);
      }
    }
    for (const [line, text] of record.entry.y ?? []) {
      if (line === 0) {
        unresolved.push([line, text, 'the scanner could not finish this file']);
        continue;
      }
      // A module loaded by a name computed at run time may be any module: the file depends on all of them.
      deps.push([language === 'python' ? HUB.python : HUB.js, 'dynamic-import', line]);
      unresolved.push([line, text, 'not a literal specifier: every module of the repository counts as its target']);
    }
    return { deps, unresolved };
  };
  return resolveFile;
}

/** Edges that come from a file's own content (its references); the others come from its place in the tree. */
export const CONTENT_EDGE_KINDS: ReadonlySet<EdgeKind> = new Set<EdgeKind>(['import', 'type-import', 'dynamic-import', 'require', 'require-resolve', 'mock', 'mocks-dir', 'url', 'python-import', 'bats-load', 'exec', 'data-file', 'build-output']);

export function buildGraph(input: GraphInput): MapGraph {
  const { project, fileSet, records, tests } = input;
  const resolveFile = createFileResolver(input);
  const dependents = new Map<string, Edge[]>();
  const addEdge = (target: string, edge: Edge): void => {
    // Duplicates (a file importing and reading the same target) cost the walk nothing: it visits a file once.
    const list = dependents.get(target);
    if (list) list.push(edge);
    else dependents.set(target, [edge]);
  };
  const unresolvedAll: UnresolvedImport[] = [];
  let resolved = 0;

  for (const [file, record] of records) {
    const { entry } = record;
    if (input.table && !input.fresh.has(file) && entry.d && entry.u) {
      // Edges straight from the packed cache entry: no per-file arrays on the warm path.
      const packed = entry.d;
      for (let i = 0; i + 2 < packed.length; i += 3) {
        const kind = DEP_KINDS[packed[i + 1]!] as EdgeKind;
        if (input.ignoreTypeImports && kind === 'type-import') continue;
        addEdge(input.table[packed[i]!]!, { file, kind, line: packed[i + 2]! });
      }
      for (const [line, specifier, why] of entry.u) unresolvedAll.push({ file, line, specifier, why });
      continue;
    }
    resolved++;
    const { deps, unresolved } = resolveFile(file, record);
    record.deps = deps;
    record.unresolved = unresolved;
    for (const [target, kind, line] of record.deps) {
      if (input.ignoreTypeImports && kind === 'type-import') continue;
      addEdge(target, { file, kind: kind as EdgeKind, line });
    }
    for (const [line, specifier, why] of record.unresolved!) unresolvedAll.push({ file, line, specifier, why });
  }

  // Importing a module runs each enclosing package's __init__.py first, in tests and sources alike.
  for (const file of records.keys()) {
    if (!file.endsWith('.py')) continue;
    let dir = dirOf(file);
    if (file.endsWith('/__init__.py')) dir = dirOf(dir);
    for (; dir && fileSet.has(`${dir}/__init__.py`); dir = dirOf(dir)) addEdge(`${dir}/__init__.py`, { file, kind: 'package-init' });
  }
  // Hubs: every module of the set points at the hub (only where something uses it).
  if (dependents.has(HUB.python) || dependents.has(HUB.js)) {
    for (const file of records.keys()) {
      const language = languageOf(file);
      const hub = language === 'python' ? HUB.python : language === 'js' ? HUB.js : null;
      if (hub && dependents.has(hub)) addEdge(file, { file: hub, kind: 'dynamic-import' });
    }
  }
  for (const hub of [...dependents.keys()]) {
    const build = BUILD_HUB.exec(hub);
    if (!build) continue;
    const [, output, sources] = build as unknown as [string, string, string];
    const prefix = sources === '.' ? '' : `${sources}/`;
    for (const file of records.keys()) {
      if (file.startsWith(prefix) && !file.startsWith(`${output}/`) && !file.includes('node_modules/') && languageOf(file) === 'js' && !tests.has(file)) addEdge(file, { file: hub, kind: 'build-output' });
    }
  }
  // conftest.py applies to every test at or below its directory.
  const pythonTests = [...tests.keys()].filter((t) => t.endsWith('.py'));
  for (const file of fileSet) {
    if (file !== 'conftest.py' && !file.endsWith('/conftest.py')) continue;
    const dir = dirOf(file);
    for (const test of pythonTests) if (!dir || test.startsWith(`${dir}/`)) addEdge(file, { file: test, kind: 'conftest' });
  }
  // A snapshot belongs to its test: __snapshots__/x.test.ts.snap, __snapshots__/test_x/… (syrupy).
  let testsByDir: Map<string, string[]> | undefined;
  for (const file of fileSet) {
    const at = file.indexOf('__snapshots__/');
    if (at === -1) continue;
    if (!testsByDir) {
      testsByDir = new Map();
      for (const test of tests.keys()) {
        const dir = dirOf(test);
        const list = testsByDir.get(dir);
        if (list) list.push(test);
        else testsByDir.set(dir, [test]);
      }
    }
    const dir = at === 0 ? '' : file.slice(0, at - 1);
    const name = file.slice(at + '__snapshots__/'.length).split('/')[0]!;
    for (const test of testsByDir.get(dir) ?? []) {
      const base = path.posix.basename(test);
      if (name.startsWith(base) || name.startsWith(base.replace(/\.[^.]+$/, '') + '.') || name === base.replace(/\.[^.]+$/, '')) {
        addEdge(file, { file: test, kind: 'snapshot' });
      }
    }
  }
  // Setup files run before every test of their runner.
  for (const runner of project.runners) {
    for (const setup of runner.setupFiles) {
      for (const [test, owners] of tests) if (owners.includes(runner)) addEdge(setup, { file: test, kind: 'config' });
    }
  }
  // Declared edges from the testpace config.
  for (const declared of project.config.edges) {
    const from = picomatch(declared.from, { dot: true });
    const to = picomatch(declared.to, { dot: true });
    const targets = [...fileSet].filter((f) => to(f));
    for (const file of fileSet) if (from(file)) for (const target of targets) addEdge(file, { file: target, kind: 'config' });
  }
  return new MapGraph(dependents, unresolvedAll, resolved);
}

/** Every directory above the files (repo-relative, without the root). */
export function directoriesOf(files: Iterable<string>): Set<string> {
  const dirs = new Set<string>();
  for (const file of files) {
    for (let at = file.lastIndexOf('/'); at > 0; at = file.lastIndexOf('/', at - 1)) {
      const dir = file.slice(0, at);
      if (dirs.has(dir)) break;
      dirs.add(dir);
    }
  }
  return dirs;
}

/** Whether the graph knows `file` as a source of edges (it is code, or something depends on it). */
export function inGraph(graph: Graph, file: string): boolean {
  return graph.hasDependents(file) || languageOf(file) !== null;
}

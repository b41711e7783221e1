// The warm index: the finished graph of the last full build, valid while git's index and the list
// of untracked files are the same (and the options that shape the graph). A warm run then reads
// one file, checks the few files git reports as dirty (by mtime and size, against what they were
// when the index was written), re-scans and re-resolves only those that changed, and patches
// their edges in; no per-file validation of the 10k clean files, no test discovery, no resolver
// set-up unless something changed.
//
// Anything the patch cannot stand for sends the run down the full path (which rebuilds from the
// per-file cache in cache.ts and writes a new index): a changed config or manifest (resolution
// inputs), a file deleted or created since, a changed shell file (its variables reach the files
// that load it), more than MAX_PATCHED changed files, runners that no longer match.
//
// On disk: "TPW1", the header's length (u32 LE), the header (JSON), padding to 4 bytes, then the
// reverse graph as CSR arrays — per node the offset of its dependents (Int32 × n+1), and per edge
// the dependent (Int32), the line (Int32, -1 for none) and the kind (Uint8). Written through a
// temp file and a rename, like the graph cache.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../../lib/version.ts';
import { sealed, unsealed } from './cache-seal.ts';
import { DEP_KINDS, RESOLUTION_INPUTS, packScan, replaceFile } from './cache.ts';
import type { Change, Snapshot } from './changes.ts';
import { languageOf, scanText } from './extract.ts';
import { CONTENT_EDGE_KINDS, type Edge, type EdgeKind, type FileResolver, type Graph, type MapGraph, type UnresolvedImport } from './graph.ts';
import type { RunnerProject } from './project.ts';
import { relevantIgnored } from './ignored.ts';

const MAGIC = 'TPW1';
const WARM_FORMAT = 3;
const FILE = 'warm.bin';
/** Beyond this many changed files, the full path (with its per-file cache) is as quick and simpler. */
const MAX_PATCHED = 64;

/** What shapes the graph besides the files: part of the key. */
export interface GraphOptions {
  ignoreTypeImports: boolean;
  testGlobs: string[] | null;
  /** Files deleted since the base or in the work tree: still nodes, so that their importers resolve to them. */
  deleted: ReadonlySet<string>;
  /** The test command given after `--`. */
  command: string[] | null;
}

interface Header {
  format: number;
  version: string;
  key: string;
  /** Node names, joined by NUL: the files (in git's order, deleted ones last), then any other node. */
  table: string;
  /** How many of the table's entries are the files. */
  files: number;
  edges: number;
  /** Test files (node indices) and, in parallel, the indices of the runners that own each. */
  tests: number[];
  owners: number[][];
  /** runner|dir|config of each runner, in the order the project lists them. */
  runners: string[];
  /** Files git reported as changed in the work tree, with mtime and size then (-1, -1: missing). */
  dirty: Array<[string, number, number]>;
  /** [node, line, specifier, why] */
  unresolved: Array<[number, number, string, string]>;
  /** Source files scanned into the graph. */
  filesInGraph: number;
}

/** The key of the index a run could use: git's index, the untracked files, the options, the version. */
export function warmKey(snapshot: Snapshot, options: GraphOptions): string {
  const hash = createHash('sha1');
  hash.update(`${MAGIC}\0${WARM_FORMAT}\0${VERSION}\0${options.ignoreTypeImports}\0${JSON.stringify(options.testGlobs)}\0${JSON.stringify(options.command)}\0`);
  // Ignored entries: a generated test appearing or going changes the tests.
  for (const entry of relevantIgnored(snapshot.ignored)) hash.update(`!${entry}\0`);
  hash.update(`${[...options.deleted].sort().join('\0')}\0\0`);
  for (const change of snapshot.working) if (change.status === 'untracked') hash.update(`${change.path}\0`);
  hash.update(snapshot.stage);
  return hash.digest('base64');
}

const runnerSignature = (runner: RunnerProject): string => `${runner.runner}|${runner.dir}|${runner.config ?? ''}`;

function statSignature(root: string, file: string): [number, number] {
  try {
    const stat = statSync(path.join(root, file));
    return [stat.mtimeMs, stat.size];
  } catch {
    return [-1, -1];
  }
}

/** The graph of a warm index: edges decoded per node, on demand, as the walk reaches it. */
class PackedGraph implements Graph {
  private index: Map<string, number> | undefined;
  constructor(
    private readonly table: string[],
    private readonly offsets: Int32Array,
    private readonly from: Int32Array,
    private readonly lines: Int32Array,
    private readonly kinds: Uint8Array,
    readonly unresolved: UnresolvedImport[],
    readonly resolved: number,
    /** Node → position in the table, when the caller has built it already. */
    index?: Map<string, number>,
  ) {
    this.index = index;
  }
  private at(node: string): number | undefined {
    this.index ??= new Map(this.table.map((file, i) => [file, i]));
    return this.index.get(node);
  }
  dependentsOf(node: string): readonly Edge[] {
    const at = this.at(node);
    if (at === undefined) return [];
    const edges: Edge[] = [];
    for (let k = this.offsets[at]!; k < this.offsets[at + 1]!; k++) {
      const edge: Edge = { file: this.table[this.from[k]!]!, kind: DEP_KINDS[this.kinds[k]!] as EdgeKind };
      if (this.lines[k]! >= 0) edge.line = this.lines[k]!;
      edges.push(edge);
    }
    return edges;
  }
  hasDependents(node: string): boolean {
    const at = this.at(node);
    return at !== undefined && this.offsets[at + 1]! > this.offsets[at]!;
  }
  dependenciesOf(file: string): string[] {
    const at = this.at(file);
    const out: string[] = [];
    if (at === undefined) return out;
    for (let node = 0; node < this.table.length; node++) {
      for (let k = this.offsets[node]!; k < this.offsets[node + 1]!; k++) {
        if (this.from[k] === at) {
          out.push(this.table[node]!);
          break;
        }
      }
    }
    return out;
  }
}

const KIND_CODE = new Map(DEP_KINDS.map((kind, i) => [kind, i]));

/** Edges as parallel arrays, grouped by the node they point at (CSR). */
interface Packed {
  offsets: Int32Array;
  from: Int32Array;
  lines: Int32Array;
  kinds: Uint8Array;
}

/** Groups edges [to, from, line, kind] by `to` (a counting sort). */
function toCsr(nodes: number, to: ArrayLike<number>, from: ArrayLike<number>, lines: ArrayLike<number>, kinds: ArrayLike<number>): Packed {
  const count = to.length;
  const offsets = new Int32Array(nodes + 1);
  for (let k = 0; k < count; k++) offsets[to[k]! + 1]!++;
  for (let i = 0; i < nodes; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, nodes);
  const packed = { offsets, from: new Int32Array(count), lines: new Int32Array(count), kinds: new Uint8Array(count) };
  for (let k = 0; k < count; k++) {
    const at = fill[to[k]!]!++;
    packed.from[at] = from[k]!;
    packed.lines[at] = lines[k]!;
    packed.kinds[at] = kinds[k]!;
  }
  return packed;
}

export interface WarmWrite {
  key: string;
  /** The files the graph was built over: the existing ones in git's order, then the deleted ones. */
  files: Iterable<string>;
  graph: MapGraph;
  tests: Map<string, RunnerProject[]>;
  runners: RunnerProject[];
  /** The files git reported as changed in the work tree, with mtime and size taken before they were read. */
  dirty: Array<[string, number, number]>;
  filesInGraph: number;
}

/** mtime and size of each file the work tree has changed (-1, -1 for a missing one); take them before reading the files. */
export function dirtySignatures(root: string, working: readonly Change[]): Array<[string, number, number]> {
  return working.map((change) => [change.path, ...statSignature(root, change.path)]);
}

/** Writes the index of a full build; failures only cost speed next time. */
export function writeWarm(dir: string, input: WarmWrite): void {
  try {
    const table = [...input.files];
    const files = table.length;
    const index = new Map(table.map((file, i) => [file, i]));
    const node = (file: string): number => {
      let at = index.get(file);
      if (at === undefined) {
        at = table.length;
        table.push(file);
        index.set(file, at);
      }
      return at;
    };
    const to: number[] = [];
    const from: number[] = [];
    const lines: number[] = [];
    const kinds: number[] = [];
    for (const [target, edges] of input.graph.dependents) {
      const t = node(target);
      for (const edge of edges) {
        to.push(t);
        from.push(node(edge.file));
        lines.push(edge.line ?? -1);
        kinds.push(KIND_CODE.get(edge.kind)!);
      }
    }
    const runners = input.runners.map(runnerSignature);
    const runnerIndex = new Map(input.runners.map((runner, i) => [runner, i]));
    const tests: number[] = [];
    const owners: number[][] = [];
    for (const [test, list] of input.tests) {
      tests.push(node(test));
      owners.push(list.map((runner) => runnerIndex.get(runner) ?? -1));
    }
    if (owners.some((list) => list.includes(-1))) return; // a runner outside the project (--tests): not indexed
    const packed = toCsr(table.length, to, from, lines, kinds);
    const header: Header = {
      format: WARM_FORMAT,
      version: VERSION,
      key: input.key,
      table: table.join('\0'),
      files,
      edges: to.length,
      tests,
      owners,
      runners,
      dirty: input.dirty,
      unresolved: input.graph.unresolved.map((u) => [node(u.file), u.line, u.specifier, u.why]),
      filesInGraph: input.filesInGraph,
    };
    const json = Buffer.from(JSON.stringify(header));
    const start = Math.ceil((8 + json.length) / 4) * 4;
    const n = table.length;
    const e = to.length;
    const buffer = Buffer.alloc(start + 4 * (n + 1) + 8 * e + e);
    buffer.write(MAGIC, 0, 'latin1');
    buffer.writeUInt32LE(json.length, 4);
    json.copy(buffer, 8);
    let at = start;
    for (const array of [packed.offsets, packed.from, packed.lines, packed.kinds]) {
      const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
      bytes.copy(buffer, at);
      at += bytes.length;
    }
    mkdirSync(dir, { recursive: true });
    replaceFile(path.join(dir, FILE), sealed(buffer));
  } catch {
    // A read-only checkout: the next run takes the full path.
  }
}

function readWarm(dir: string, key: string): { header: Header; table: string[]; packed: Packed } | null {
  try {
    const buffer = unsealed(readFileSync(path.join(dir, FILE)));
    if (!buffer) return null; // damaged, or written before the checksum: the full path rebuilds it
    if (buffer.toString('latin1', 0, 4) !== MAGIC) return null;
    const length = buffer.readUInt32LE(4);
    const header = JSON.parse(buffer.toString('utf8', 8, 8 + length)) as Header;
    if (header.format !== WARM_FORMAT || header.version !== VERSION || header.key !== key) return null;
    const table = header.table.split('\0');
    const n = table.length;
    const e = header.edges;
    const start = Math.ceil((8 + length) / 4) * 4;
    if (buffer.length !== start + 4 * (n + 1) + 9 * e) return null;
    // A copy, so the arrays are aligned whatever the Buffer pool did.
    const copy = new Uint8Array(buffer.subarray(start)).buffer;
    return {
      header,
      table,
      packed: {
        offsets: new Int32Array(copy, 0, n + 1),
        from: new Int32Array(copy, 4 * (n + 1), e),
        lines: new Int32Array(copy, 4 * (n + 1) + 4 * e, e),
        kinds: new Uint8Array(copy, 4 * (n + 1) + 8 * e, e),
      },
    };
  } catch {
    return null;
  }
}

export interface WarmContext {
  root: string;
  cacheDir: string;
  key: string;
  working: Change[];
  options: GraphOptions;
  /** Loads the project (its runners) from the files that exist; the classifier needs it too. */
  project: (existing: string[]) => { runners: RunnerProject[] };
  /** A resolver over the files (existing and deleted), built only when a changed file needs one. */
  resolver: (files: string[]) => FileResolver;
}

export interface WarmBuild {
  warm: true;
  graph: Graph;
  tests: Map<string, RunnerProject[]>;
  /** The files that exist, in git's order. */
  existing: string[];
  filesInGraph: number;
  /** Files scanned again in this run. */
  parsed: number;
}

/** The graph from the warm index, patched for files changed since it was written; null when it cannot stand. */
export function loadWarm(context: WarmContext): WarmBuild | null {
  const { root } = context;
  const warm = readWarm(context.cacheDir, context.key);
  if (!warm) return null;
  const { header, table } = warm;

  // What changed since the index was written: among the files dirty then or now.
  const then = new Map(header.dirty.map(([file, m, s]) => [file, [m, s] as const]));
  const now = new Set(context.working.map((c) => c.path));
  const changed: string[] = [];
  for (const file of new Set([...then.keys(), ...now])) {
    const [m, s] = statSignature(root, file);
    const old = then.get(file);
    if (now.has(file) && old && old[0] === m && old[1] === s) continue;
    if (m === -1 || (old && old[0] === -1)) return null; // deleted, or back: the file set moved
    if (RESOLUTION_INPUTS.test(file) || languageOf(file) === 'shell') return null;
    changed.push(file);
  }
  if (changed.length > MAX_PATCHED) return null;

  const files = table.slice(0, header.files);
  const existing = files.filter((file) => !context.options.deleted.has(file));
  const { runners } = context.project(existing);
  if (runners.length !== header.runners.length || runners.some((runner, i) => runnerSignature(runner) !== header.runners[i])) return null;
  const tests = new Map<string, RunnerProject[]>();
  header.tests.forEach((at, i) => tests.set(table[at]!, header.owners[i]!.map((r) => runners[r]!)));

  const code = changed.filter((file) => languageOf(file) !== null);
  let { offsets, from, lines, kinds } = warm.packed;
  let unresolved = header.unresolved;
  let index: Map<string, number> | undefined;
  if (code.length > 0) {
    index = new Map(table.map((file, i) => [file, i]));
    const patched = new Set<number>();
    for (const file of code) {
      const at = index.get(file);
      if (at === undefined) return null;
      patched.add(at);
    }
    const resolve = context.resolver(files);
    const to: number[] = [];
    const src: number[] = [];
    const ln: number[] = [];
    const kd: number[] = [];
    for (let node = 0; node < table.length; node++) {
      for (let k = offsets[node]!; k < offsets[node + 1]!; k++) {
        if (patched.has(from[k]!) && CONTENT_EDGE_KINDS.has(DEP_KINDS[kinds[k]!] as EdgeKind)) continue;
        to.push(node);
        src.push(from[k]!);
        ln.push(lines[k]!);
        kd.push(kinds[k]!);
      }
    }
    unresolved = unresolved.filter(([at]) => !patched.has(at));
    for (const file of code) {
      let text: string;
      try {
        text = readFileSync(path.join(root, file), 'utf8');
      } catch {
        return null;
      }
      const scan = scanText(root, file, text);
      const { deps, unresolved: missing } = resolve(file, { entry: packScan(scan, ''), refs: scan.refs });
      const at = index.get(file)!;
      for (const [target, kind, line] of deps) {
        if (context.options.ignoreTypeImports && kind === 'type-import') continue;
        const t = index.get(target);
        if (t === undefined) return null;
        to.push(t);
        src.push(at);
        ln.push(line);
        kd.push(KIND_CODE.get(kind)!);
      }
      for (const [line, specifier, why] of missing) unresolved.push([at, line, specifier, why]);
    }
    ({ offsets, from, lines, kinds } = toCsr(table.length, to, src, ln, kd));
  }
  const unresolvedImports = unresolved.map(([at, line, specifier, why]) => ({ file: table[at]!, line, specifier, why }));
  return {
    warm: true,
    graph: new PackedGraph(table, offsets, from, lines, kinds, unresolvedImports, code.length, index),
    tests,
    existing,
    filesInGraph: header.filesInGraph,
    parsed: code.length,
  };
}

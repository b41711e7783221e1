// The graph cache: per file, its content hash (git's blob id for clean tracked files, else a
// sha1 of the content with the stat signature that vouches for it), what the scanner found in it
// and — while the file list and the resolution settings are unchanged — where its references
// resolved. A warm run re-reads only files git reports as changed (or whose stat moved, outside
// git), re-scans only those whose hash changed, and re-resolves only those.
// The format is compact (a 10k-file repository's cache is read and written on every run): refs
// and edges are arrays, edge targets are indices into the file table. Writes go through a temp
// file and a rename, so concurrent runs never see half a cache: the last writer wins, whole.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../../lib/version.ts';
import { sealed, unsealed } from './cache-seal.ts';
import type { Ref } from './scan-js.ts';

export const CACHE_FORMAT = 8;

/** Files whose content decides how specifiers resolve: a change to one re-resolves everything. */
export const RESOLUTION_INPUTS = /(^|\/)(package\.json|package-lock\.json|pnpm-lock\.yaml|yarn\.lock|(ts|js)config[\w.-]*\.json|(jest|vitest|vite)\.config\.[cm]?[jt]s|jest\.config\.json|\.mocharc[\w.]*|\.?pytest\.ini|pyproject\.toml|setup\.cfg|tox\.ini|testpace\.config\.json)$/;

/** A resolved edge out of a file: [target, kind, line]. */
export type Dep = [string, string, number];
/** A reference that did not resolve: [line, specifier, why]. */
export type Unresolved = [number, string, string];

const REF_KINDS: ReadonlyArray<Ref['kind']> = ['import', 'type-import', 'dynamic-import', 'require', 'require-resolve', 'mock', 'url', 'data', 'python-import', 'bats-load', 'exec'];
export const DEP_KINDS = ['import', 'type-import', 'dynamic-import', 'require', 'require-resolve', 'mock', 'mocks-dir', 'url', 'python-import', 'conftest', 'bats-load', 'exec', 'data-file', 'snapshot', 'config', 'self', 'package-init', 'build-output', 'symbol'];
const REF_CODE = new Map(REF_KINDS.map((k, i) => [k, i]));
const DEP_CODE = new Map(DEP_KINDS.map((k, i) => [k, i]));

type PackedRef = [number, string, number] | [number, string, number, { l?: number; n?: string[]; g?: 1 }];

/** What the scanner found in one file. */
export interface FileScan {
  refs: Ref[];
  dynamic: Array<{ kind: string; line: number; text: string }>;
  vars?: Record<string, string>;
}

/** One file's cache entry, as stored. */
export interface CacheEntry {
  /** Content hash: `g<blob id>` from git, or `s<sha1>` computed here. */
  h: string;
  /** mtime and size that vouch for an `s` hash. */
  m?: number;
  s?: number;
  r: PackedRef[];
  y?: Array<[number, string]>;
  v?: Record<string, string>;
  /** Resolved edges [target index, kind code, line]…, valid under the cache's resolutionKey. */
  d?: number[];
  u?: Unresolved[];
}


export function packScan(scan: FileScan, hash: string, stat?: { m: number; s: number }): CacheEntry {
  const entry: CacheEntry = {
    h: hash,
    r: scan.refs.map((ref): PackedRef => {
      const extra: { l?: number; n?: string[]; g?: 1 } = {};
      if (ref.level) extra.l = ref.level;
      if (ref.names) extra.n = ref.names;
      if (ref.glob) extra.g = 1;
      const head: [number, string, number] = [REF_CODE.get(ref.kind)!, ref.specifier, ref.line];
      return Object.keys(extra).length > 0 ? [...head, extra] : head;
    }),
  };
  if (stat) {
    entry.m = stat.m;
    entry.s = stat.s;
  }
  if (scan.dynamic.length > 0) entry.y = scan.dynamic.map((d) => [d.line, d.text]);
  if (scan.vars && Object.keys(scan.vars).length > 0) entry.v = scan.vars;
  return entry;
}

export function unpackRefs(entry: CacheEntry): Ref[] {
  return entry.r.map(([code, specifier, line, extra]) => {
    const ref: Ref = { kind: REF_KINDS[code]!, specifier, line };
    if (extra?.l !== undefined) ref.level = extra.l;
    if (extra?.n) ref.names = extra.n;
    if (extra?.g) ref.glob = true;
    return ref;
  });
}

export function packDeps(deps: Dep[], index: Map<string, number>): number[] | undefined {
  const packed: number[] = [];
  for (const [target, kind, line] of deps) {
    const at = index.get(target);
    if (at === undefined) return undefined; // a target outside the table: do not cache this file's edges
    packed.push(at, DEP_CODE.get(kind)!, line);
  }
  return packed;
}

/** Where the cache lives: node_modules/.cache/testpace when there is a node_modules, else .testpace/. */
export function cacheDirectory(root: string, env: NodeJS.ProcessEnv): string {
  if (env.TESTPACE_CACHE_DIR) return path.resolve(root, env.TESTPACE_CACHE_DIR);
  if (existsSync(path.join(root, 'node_modules'))) return path.join(root, 'node_modules', '.cache', 'testpace');
  return path.join(root, '.testpace', 'cache');
}

// On disk (format 5) the cache is two JSON lines in one file. The first holds what every warm run
// needs — the file table, and per cached file its hash, stat signature and resolved edges — as
// parallel arrays; the second holds what the scanner found (refs, dynamic imports, shell
// variables), which a warm run with unchanged resolution settings never looks at: it is parsed
// only when something asks for it (a changed resolution setting, a shell file's variables, a
// write). JSON.stringify never emits a raw newline, so the first newline splits the two.

interface StoredHead {
  format: number;
  version: string;
  resolutionKey: string;
  files: string[];
  /** The cached files, in the order of the arrays below. */
  paths: string[];
  h: string[];
  /** mtime and size (0 when the hash is git's). */
  m: number[];
  s: number[];
  /** Resolved edges (0 when the file's edges are not cached). */
  d: Array<number[] | 0>;
  /** Unresolved references of the files that have some, by position. */
  u: Record<string, Unresolved[]>;
}

type StoredScan = [PackedRef[], Array<[number, string]> | 0, Record<string, string> | 0];

/** A cached entry whose scan is read from the second line only when asked for. */
class StoredEntry implements CacheEntry {
  h: string;
  m?: number;
  s?: number;
  d?: number[];
  u?: Unresolved[];
  constructor(
    private readonly scans: () => StoredScan[],
    private readonly at: number,
    head: StoredHead,
  ) {
    this.h = head.h[at]!;
    const m = head.m[at];
    if (m) {
      this.m = m;
      this.s = head.s[at];
    }
    const d = head.d[at];
    if (d) {
      this.d = d;
      this.u = head.u[at] ?? [];
    }
  }
  get r(): PackedRef[] {
    return this.scans()[this.at]![0];
  }
  get y(): Array<[number, string]> | undefined {
    return this.scans()[this.at]![1] || undefined;
  }
  get v(): Record<string, string> | undefined {
    return this.scans()[this.at]![2] || undefined;
  }
}

/** A cache as read: entries are looked up by file, in the order they were written first. */
export interface CacheView {
  resolutionKey: string;
  /** The file table edge targets index into. */
  files: string[];
  size: number;
  get(file: string): CacheEntry | undefined;
}

export function readCache(dir: string): CacheView | null {
  try {
    const data = unsealed(readFileSync(path.join(dir, 'graph.json')));
    if (!data) return null; // damaged, or written before the checksum: rebuilt from scratch
    const text = data.toString('utf8');
    const split = text.indexOf('\n');
    if (split === -1) return null;
    const head = JSON.parse(text.slice(0, split)) as StoredHead;
    if (head.format !== CACHE_FORMAT || head.version !== VERSION || !Array.isArray(head.files) || !Array.isArray(head.paths)) return null;
    const n = head.paths.length;
    if (head.h.length !== n || head.m.length !== n || head.s.length !== n || head.d.length !== n) return null;
    let scans: StoredScan[] | undefined;
    const loadScans = (): StoredScan[] => {
      scans ??= JSON.parse(text.slice(split + 1)) as StoredScan[];
      return scans;
    };
    // Runs look files up in the order of the file list, which is the order they were written in:
    // a cursor answers those without building an index; anything else goes through a map.
    let cursor = 0;
    let index: Map<string, number> | undefined;
    return {
      resolutionKey: head.resolutionKey,
      files: head.files,
      size: n,
      get(file) {
        let at = -1;
        if (head.paths[cursor] === file) at = cursor++;
        else {
          index ??= new Map(head.paths.map((p, i) => [p, i]));
          at = index.get(file) ?? -1;
          if (at !== -1) cursor = at + 1;
        }
        return at === -1 ? undefined : new StoredEntry(loadScans, at, head);
      },
    };
  } catch {
    return null; // absent, or from another version, or damaged: start cold
  }
}

/** What is written: the file table and, per file, its entry (with `d` packed against the table). */
export interface CacheWrite {
  resolutionKey: string;
  files: string[];
  entries: Array<[string, CacheEntry]>;
}

export function writeCache(dir: string, cache: CacheWrite): void {
  try {
    mkdirSync(dir, { recursive: true });
    // A .testpace/ directory ignores itself, so that it never shows up as a changed file.
    if (path.basename(path.dirname(dir)) === '.testpace' && !existsSync(path.join(path.dirname(dir), '.gitignore'))) {
      writeFileSync(path.join(path.dirname(dir), '.gitignore'), '*\n');
    }
    const head: StoredHead = { format: CACHE_FORMAT, version: VERSION, resolutionKey: cache.resolutionKey, files: cache.files, paths: [], h: [], m: [], s: [], d: [], u: {} };
    const scans: StoredScan[] = [];
    for (const [file, entry] of cache.entries) {
      const at = head.paths.length;
      head.paths.push(file);
      head.h.push(entry.h);
      head.m.push(entry.m ?? 0);
      head.s.push(entry.s ?? 0);
      head.d.push(entry.d ?? 0);
      if (entry.d && entry.u && entry.u.length > 0) head.u[at] = entry.u;
      const y = entry.y && entry.y.length > 0 ? entry.y : 0;
      const v = entry.v && Object.keys(entry.v).length > 0 ? entry.v : 0;
      scans.push([entry.r, y, v]);
    }
    replaceFile(path.join(dir, 'graph.json'), sealed(`${JSON.stringify(head)}\n${JSON.stringify(scans)}\n`));
  } catch {
    // A cache that cannot be written (read-only checkout) only costs speed next time.
  }
}

/** Writes `file` whole or not at all: a temp file next to it, then a rename (concurrent runs: the last one wins). */
export function replaceFile(file: string, data: string | Uint8Array): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, data);
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

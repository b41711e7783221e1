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
import type { Ref } from './scan-js.ts';

export const CACHE_FORMAT = 4;

/** A resolved edge out of a file: [target, kind, line]. */
export type Dep = [string, string, number];
/** A reference that did not resolve: [line, specifier, why]. */
export type Unresolved = [number, string, string];

const REF_KINDS: ReadonlyArray<Ref['kind']> = ['import', 'type-import', 'dynamic-import', 'require', 'require-resolve', 'mock', 'url', 'data', 'python-import', 'bats-load', 'exec'];
const DEP_KINDS = ['import', 'type-import', 'dynamic-import', 'require', 'require-resolve', 'mock', 'mocks-dir', 'url', 'python-import', 'conftest', 'bats-load', 'exec', 'data-file', 'snapshot', 'config', 'self'];
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

export interface GraphCache {
  format: number;
  version: string;
  resolutionKey: string;
  /** The file table edge targets index into (the sorted resolvable files). */
  files: string[];
  entries: Record<string, CacheEntry>;
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

export function unpackDeps(packed: number[], table: readonly string[]): Dep[] {
  const deps: Dep[] = [];
  for (let i = 0; i + 2 < packed.length; i += 3) deps.push([table[packed[i]!]!, DEP_KINDS[packed[i + 1]!]!, packed[i + 2]!]);
  return deps;
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

export function readCache(dir: string): GraphCache | null {
  try {
    const cache = JSON.parse(readFileSync(path.join(dir, 'graph.json'), 'utf8')) as GraphCache;
    if (cache.format !== CACHE_FORMAT || cache.version !== VERSION || typeof cache.entries !== 'object' || !Array.isArray(cache.files)) return null;
    return cache;
  } catch {
    return null; // absent, or from another version, or damaged: start cold
  }
}

export function writeCache(dir: string, cache: GraphCache): void {
  try {
    mkdirSync(dir, { recursive: true });
    // A .testpace/ directory ignores itself, so that it never shows up as a changed file.
    if (path.basename(path.dirname(dir)) === '.testpace' && !existsSync(path.join(path.dirname(dir), '.gitignore'))) {
      writeFileSync(path.join(path.dirname(dir), '.gitignore'), '*\n');
    }
    const file = path.join(dir, 'graph.json');
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, JSON.stringify(cache));
    try {
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  } catch {
    // A cache that cannot be written (read-only checkout) only costs speed next time.
  }
}

// The graph cache: per file, its stat signature, content hash, what the scanner found in it and
// (while the file list and the resolution settings are unchanged) where its references resolved.
// A warm run stats every file, re-reads only those whose size or mtime moved, re-scans only those
// whose content hash changed, and re-resolves only those. Writes go through a temp file and a
// rename, so concurrent runs never see half a cache: the last writer wins, and every version is whole.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../../lib/version.ts';
import type { Ref } from './scan-js.ts';

export const CACHE_FORMAT = 3;

/** A resolved edge out of a file: [target, kind, line]. */
export type Dep = [string, string, number];
/** A reference that did not resolve: [line, specifier, why]. */
export type Unresolved = [number, string, string];

export interface FileScan {
  refs: Ref[];
  dynamic: Array<{ kind: string; line: number; text: string }>;
  vars?: Record<string, string>;
}

export interface CacheEntry {
  /** mtime (ms), size, content hash. */
  m: number;
  s: number;
  h: string;
  scan: FileScan;
  deps?: Dep[];
  unresolved?: Unresolved[];
}

export interface GraphCache {
  format: number;
  version: string;
  /** Hash of the file list and the settings resolution depends on; deps are valid only under it. */
  resolutionKey: string;
  entries: Record<string, CacheEntry>;
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
    if (cache.format !== CACHE_FORMAT || cache.version !== VERSION || typeof cache.entries !== 'object') return null;
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

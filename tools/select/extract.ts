// Reads and scans the source files of the repository, reusing the cache for files whose stat
// signature or content hash is unchanged. TypeScript is loaded only for the rare file the lexer
// could not finish (an unterminated comment or template), where its preProcessFile decides.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type CacheEntry, type CacheView, type Dep, type FileScan, type Unresolved, packScan } from './cache.ts';
import { type Ref, scanJs } from './scan-js.ts';
import { scanPython } from './scan-python.ts';
import { scanShell } from './scan-shell.ts';
import { isJsFile } from './resolve-js.ts';

export type Language = 'js' | 'python' | 'shell';

// Executables without an extension in bin/, libexec/ or scripts/ are read as shell scripts (a file
// whose first line is not a shell's #! yields nothing): tests run them, and they load libraries.
const EXECUTABLE = /(^|\/)(bin|libexec|sbin|scripts?)\/(?:[^/]+\/)*[^/.]+$/;
const SHELL_SHEBANG = /^#!\s*\S*\b(ba|da|k|z)?sh\b|^#!\s*\S*env\s+(-\S+\s+)*(ba|da|k|z)?sh\b/;

export function languageOf(file: string): Language | null {
  if (file.endsWith('.py')) return 'python';
  if (/\.(bats|sh|bash)$/.test(file)) return 'shell';
  if (isJsFile(file)) return 'js';
  if (EXECUTABLE.test(file)) return 'shell';
  return null;
}

interface TsPreProcess {
  preProcessFile(text: string, readImportFiles: boolean, detectJavaScriptImports: boolean): { importedFiles: Array<{ fileName: string; pos: number }> };
}
let typescript: TsPreProcess | null | undefined;

// The TypeScript compiler's own import scanner, for files the lexer could not finish. It is not
// bundled (9 MB that every run would pay to load for a file that rarely exists): the project's own
// typescript is used, or the one next to testpace; without either the lexer's findings stand.
function preProcess(root: string, text: string): Ref[] | null {
  if (typescript === undefined) {
    typescript = null;
    for (const base of [path.join(root, 'package.json'), import.meta.url]) {
      try {
        typescript = createRequire(base)('typescript') as TsPreProcess;
        break;
      } catch {
        // try the next place
      }
    }
  }
  if (!typescript) return null;
  const { importedFiles } = typescript.preProcessFile(text, true, true);
  return importedFiles.map((entry) => ({ kind: 'import', specifier: entry.fileName, line: text.slice(0, entry.pos).split('\n').length }));
}

export function scanText(root: string, file: string, text: string): FileScan {
  const language = languageOf(file);
  if (language === 'python') {
    const { refs, dynamic } = scanPython(text);
    return { refs, dynamic };
  }
  if (language === 'shell') {
    if (!/\.(bats|sh|bash)$/.test(file) && !SHELL_SHEBANG.test(text)) return { refs: [], dynamic: [] };
    const { refs, dynamic, vars } = scanShell(text);
    return { refs, dynamic, vars };
  }
  const result = scanJs(text);
  if (result.unsure) {
    const known = new Set(result.refs.map((ref) => ref.specifier));
    const parsed = preProcess(root, text);
    if (parsed) {
      for (const ref of parsed) if (!known.has(ref.specifier)) result.refs.push(ref);
    } else result.dynamic.push({ kind: 'import', line: 0, text: 'the file ends inside a comment, string or template; imports after that point may be missed' });
  }
  return { refs: result.refs, dynamic: result.dynamic };
}

/** One file of the graph: its cache entry and, once resolved in this run, its edges. */
export interface FileRecord {
  entry: CacheEntry;
  refs?: Ref[];
  deps?: Dep[];
  unresolved?: Unresolved[];
}

export interface Extraction {
  records: Map<string, FileRecord>;
  /** Files whose content changed since the cache (their deps must be resolved again). */
  fresh: Set<string>;
  /** Files actually scanned in this run. */
  parsed: number;
  /** Whether anything differs from the cache read (so it must be written). */
  changed: boolean;
}

const sha1 = (text: string): string => 's' + createHash('sha1').update(text).digest('base64').slice(0, 27);

/**
 * Scans `files` (repo-relative) under `root`, reusing `previous` where the content is the same.
 * `blobs` holds git's content hash of clean tracked files: those are neither read nor stat()ed
 * when the cache knows them; other files are vouched for by mtime and size, then by content hash.
 */
export function extractAll(root: string, files: string[], previous: CacheView | null | undefined, blobs: Map<string, string> | null): Extraction {
  const records = new Map<string, FileRecord>();
  const fresh = new Set<string>();
  let parsed = 0;
  let changed = false;
  for (const file of files) {
    const old = previous?.get(file);
    // 80 bits of the blob id are plenty to tell versions of one file apart, and keep the cache small.
    const blob = blobs?.get(file)?.slice(0, 20);
    if (blob !== undefined && old?.h === `g${blob}`) {
      records.set(file, { entry: old });
      continue;
    }
    const absolute = path.join(root, file);
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      continue; // listed but gone: a deletion git reports as a change
    }
    if (!stat.isFile()) continue;
    if (blob === undefined && old && old.m === stat.mtimeMs && old.s === stat.size) {
      records.set(file, { entry: old });
      continue;
    }
    changed = true;
    const text = readFileSync(absolute, 'utf8');
    const hash = blob !== undefined ? `g${blob}` : sha1(text);
    const vouch = blob !== undefined ? undefined : { m: stat.mtimeMs, s: stat.size };
    if (old && (old.h === hash || (blob !== undefined && old.h === sha1(text)))) {
      // Same content under a new name for its hash (committed since), or a touched file.
      // (Spelled out: a cached entry reads its scan lazily, through getters a spread would drop.)
      const entry: CacheEntry = { h: hash, r: old.r, d: old.d, u: old.u };
      if (old.y) entry.y = old.y;
      if (old.v) entry.v = old.v;
      if (vouch) Object.assign(entry, vouch);
      records.set(file, { entry });
      continue;
    }
    parsed++;
    fresh.add(file);
    const scan = scanText(root, file, text);
    records.set(file, { entry: packScan(scan, hash, vouch), refs: scan.refs });
  }
  if (previous && previous.size !== records.size) changed = true;
  return { records, fresh, parsed, changed };
}

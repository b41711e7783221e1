// Reads and scans the source files of the repository, reusing the cache for files whose stat
// signature or content hash is unchanged. TypeScript is loaded only for the rare file the lexer
// could not finish (an unterminated comment or template), where its preProcessFile decides.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { CacheEntry, FileScan } from './cache.ts';
import { type Ref, scanJs } from './scan-js.ts';
import { scanPython } from './scan-python.ts';
import { scanShell } from './scan-shell.ts';
import { isJsFile } from './resolve-js.ts';

export type Language = 'js' | 'python' | 'shell';

export function languageOf(file: string): Language | null {
  if (file.endsWith('.py')) return 'python';
  if (/\.(bats|sh|bash)$/.test(file)) return 'shell';
  if (isJsFile(file)) return 'js';
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

export interface Extraction {
  entries: Map<string, CacheEntry>;
  /** Files whose content changed since the cache (their deps must be resolved again). */
  fresh: Set<string>;
  /** Files actually scanned in this run. */
  parsed: number;
  /** Files listed by git that are gone from the working tree. */
  missing: Set<string>;
}

/** Scans `files` (repo-relative) under `root`, reusing `previous` where the content is the same. */
export function extractAll(root: string, files: string[], previous: Record<string, CacheEntry> | undefined): Extraction {
  const entries = new Map<string, CacheEntry>();
  const fresh = new Set<string>();
  const missing = new Set<string>();
  let parsed = 0;
  for (const file of files) {
    const absolute = path.join(root, file);
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      missing.add(file);
      continue;
    }
    if (!stat.isFile()) continue;
    const old = previous?.[file];
    if (old && old.m === stat.mtimeMs && old.s === stat.size) {
      entries.set(file, old);
      continue;
    }
    const text = readFileSync(absolute, 'utf8');
    const hash = createHash('sha1').update(text).digest('base64').slice(0, 22);
    if (old && old.h === hash) {
      entries.set(file, { ...old, m: stat.mtimeMs, s: stat.size });
      continue;
    }
    parsed++;
    fresh.add(file);
    entries.set(file, { m: stat.mtimeMs, s: stat.size, h: hash, scan: scanText(root, file, text) });
  }
  return { entries, fresh, parsed, missing };
}

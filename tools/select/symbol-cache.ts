// The symbol tables of files, cached by content (git's blob id, or a sha1 of the text), so that a
// warm run parses only the versions it has not seen: the changed files and their base versions.
// One JSON file per language in the cache directory, written whole through a temp file and a
// rename (the last writer wins, whole), and only when this run parsed something new.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../../lib/version.ts';
import { replaceFile } from './cache.ts';
import { sealed, unsealed } from './cache-seal.ts';

const FORMAT = 3;
/** Entries kept at most: the oldest go first (a cache of symbol tables, not an archive). */
const MAX_ENTRIES = 200_000;

export interface SymbolCache<T> {
  get(id: string): T | undefined;
  set(id: string, table: T): void;
  /** Writes the cache when something was added. */
  save(): void;
}

export function openSymbolCache<T>(cacheDir: string | null, language: string): SymbolCache<T> {
  const file = cacheDir ? path.join(cacheDir, `symbols-${language}.json`) : null;
  let entries: Record<string, T> = {};
  if (file) {
    try {
      const data = unsealed(readFileSync(file));
      // Damaged, or written before the checksum: start empty, and write a sound file at the end.
      if (!data) throw new Error('checksum');
      const parsed = JSON.parse(data.toString('utf8')) as { format?: number; version?: string; entries?: Record<string, T> };
      if (parsed.format === FORMAT && parsed.version === VERSION && parsed.entries) entries = parsed.entries;
    } catch {
      // absent or unreadable: start empty
    }
  }
  let added = 0;
  return {
    get: (id) => entries[id],
    set: (id, table) => {
      if (entries[id] === undefined) added++;
      entries[id] = table;
    },
    save: () => {
      if (!file || added === 0) return;
      const keys = Object.keys(entries);
      if (keys.length > MAX_ENTRIES) for (const key of keys.slice(0, keys.length - MAX_ENTRIES)) delete entries[key];
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        replaceFile(file, sealed(JSON.stringify({ format: FORMAT, version: VERSION, entries })));
      } catch {
        // a cache that cannot be written costs the next run a parse, nothing else
      }
    },
  };
}

/** The id a text is cached under when git's blob id is not at hand. */
export const textId = (text: string): string => 's' + createHash('sha1').update(text).digest('base64').slice(0, 27);

/** Blob ids and contents of `ref:file` for each file, through one `git cat-file --batch`; null where the file is not in `ref`. */
export function gitVersions(root: string, ref: string, files: string[]): Promise<Map<string, { blob: string; text: string } | null>> {
  const out = new Map<string, { blob: string; text: string } | null>();
  if (files.length === 0) return Promise.resolve(out);
  return new Promise((resolve) => {
    const child = execFile('git', ['cat-file', '--batch'], { cwd: root, encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 }, (error, stdout) => {
      if (error) {
        for (const file of files) out.set(file, null);
        return resolve(out);
      }
      const buffer = stdout as unknown as Buffer;
      let at = 0;
      for (const file of files) {
        const end = buffer.indexOf(10, at);
        if (end === -1) {
          out.set(file, null);
          continue;
        }
        const header = buffer.subarray(at, end).toString('utf8');
        at = end + 1;
        const match = /^([0-9a-f]+) blob (\d+)$/.exec(header);
        if (!match) {
          out.set(file, null); // "<ref:file> missing"
          continue;
        }
        const size = Number(match[2]);
        out.set(file, { blob: match[1]!, text: buffer.subarray(at, at + size).toString('utf8') });
        at += size + 1;
      }
      resolve(out);
    });
    child.stdin?.end(files.map((file) => `${ref}:${file}\n`).join(''));
  });
}

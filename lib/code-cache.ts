// V8 code caches for code a bundle compiles at run time (optimize's packed typescript-estree): the
// same scheme as the executables' own cache (scripts/build.mjs), for one more piece of code. The
// cache sits beside the executable as <executable>.<name>.cache, starts with an id of the code it was
// made for, and is ignored when that does not match or V8 rejects it (another Node): the code then
// compiles as it would without one. The build fills it by running the executable once with
// TESTPACE_BUILD_CODE_CACHE set; the cache is written when that run exits, so that it holds every
// function the run compiled, not only the top level.
import { readFileSync, writeFileSync } from 'node:fs';
import { Script } from 'node:vm';

/** Set by scripts/build.mjs while it runs an executable to fill its caches: a path prefix to write them to. */
export const BUILD_CACHE_ENV = 'TESTPACE_BUILD_CODE_CACHE';

export interface CachedCode {
  /** Names the cache file: <executable>.<name>.cache. */
  name: string;
  /** Identifies the code (a hash made at build time). */
  id: string;
  /** The executable the cache sits beside; undefined (running from source) means no cache. */
  executable: string | undefined;
  /** Shown in stack traces. */
  filename: string;
}

function readCache(file: string, id: string): Buffer | undefined {
  try {
    const data = readFileSync(file);
    return data.toString('latin1', 0, id.length) === id ? data.subarray(id.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Compiles `source` as a script, with its code cache when there is one made for it. */
export function compileCached(source: string, code: CachedCode): Script {
  const cachedData = code.executable ? readCache(`${code.executable}.${code.name}.cache`, code.id) : undefined;
  const script = new Script(source, { filename: code.filename, cachedData });
  const out = process.env[BUILD_CACHE_ENV];
  if (out && code.executable) {
    process.once('exit', () => writeFileSync(`${out}.${code.name}`, Buffer.concat([Buffer.from(code.id, 'latin1'), script.createCachedData()])));
  }
  return script;
}

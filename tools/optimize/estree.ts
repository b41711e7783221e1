// typescript-estree, loaded only when a run meets JS/TS files. In the bundle it is embedded
// compressed (scripts/build.mjs defines TESTPACE_PACKED_ESTREE): as plain code its 10 MB would cost
// every start, --help and --version included, some 300 ms to compile; as a compressed string it costs
// a few ms until a run unpacks it, and then compiles with the code cache the build made for it (see
// lib/code-cache.ts; 126 ms of compiling without it). From source (tests) the installed package is
// imported.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import type * as TSESTreeModule from '@typescript-eslint/typescript-estree';
import { compileCached } from '../../lib/code-cache.ts';

declare const TESTPACE_PACKED_ESTREE: string | undefined;
/** A hash of the packed code, made with it by the build. */
declare const TESTPACE_PACKED_ESTREE_ID: string | undefined;

export type Estree = typeof TSESTreeModule;

let loaded: Estree | undefined;

export async function loadEstree(): Promise<Estree> {
  if (loaded) return loaded;
  if (typeof TESTPACE_PACKED_ESTREE === 'string') {
    const code = brotliDecompressSync(Buffer.from(TESTPACE_PACKED_ESTREE, 'base64')).toString('utf8');
    const filename = '/testpace/typescript-estree.cjs';
    const script = compileCached(`(function (module, exports, require, __filename, __dirname) {${code}\n})`, {
      name: 'estree',
      id: typeof TESTPACE_PACKED_ESTREE_ID === 'string' ? TESTPACE_PACKED_ESTREE_ID : 'none',
      executable: import.meta.url.startsWith('file:') ? fileURLToPath(import.meta.url) : undefined,
      filename,
    });
    const factory = script.runInThisContext() as (
      module: { exports: unknown },
      exports: unknown,
      require: NodeJS.Require,
      filename: string,
      dirname: string,
    ) => void;
    const module = { exports: {} as unknown };
    factory(module, module.exports, createRequire(import.meta.url), filename, '/testpace');
    loaded = module.exports as Estree;
  } else {
    // A specifier in a variable: the bundler leaves it alone, so the bundle holds only the packed copy.
    const specifier = '@typescript-eslint/typescript-estree';
    loaded = (await import(specifier)) as Estree;
  }
  return loaded;
}

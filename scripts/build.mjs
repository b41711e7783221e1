// Bundles each tool into one self-contained executable: dist/testpace-<tool>.mjs.
// ESM output with a small shim, because bundled CommonJS code (typescript, yargs' helpers)
// expects require/__filename/__dirname; the .mjs extension keeps a copy runnable from any
// directory, with no package.json next to it.
import { build } from 'esbuild';
import { chmod, readFile } from 'node:fs/promises';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
export const tools = ['profile', 'mem-profile', 'optimize', 'select', 'report'];

const shim = [
  '#!/usr/bin/env node',
  "import { createRequire as __tpCreateRequire } from 'node:module';",
  "import { fileURLToPath as __tpFileURLToPath } from 'node:url';",
  "import { dirname as __tpDirname } from 'node:path';",
  'const require = __tpCreateRequire(import.meta.url);',
  'const __tp_filename = __tpFileURLToPath(import.meta.url);',
  'const __tp_dirname = __tpDirname(__tp_filename);',
].join('\n');

// Parsers embedded compressed and evaluated only when a run needs them: as plain code, optimize's
// typescript-estree (with TypeScript, 10 MB) would cost every start, --help and --version included,
// some 300 ms to compile. tools/optimize/estree.ts unpacks it. Names: tool → define → package.
const packed = { optimize: { TESTPACE_PACKED_ESTREE: '@typescript-eslint/typescript-estree' } };

async function pack(specifier) {
  const result = await build({
    stdin: { contents: `module.exports = require(${JSON.stringify(specifier)});`, resolveDir: root, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    legalComments: 'none',
    logLevel: 'warning',
    minifySyntax: true,
  });
  const compressed = brotliCompressSync(result.outputFiles[0].contents, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9 } });
  return JSON.stringify(compressed.toString('base64'));
}

const only = process.argv.slice(2);
await Promise.all(
  tools
    .filter((tool) => only.length === 0 || only.includes(tool))
    .map(async (tool) => {
      const outfile = path.join(root, 'dist', `testpace-${tool}.mjs`);
      await build({
        entryPoints: [path.join(root, 'tools', tool, 'bin.ts')],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        banner: { js: shim },
        // Free uses of __filename/__dirname (in bundled CommonJS code) point at the bundle itself.
        define: {
          TESTPACE_VERSION: JSON.stringify(pkg.version),
          __filename: '__tp_filename',
          __dirname: '__tp_dirname',
          ...Object.fromEntries(await Promise.all(Object.entries(packed[tool] ?? {}).map(async ([name, specifier]) => [name, await pack(specifier)]))),
        },
        // string-width's own load cost is most of a tool's start-up: see the shim.
        alias: { 'string-width': path.join(root, 'scripts', 'shims', 'string-width.cjs') },
        legalComments: 'none',
        logLevel: 'warning',
        minifySyntax: true,
      });
      await chmod(outfile, 0o755);
    }),
);

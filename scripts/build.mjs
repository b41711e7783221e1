// Bundles each tool into one self-contained executable, dist/testpace-<tool>.cjs, and beside it a V8
// code cache, dist/testpace-<tool>.cjs.cache, that spares each start most of the compiling.
//
// Shape of an executable: a few lines of loader, then the tool's code (one CommonJS bundle from
// esbuild) as a string literal, compiled with node:vm's Script and the code cache. Why:
// - CommonJS, not ESM: each Node built-in module is then loaded where the code first needs it,
//   where an ESM bundle imports every built-in any part of the tool uses before its first line;
// - a string, not code: the loader can hand V8 the cache made for exactly this text. Scanning a
//   string literal costs V8 next to nothing, where the code itself is parsed again on every start;
// - the cache is optional: made here by running the executable once (`--help`), checked against a
//   hash of the code (V8's own check looks at the length only), and ignored when it does not fit
//   (another build, another Node, V8 flags such as --max-old-space-size in NODE_OPTIONS, which V8
//   checks): the tool then compiles as usual, only slower.
// Measured by bench/startup.ts (see docs/profile.md: overhead).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { build } from 'esbuild';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
export const tools = ['profile', 'mem-profile', 'optimize', 'select', 'report'];

/** Set while the build runs each executable once: where to write its code cache when it exits. */
const CACHE_ENV = 'TESTPACE_BUILD_CODE_CACHE';

// The bundle runs inside this function: a CommonJS module's arguments, plus import.meta.url for
// the ESM code in it (yargs finds its own files with it).
const PARAMETERS = 'exports, require, module, __filename, __dirname, __tp_import_meta_url';

// The first two lines are both shell and JavaScript: run as a program, /bin/sh reads the second line
// and starts Node on this file; Node skips the first line and sees a string and a comment. The shell
// takes NODE_EXTRA_CA_CERTS out of Node's environment, which makes Node load every certificate in
// that file as it starts (`node -e 0` took 63 ms with the system's CA bundle there and 26 ms without,
// medians of 20 interleaved runs on this project's machine). The tools never connect anywhere; the loader puts the variable back before any
// code runs, so every command a tool starts inherits the environment exactly as it was.
// flake.nix points `exec node` at nixpkgs' Node: keep the words `exec node "$0"` as they are.
const SAVED_CA_ENV = 'TESTPACE_SAVED_NODE_EXTRA_CA_CERTS';
const LAUNCH =
  `if [ -n "\${NODE_EXTRA_CA_CERTS+set}" ]; then ${SAVED_CA_ENV}=$NODE_EXTRA_CA_CERTS; export ${SAVED_CA_ENV}; unset NODE_EXTRA_CA_CERTS; fi; ` +
  'exec node "$0" "$@"';

function executable(tool, code) {
  const source = `(function (${PARAMETERS}) {${code}\n})`;
  const id = createHash('sha256').update(source).digest('hex').slice(0, 32);
  return [
    '#!/bin/sh',
    `':' //; ${LAUNCH}`,
    `// testpace-${tool} ${pkg.version}, built by scripts/build.mjs: the tool's code is the string below,`,
    '// compiled with the V8 code cache in <this file>.cache when that was made for this same code.',
    "'use strict';",
    `const saved = process.env.${SAVED_CA_ENV};`,
    'if (saved !== undefined) {',
    '  process.env.NODE_EXTRA_CA_CERTS = saved;',
    `  delete process.env.${SAVED_CA_ENV};`,
    '}',
    "const { readFileSync, writeFileSync } = require('node:fs');",
    "const { Script } = require('node:vm');",
    `const ID = '${id}';`,
    `const SOURCE = ${JSON.stringify(source)};`,
    'let cachedData;',
    'try {',
    "  const file = readFileSync(__filename + '.cache');",
    "  if (file.toString('latin1', 0, ID.length) === ID) cachedData = file.subarray(ID.length);",
    '} catch {}',
    'const script = new Script(SOURCE, { filename: __filename, cachedData });',
    `if (process.env.${CACHE_ENV}) {`,
    `  const out = process.env.${CACHE_ENV};`,
    "  process.once('exit', () => writeFileSync(out, Buffer.concat([Buffer.from(ID, 'latin1'), script.createCachedData()])));",
    '}',
    "script.runInThisContext()(exports, require, module, __filename, __dirname, require('node:url').pathToFileURL(__filename).href);",
    '',
  ].join('\n');
}

// Parsers embedded compressed and evaluated only when a run needs them: as plain code, optimize's
// typescript-estree (with TypeScript, 10 MB) would cost every start, --help and --version included,
// some 300 ms to compile. tools/optimize/estree.ts unpacks it. Names: tool → define → package.
// Each gets a code cache of its own (lib/code-cache.ts), filled by the tool's run below.
const packed = { optimize: { TESTPACE_PACKED_ESTREE: '@typescript-eslint/typescript-estree' } };

// How the code caches are filled: the executable's own by one run of --help, which loads the command
// line and the tool's options (a cache made by a longer run came out larger and slower to load);
// optimize's packed typescript-estree by analysing a small test file, which unpacks it and parses.
// profile and mem-profile instead fill theirs with a run of a small command: what they add to a test
// run's wall time is their start-up, and with the run's own code in the cache a run of mem-profile
// started its command 41-43 ms after the tool started instead of 44-49 (medians of 21, two rounds
// each, interleaved); --version took the same (~30 ms) and --help about the same (49-52 ms).
const cacheRuns = {
  'mem-profile': (dir) => ['--quiet', '--out', path.join(dir, 'memory.json'), '--', process.execPath, '-e', '0'],
  profile: (dir) => ['--quiet', '--out', path.join(dir, 'profile.json'), '--', process.execPath, '--test', path.join(dir, 'tests', 'cart.test.mjs')],
};
const SAMPLE_TEST = [
  "import { describe, expect, it } from 'vitest';",
  "import { total } from '../src/cart';",
  '',
  "describe('cart', () => {",
  "  it('waits', async () => {",
  '    await new Promise((resolve) => setTimeout(resolve, 10));',
  '    expect(total([1, 2])).toBe(3);',
  '  });',
  '});',
  '',
].join('\n');

async function fillCaches(tool, outfile) {
  const partial = `${outfile}.cache.${process.pid}`;
  const sample = await mkdtemp(path.join(os.tmpdir(), 'testpace-build-'));
  const runOnce = (args) => execFileSync(process.execPath, [outfile, ...args], { stdio: 'ignore', cwd: sample, env: { ...process.env, [CACHE_ENV]: partial } });
  try {
    await mkdir(path.join(sample, 'tests'));
    await writeFile(path.join(sample, 'tests', 'cart.test.ts'), SAMPLE_TEST);
    await writeFile(path.join(sample, 'tests', 'cart.test.mjs'), "import { test } from 'node:test';\n\ntest('adds', () => {});\n");
    runOnce(cacheRuns[tool]?.(sample) ?? ['--help']);
    await rename(partial, `${outfile}.cache`);
    if (!packed[tool]) return;
    runOnce([sample, '--out', path.join(sample, 'optimize.json')]);
    for (const name of Object.keys(packed[tool]).map(packedCacheName)) await rename(`${partial}.${name}`, `${outfile}.${name}.cache`);
  } finally {
    await rm(sample, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
}

/** TESTPACE_PACKED_ESTREE → estree: the name of its cache, as the code that unpacks it names it. */
const packedCacheName = (define) => define.replace(/^TESTPACE_PACKED_/, '').toLowerCase();

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
  return compressed.toString('base64');
}

/** The defines for a tool's packed code: the code, and an id of it for its code cache. */
async function packedDefines(tool) {
  const defines = {};
  for (const [name, specifier] of Object.entries(packed[tool] ?? {})) {
    const code = await pack(specifier);
    defines[name] = JSON.stringify(code);
    defines[`${name}_ID`] = JSON.stringify(createHash('sha256').update(code).digest('hex').slice(0, 32));
  }
  return defines;
}

// node:assert as yargs's platform shim imports it, and nowhere else: see scripts/shims/yargs-assert.cjs.
const yargsAssert = {
  name: 'yargs-assert',
  setup(build) {
    build.onResolve({ filter: /^(node:)?assert$/ }, (args) =>
      /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]/.test(args.importer) ? { path: path.join(root, 'scripts', 'shims', 'yargs-assert.cjs') } : undefined,
    );
  },
};

// `import text from './x.py?raw'`: the file's text, as vitest reads the same import (lib/raw-text.d.ts).
const rawText = {
  name: 'raw-text',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.slice(0, -'?raw'.length)), namespace: 'raw-text' }));
    build.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
  },
};

const only = process.argv.slice(2);
await Promise.all(
  tools
    .filter((tool) => only.length === 0 || only.includes(tool))
    .map(async (tool) => {
      const outfile = path.join(root, 'dist', `testpace-${tool}.cjs`);
      const result = await build({
        entryPoints: [path.join(root, 'tools', tool, 'bin.ts')],
        bundle: true,
        write: false,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        define: {
          TESTPACE_VERSION: JSON.stringify(pkg.version),
          'import.meta.url': '__tp_import_meta_url',
          ...(await packedDefines(tool)),
        },
        // string-width's own load cost is most of a tool's start-up: see the shim.
        alias: { 'string-width': path.join(root, 'scripts', 'shims', 'string-width.cjs') },
        plugins: [yargsAssert, rawText],
        legalComments: 'none',
        logLevel: 'warning',
        minifySyntax: true,
      });
      await mkdir(path.dirname(outfile), { recursive: true });
      await Promise.all([`${outfile}.cache`, ...Object.keys(packed[tool] ?? {}).map((name) => `${outfile}.${packedCacheName(name)}.cache`)].map((file) => rm(file, { force: true })));
      await writeFile(outfile, executable(tool, result.outputFiles[0].text));
      await chmod(outfile, 0o755);
      await fillCaches(tool, outfile);
    }),
);

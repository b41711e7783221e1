// Runs a TypeScript script (a benchmark, a generator) under Node 20, which cannot strip types:
// esbuild bundles it to a temp file next to it, which then runs with the given arguments.
import { build } from 'esbuild';
import { rawText } from './raw-text.mjs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/run-ts.mjs <script.ts> [args...]');
  process.exit(2);
}
// Inside the repository, so that the bundle's bare imports resolve from its node_modules.
const cache = path.resolve('node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(path.join(cache, 'run-ts-'));
const outfile = path.join(dir, path.basename(script).replace(/\.ts$/, '.mjs'));
await build({
  entryPoints: [script],
  outfile,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  plugins: [rawText],
  // The script sees its own directory, not the bundle's.
  define: { 'import.meta.dirname': JSON.stringify(path.resolve(path.dirname(script))) },
});
const result = spawnSync(process.execPath, [outfile, ...args], {
  stdio: 'inherit',
});
rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);

// testpace-select against `jest --listTests --findRelatedTests`, side by side on the same
// generated TypeScript repositories (issue 6): cold (no cache) and warm (cache valid, a few files
// changed since). Each repository: N files of ~2 KB (imports, comments, strings, templates; ~20 MB
// at 10k, like the issue's), a quarter of them tests, relative imports and a tsconfig/jest alias,
// committed in git.
// Usage: node scripts/run-ts.mjs bench/select-speed.ts [sizes, default 1000,10000] [--runs 5] [--select A.cjs,B.cjs] [--generate-only]
// --select measures other builds of testpace-select in the same rounds (default: dist/testpace-select.cjs).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../lib/stats.ts';
import { binary, repoRoot } from '../tests/helpers.ts';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt === -1 ? 5 : Number(args[runsAt + 1]);
const sizes = (args.find((a) => /^\d+(,\d+)*$/.test(a)) ?? '1000,10000').split(',').map(Number);
const selectAt = args.indexOf('--select');
const selects = selectAt === -1 ? [binary('select')] : args[selectAt + 1]!.split(',').map((file) => path.resolve(file));
const jest = path.join(repoRoot, 'node_modules', '.bin', 'jest');

// A deterministic pseudo-random sequence, so every run builds the same repository.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function moduleText(index: number, imports: string[]): string {
  const lines = [`// Module ${index}: generated for the select benchmark. import { nothing } from './not-an-import';`];
  for (const specifier of imports) lines.push(`import { value as v${lines.length} } from '${specifier}';`);
  lines.push(`/* A block comment with require('./also-not-an-import') and a "quote" inside. */`);
  for (let k = 0; k < 6; k++) {
    lines.push(`export function f${index}_${k}(input: string, count = ${k}): string {`);
    lines.push(`  const label = \`item \${input} #\${count} of ${index}\`; // template with substitutions`);
    lines.push(`  return label.replace(/[^a-z0-9]+/gi, '-') + 'import("./nope")'.length + "x".repeat(count / 2);`);
    lines.push('}');
  }
  lines.push(`export const value = ${index};`);
  return lines.join('\n') + '\n';
}

interface Repo {
  dir: string;
  files: number;
  bytes: number;
  tests: number;
}

function generate(size: number): Repo {
  const dir = mkdtempSync(path.join(os.tmpdir(), `testpace-select-bench-${size}-`));
  const next = random(size);
  const modules = Math.round(size * 0.75);
  const tests = size - modules;
  let bytes = 0;
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
    bytes += text.length;
  };
  const modulePath = (i: number): string => `src/lib/d${Math.floor(i / 100)}/m${i}.ts`;
  for (let i = 0; i < modules; i++) {
    // Imports of lower-numbered modules only: a DAG, deeper towards the end, like real layering.
    const imports: string[] = [];
    const count = i === 0 ? 0 : 1 + Math.floor(next() * 4);
    for (let k = 0; k < count; k++) {
      const target = Math.floor(next() * i);
      const from = path.posix.dirname(modulePath(i));
      const relative = path.posix.relative(from, modulePath(target)).replace(/\.ts$/, '');
      imports.push(next() < 0.2 ? `@lib/d${Math.floor(target / 100)}/m${target}` : relative.startsWith('.') ? relative : `./${relative}`);
    }
    write(modulePath(i), moduleText(i, [...new Set(imports)]));
  }
  for (let t = 0; t < tests; t++) {
    const targets = new Set([Math.floor(next() * modules), Math.floor(next() * modules)]);
    const imports = [...targets].map((target) => path.posix.relative(`tests/t${Math.floor(t / 100)}`, modulePath(target)).replace(/\.ts$/, ''));
    write(`tests/t${Math.floor(t / 100)}/case${t}.test.ts`, moduleText(modules + t, imports));
  }
  write('package.json', JSON.stringify({ name: 'bench', private: true, scripts: { test: 'jest' } }, null, 2));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] }, strict: true } }, null, 2));
  write(
    'jest.config.json',
    JSON.stringify({ testMatch: ['<rootDir>/tests/**/*.test.ts'], moduleFileExtensions: ['ts', 'js', 'json'], moduleNameMapper: { '^@lib/(.*)$': '<rootDir>/src/lib/$1' }, watchman: false }, null, 2),
  );
  write('.gitignore', 'node_modules\n.testpace\n');
  const git = (...gitArgs: string[]): void => void execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@example.invalid', ...gitArgs], { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('commit', '-q', '--allow-empty', '-m', 'start');
  return { dir, files: size, bytes, tests };
}

function timed(command: string, commandArgs: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { ms: number; stdout: string } {
  const started = performance.now();
  const result = spawnSync(command, commandArgs, { cwd, env: { ...process.env, ...env, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

// A few modules in the middle of the graph change (appended code), as in a typical commit.
function touch(repo: Repo, round: number): string[] {
  const changed: string[] = [];
  const modules = Math.round(repo.files * 0.75);
  for (const i of [Math.floor(modules * 0.3), Math.floor(modules * 0.6), Math.floor(modules * 0.9)]) {
    const file = `src/lib/d${Math.floor(i / 100)}/m${i}.ts`;
    writeFileSync(path.join(repo.dir, file), moduleText(i, []) + `export const touched${round} = ${round};\n`, { flag: 'a' });
    changed.push(file);
  }
  return changed;
}

const keepAt = args.indexOf('--generate-only');
if (keepAt !== -1) {
  // For profiling by hand: build one repository, print where, and stop.
  const repo = generate(sizes[0]!);
  console.log(repo.dir);
  process.exit(0);
}

const rows: string[] = [];
for (const size of sizes) {
  process.stderr.write(`generating ${size} files…\n`);
  const repo = generate(size);
  try {
    const jestCold: number[] = [];
    const jestWarm: number[] = [];
    const selectCold: number[][] = selects.map(() => []);
    const selectWarm: number[][] = selects.map(() => []);
    let jestCount = 0;
    let selectCount = 0;
    for (let run = 0; run < runs; run++) {
      const changed = touch(repo, run * 2);
      const jestCache = mkdtempSync(path.join(os.tmpdir(), 'testpace-bench-jest-'));
      const selectCaches = selects.map(() => mkdtempSync(path.join(os.tmpdir(), 'testpace-bench-select-')));
      const jestArgs = (files: string[]): string[] => ['--listTests', '--findRelatedTests', ...files, '--cacheDirectory', jestCache];
      const env = (k: number): NodeJS.ProcessEnv => ({ TESTPACE_CACHE_DIR: selectCaches[k]! });
      // Cold: no cache for any. Rotate which goes first, so none always meets a warmer page cache.
      const steps = [() => jestCold.push(timed(jest, jestArgs(changed), repo.dir).ms), ...selects.map((bundle, k) => () => selectCold[k]!.push(timed(process.execPath, [bundle], repo.dir, env(k)).ms))];
      for (let k = 0; k < steps.length; k++) steps[(k + run) % steps.length]!();
      // Warm: a few more files changed since the cache was written.
      const more = touch(repo, run * 2 + 1);
      const all = [...new Set([...changed, ...more])];
      const jestRun = timed(jest, jestArgs(all), repo.dir);
      jestWarm.push(jestRun.ms);
      selects.forEach((bundle, k) => {
        const selectRun = timed(process.execPath, [bundle], repo.dir, env(k));
        selectWarm[k]!.push(selectRun.ms);
        selectCount = selectRun.stdout.split('\n').filter(Boolean).length;
      });
      jestCount = jestRun.stdout.split('\n').filter(Boolean).length;
      rmSync(jestCache, { recursive: true, force: true });
      for (const cache of selectCaches) rmSync(cache, { recursive: true, force: true });
      execFileSync('git', ['checkout', '-q', '--', 'src'], { cwd: repo.dir });
    }
    const f = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
    const [jc, jw] = [median(jestCold), median(jestWarm)];
    selects.forEach((bundle, k) => {
      const [sc, sw] = [median(selectCold[k]!), median(selectWarm[k]!)];
      rows.push(
        [
          String(size).padStart(6),
          `${(repo.bytes / 1e6).toFixed(1)} MB`.padStart(8),
          String(repo.tests).padStart(6),
          f(jc).padStart(8),
          f(sc).padStart(8),
          `${(sc / jc).toFixed(2)}x`.padStart(7),
          f(jw).padStart(8),
          f(sw).padStart(8),
          `${(sw / jw).toFixed(2)}x`.padStart(7),
          `${selectCount}/${jestCount}`.padStart(9),
          selects.length > 1 ? ` ${path.basename(bundle)}` : '',
        ].join(' '),
      );
    });
  } finally {
    rmSync(repo.dir, { recursive: true, force: true });
  }
}
console.log(`select vs jest --listTests --findRelatedTests: medians of ${runs} runs each, side by side, ${os.cpus().length} cores`);
console.log(' files     size  tests jestCold selCold  ratio jestWarm selWarm  ratio sel/jest');
for (const row of rows) console.log(row);
console.log('targets: cold ratio < 1.00x; warm ratio <= 0.25x. sel/jest: test files listed after the warm change (select also follows type imports, mocks, data files).');

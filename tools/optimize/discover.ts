// Which files are test files, in which language, for which runner.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { InputError } from '../../lib/errors.ts';
import type { Language, Runner } from './file-analysis.ts';

const JS_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx']);
const IGNORED = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/build/**', '**/.venv/**', '**/venv/**', '**/__pycache__/**', '**/site-packages/**', '**/coverage/**'];
export const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec']);

export interface Candidate {
  /** Absolute path. */
  abs: string;
  /** POSIX path relative to the working directory. */
  file: string;
  language: Language;
}

export function languageOf(file: string, explicit: boolean): Language | undefined {
  const base = path.basename(file);
  const ext = path.extname(base);
  // bats-core's own suite keeps .bats files under test/fixtures that its tests run: fixtures, not tests.
  if (ext === '.bats') return explicit || !path.dirname(file).split(/[\\/]/).includes('fixtures') ? 'bats' : undefined;
  if (ext === '.py') return explicit || base.startsWith('test_') || base.endsWith('_test.py') || base === 'conftest.py' ? 'python' : undefined;
  if (!JS_EXTENSIONS.has(ext) || base.endsWith('.d.ts')) return undefined;
  if (explicit || base.includes('.test.') || base.includes('.spec.')) return 'javascript';
  const dirs = path.dirname(file).split(/[\\/]/);
  return dirs.some((dir) => TEST_DIRS.has(dir)) && !dirs.includes('fixtures') ? 'javascript' : undefined;
}

/** The test files under `paths` (files given by name are taken whatever their name). */
export async function discover(paths: readonly string[], cwd: string): Promise<Candidate[]> {
  const found = new Map<string, Candidate>();
  for (const given of paths) {
    const abs = path.resolve(cwd, given);
    if (!existsSync(abs)) throw new InputError(given, 'no such file or directory', { hint: 'name test files or directories that hold them' });
    if (statSync(abs).isFile()) {
      const language = languageOf(abs, true);
      if (!language) throw new InputError(given, 'not a Python, JavaScript/TypeScript or bats file');
      found.set(abs, { abs, file: toPosix(cwd, abs), language });
      continue;
    }
    const files = await glob(['**/*.{py,js,mjs,cjs,jsx,ts,mts,cts,tsx,bats}'], { cwd: abs, ignore: IGNORED, absolute: true, dot: false });
    for (const file of files) {
      const normal = path.resolve(file);
      const language = languageOf(path.relative(cwd, normal), false);
      if (language) found.set(normal, { abs: normal, file: toPosix(cwd, normal), language });
    }
  }
  return [...found.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

export const toPosix = (cwd: string, abs: string) => path.relative(cwd, abs).split(path.sep).join('/') || path.basename(abs);

const configCache = new Map<string, Runner | undefined>();

/** The JS runner of a file: from what it imports, else from the configuration of its package. */
export function jsRunner(abs: string, imports: readonly string[], fallback: Runner | undefined): Runner {
  if (imports.includes('vitest')) return 'vitest';
  if (imports.includes('test')) return 'node-test';
  if (imports.includes('@jest/globals')) return 'jest';
  if (fallback && fallback !== 'pytest' && fallback !== 'bats') return fallback;
  for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
    if (configCache.has(dir)) {
      const cached = configCache.get(dir);
      if (cached) return cached;
    } else {
      const found = configRunner(dir);
      configCache.set(dir, found);
      if (found) return found;
    }
    if (path.dirname(dir) === dir) return 'vitest';
  }
}

function configRunner(dir: string): Runner | undefined {
  const has = (names: string[]) => names.some((name) => existsSync(path.join(dir, name)));
  const ext = ['js', 'mjs', 'cjs', 'ts', 'mts', 'cts', 'json'];
  if (has(ext.map((e) => `vitest.config.${e}`))) return 'vitest';
  if (has(ext.map((e) => `jest.config.${e}`))) return 'jest';
  if (has(['.mocharc.json', '.mocharc.js', '.mocharc.cjs', '.mocharc.yml', '.mocharc.yaml', '.mocharc.jsonc'])) return 'mocha';
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  try {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { jest?: unknown; mocha?: unknown; scripts?: Record<string, string> };
    if (pkg.jest) return 'jest';
    if (pkg.mocha) return 'mocha';
    const script = pkg.scripts?.test ?? '';
    for (const [word, runner] of [['vitest', 'vitest'], ['jest', 'jest'], ['mocha', 'mocha'], ['--test', 'node-test']] as const) {
      if (script.split(/\s+/).some((token) => token === word || token.endsWith('/' + word))) return runner;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

// Where a suite's collection is configured: the place a slow-collection finding points at, instead of
// the suite as a whole. The config file of the runner (at the line of its section or of the setting
// named), else the nearest conftest.py or package.json.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Runner } from './file-analysis.ts';

export interface Place {
  file: string;
  line: number;
}

const CONFIG_EXT = ['ts', 'mts', 'js', 'mjs', 'cjs', 'json'];

/** The first file of `names` in `cwd`, at the first line matching `pattern` (else line 1). */
function find(cwd: string, names: readonly string[], pattern?: RegExp): Place | undefined {
  for (const name of names) {
    const file = path.join(cwd, name);
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').split('\n');
    const index = pattern ? lines.findIndex((line) => pattern.test(line)) : 0;
    if (pattern && index < 0 && name.endsWith('.toml')) continue;
    if (pattern && index < 0 && /\.(ini|cfg)$/.test(name) && name !== 'pytest.ini') continue;
    return { file: name, line: Math.max(0, index) + 1 };
  }
  return undefined;
}

/** Where the runner's collection (and, with `setting`, that setting) is configured, relative to `cwd`. */
export function configLocation(cwd: string, runner: Runner | 'other', setting?: RegExp): Place | undefined {
  switch (runner) {
    case 'pytest':
      return (
        find(cwd, ['pytest.ini'], /^\[pytest\]/) ??
        find(cwd, ['pyproject.toml'], /^\[tool\.pytest\.ini_options\]/) ??
        find(cwd, ['tox.ini'], /^\[pytest\]/) ??
        find(cwd, ['setup.cfg'], /^\[tool:pytest\]/) ??
        find(cwd, ['conftest.py', 'tests/conftest.py', 'test/conftest.py'])
      );
    case 'vitest':
      return find(cwd, [...CONFIG_EXT.map((e) => `vitest.config.${e}`), ...CONFIG_EXT.map((e) => `vite.config.${e}`)], setting ?? /\btest\s*:/) ?? find(cwd, ['package.json'], /"vitest"/);
    case 'jest':
      return find(cwd, CONFIG_EXT.map((e) => `jest.config.${e}`), setting) ?? find(cwd, ['package.json'], /"jest"\s*:/);
    case 'mocha':
      return find(cwd, ['.mocharc.json', '.mocharc.js', '.mocharc.cjs', '.mocharc.yml', '.mocharc.yaml', '.mocharc.jsonc'], setting) ?? find(cwd, ['package.json'], /"test"\s*:/);
    default:
      return find(cwd, ['package.json'], /"test"\s*:/);
  }
}

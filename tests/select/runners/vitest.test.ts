// vitest discovery and aliases (tools/select/runners/vitest.ts) on real git repositories.
import { afterAll, describe, expect, it } from 'vitest';
import { change, gitRepo, removeRepos, select } from '../select-helpers.ts';

afterAll(removeRepos);

const pkg = JSON.stringify({ name: 'pkg', type: 'module', scripts: { test: 'vitest run' } });

describe('select: vitest discovery', () => {
  it('follows regex aliases of resolve.alias in its array form (the package name mapped to its sources)', async () => {
    const dir = await gitRepo({
      'package.json': pkg,
      'vitest.config.mts': [
        "import { resolve } from 'node:path';",
        "import { defineConfig } from 'vitest/config';",
        'export default defineConfig({',
        '  resolve: {',
        '    alias: [',
        "      { find: /^@lib$/, replacement: resolve('./src/index.ts') },",
        "      { find: /^@lib\\/(.*)$/, replacement: resolve('./src/$1.ts') },",
        '    ],',
        '  },',
        '});',
      ].join('\n'),
      'src/index.ts': "export * from './parse';\n",
      'src/parse.ts': 'export const parse = (s: string) => s;\n',
      'src/utils.ts': 'export const id = (s: string) => s;\n',
      'test/index.test.ts': "import { parse } from '@lib';\n",
      'test/utils.test.ts': "import { id } from '@lib/utils';\n",
    });
    await change(dir, { 'src/parse.ts': 'export const parse = (s: string) => s.trim();\n', 'src/utils.ts': 'export const id = (s: string) => s + "";\n' });
    const run = await select(dir);
    expect(run.list).toEqual(['test/index.test.ts', 'test/utils.test.ts']);
    expect(run.err).not.toContain('cannot resolve "@lib');
  });

  it('reads test.include from test itself, never from test.coverage, and applies test.exclude with configDefaults', async () => {
    const dir = await gitRepo({
      'package.json': pkg,
      'vitest.config.ts': [
        "import { configDefaults, defineConfig } from 'vitest/config';",
        'export default defineConfig({',
        '  test: {',
        "    coverage: { include: ['src/**'] },",
        "    exclude: [...configDefaults.exclude, 'test/slow/**'],",
        '  },',
        '});',
      ].join('\n'),
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': "import { a } from './a';\nexport const b = a;\n",
      'test/a.test.ts': "import { a } from '../src/a';\n",
      'test/slow/a.test.ts': "import { a } from '../../src/a';\n",
    });
    await change(dir, { 'src/a.ts': 'export const a = 2;\n' });
    expect((await select(dir)).list).toEqual(['test/a.test.ts']);
  });
});

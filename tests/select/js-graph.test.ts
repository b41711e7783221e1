// Each JavaScript/TypeScript edge kind and resolution rule, on real git repositories.
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { change, edgesOf, gitRepo, removeRepos, select, selectJson } from './select-helpers.ts';

afterAll(removeRepos);

const vitestPackage = JSON.stringify({ name: 'app', type: 'module', scripts: { test: 'vitest run' } });

describe('select: JavaScript and TypeScript edges', () => {
  it('follows static imports, re-exports through an index, and ./x.js written for x.ts', async () => {
    const dir = await gitRepo({
      'package.json': vitestPackage,
      'src/money.ts': 'export const cents = (n: number) => n * 100;\n',
      'src/tax.ts': "import { cents } from './money.js';\nexport const tax = (n: number) => cents(n) / 5;\n",
      'src/index.ts': "export * from './tax';\nexport { cents } from './money.js';\n",
      'tests/tax.test.ts': "import { tax } from '../src/index.js';\n",
      'tests/money.test.ts': "import { cents } from '../src/money';\n",
      'tests/other.test.ts': "import { readFileSync } from 'node:fs';\n",
    });
    await change(dir, { 'src/money.ts': 'export const cents = (n: number) => n * 101;\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => s.file)).toEqual(['tests/money.test.ts', 'tests/tax.test.ts']);
    const tax = document.selected.find((s) => s.file === 'tests/tax.test.ts')!;
    expect(tax.reasons[0]!.chain).toEqual(['src/money.ts', 'src/index.ts', 'tests/tax.test.ts']);
    expect(tax.distance).toBe(2);
  });

  it('keeps type-only imports as edges unless --ignore-type-imports', async () => {
    const dir = await gitRepo({
      'package.json': vitestPackage,
      'src/types.ts': 'export interface Cart { items: number }\n',
      'tests/cart.test.ts': "import type { Cart } from '../src/types';\nconst c: Cart = { items: 1 };\n",
    });
    await change(dir, { 'src/types.ts': 'export interface Cart { items: number; total: number }\n' });
    expect(edgesOf(await selectJson(dir), 'tests/cart.test.ts')).toEqual(['type-import']);
    expect((await select(dir, ['--ignore-type-imports'])).list).toEqual([]);
  });

  it('follows import(), require(), require.resolve() and template-literal imports as globs', async () => {
    const dir = await gitRepo({
      'package.json': JSON.stringify({ name: 'app', scripts: { test: 'jest' } }),
      'src/a.js': 'module.exports = 1;\n',
      'src/b.js': 'module.exports = 2;\n',
      'src/c.js': 'module.exports = 3;\n',
      'src/locale/en.json': '{"hi": "hello"}\n',
      'tests/dynamic.test.js': "test('x', async () => { await import('../src/a.js'); });\n",
      'tests/require.test.js': "const b = require('../src/b');\n",
      'tests/resolve.test.js': "const where = require.resolve('../src/c.js');\n",
      'tests/locale.test.js': 'const lang = "en";\nconst load = () => import(`../src/locale/${lang}.json`);\n',
    });
    await change(dir, { 'src/a.js': 'module.exports = 10;\n', 'src/b.js': 'module.exports = 20;\n', 'src/c.js': 'module.exports = 30;\n', 'src/locale/en.json': '{"hi": "hey"}\n' });
    const document = await selectJson(dir);
    expect(Object.fromEntries(document.selected.map((s) => [s.file, s.reasons[0]!.edges]))).toEqual({
      'tests/dynamic.test.js': ['dynamic-import'],
      'tests/locale.test.js': ['dynamic-import'],
      'tests/require.test.js': ['require'],
      'tests/resolve.test.js': ['require-resolve'],
    });
  });

  it('follows jest.mock/vi.mock paths and the __mocks__ file next to the mocked module', async () => {
    const dir = await gitRepo({
      'package.json': JSON.stringify({ name: 'app', scripts: { test: 'jest' } }),
      'src/db.js': 'module.exports = { query: () => 1 };\n',
      'src/__mocks__/db.js': 'module.exports = { query: () => 0 };\n',
      'src/mailer.js': 'module.exports = {};\n',
      'tests/db.test.js': "jest.mock('../src/db');\ntest('x', () => {});\n",
      'tests/mailer.test.js': "vi.mock('../src/mailer', () => ({}));\n",
    });
    await change(dir, { 'src/__mocks__/db.js': 'module.exports = { query: () => 2 };\n', 'src/mailer.js': 'module.exports = { send() {} };\n' });
    const document = await selectJson(dir);
    expect(edgesOf(document, 'tests/db.test.js')).toEqual(['mocks-dir']);
    expect(edgesOf(document, 'tests/mailer.test.js')).toEqual(['mock']);
  });

  it('follows new URL(…, import.meta.url), data-file paths and snapshots', async () => {
    const dir = await gitRepo({
      'package.json': vitestPackage,
      'tests/fixtures/a.json': '[1]\n',
      'tests/fixtures/b.json': '[2]\n',
      'tests/url.test.ts': "import { readFileSync } from 'node:fs';\nreadFileSync(new URL('./fixtures/a.json', import.meta.url));\n",
      'tests/join.test.ts': "import path from 'node:path';\nconst p = path.join(__dirname, 'fixtures', 'b.json');\n",
      'tests/__snapshots__/snap.test.ts.snap': 'exports[`x 1`] = `1`;\n',
      'tests/snap.test.ts': "test('x', () => expect(1).toMatchSnapshot());\n",
    });
    await change(dir, { 'tests/fixtures/a.json': '[10]\n', 'tests/fixtures/b.json': '[20]\n', 'tests/__snapshots__/snap.test.ts.snap': 'exports[`x 1`] = `2`;\n' });
    const document = await selectJson(dir);
    expect(Object.fromEntries(document.selected.map((s) => [s.file, s.reasons[0]!.edges]))).toEqual({
      'tests/join.test.ts': ['data-file'],
      'tests/snap.test.ts': ['snapshot'],
      'tests/url.test.ts': ['url'],
    });
    expect(document.runAll).toBeNull();
  });

  it("follows Vite's import.meta.glob, relative to the file and to the project root", async () => {
    const dir = await gitRepo({
      'app/package.json': JSON.stringify({ name: 'app', type: 'module', scripts: { test: 'vitest run' } }),
      'app/vitest.config.ts': "export default { test: { include: ['tests/**/*.test.ts'] } };\n",
      'app/src/pages/home.ts': 'export const home = 1;\n',
      'app/src/pages/admin/users.ts': 'export const users = 1;\n',
      'app/src/routes.ts': "export const pages = import.meta.glob('./pages/**/*.ts');\n",
      'app/tests/routes.test.ts': "import { pages } from '../src/routes';\n",
      'app/tests/all.test.ts': "const all = import.meta.glob('/src/**/users.ts', { eager: true });\n",
    });
    await change(dir, { 'app/src/pages/admin/users.ts': 'export const users = 2;\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => [s.file, s.reasons[0]!.edges])).toEqual([
      ['app/tests/all.test.ts', ['dynamic-import']],
      ['app/tests/routes.test.ts', ['dynamic-import', 'import']],
    ]);
  });

  it('ignores imports in comments, strings and template text', async () => {
    const dir = await gitRepo({
      'package.json': vitestPackage,
      'src/real.ts': 'export const x = 1;\n',
      'src/fake.ts': 'export const y = 1;\n',
      'tests/a.test.ts': [
        "// import { y } from '../src/fake';",
        "/* require('../src/fake') */",
        "const s = \"import { y } from '../src/fake'\";",
        'const t = `import("../src/fake")`;',
        'const r = /from "..\\/src\\/fake"/;',
        "import { x } from '../src/real';",
      ].join('\n'),
    });
    await change(dir, { 'src/fake.ts': 'export const y = 2;\n' });
    expect((await select(dir)).list).toEqual([]);
    await change(dir, { 'src/real.ts': 'export const x = 2;\n' });
    expect((await select(dir)).list).toEqual(['tests/a.test.ts']);
  });
});

describe('select: resolution rules', () => {
  it('resolves tsconfig paths and baseUrl through extends', async () => {
    const dir = await gitRepo({
      'package.json': vitestPackage,
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } } }),
      'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json', include: ['src', 'tests'] }),
      'src/lib/price.ts': 'export const price = 1;\n',
      'src/util.ts': 'export const util = 1;\n',
      'tests/price.test.ts': "import { price } from '@lib/price';\n",
      'tests/util.test.ts': "import { util } from 'src/util';\n",
    });
    await change(dir, { 'src/lib/price.ts': 'export const price = 2;\n', 'src/util.ts': 'export const util = 2;\n' });
    expect((await select(dir)).list).toEqual(['tests/price.test.ts', 'tests/util.test.ts']);
  });

  it('resolves each file with its nearest tsconfig, as the projects of a references setup', async () => {
    const dir = await gitRepo({
      'package.json': vitestPackage,
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './packages/web' }, { path: './packages/api' }] }),
      'packages/web/tsconfig.json': JSON.stringify({ compilerOptions: { composite: true, baseUrl: '.', paths: { '~/*': ['src/*'] } } }),
      'packages/web/src/view.ts': 'export const view = 1;\n',
      'packages/web/tests/view.test.ts': "import { view } from '~/view';\n",
      'packages/api/tsconfig.json': JSON.stringify({ compilerOptions: { composite: true, baseUrl: '.', paths: { '~/*': ['lib/*'] } } }),
      'packages/api/lib/view.ts': 'export const view = 2;\n',
      'packages/api/tests/view.test.ts': "import { view } from '~/view';\n",
    });
    await change(dir, { 'packages/api/lib/view.ts': 'export const view = 3;\n' });
    expect((await select(dir)).list).toEqual(['packages/api/tests/view.test.ts']);
  });

  it('resolves package.json "imports" (#subpaths) and a workspace package to its source', async () => {
    const dir = await gitRepo({
      'package.json': JSON.stringify({ name: 'root', private: true, type: 'module', workspaces: ['packages/*'], imports: { '#lib/*': './lib/*' }, scripts: { test: 'node --test' } }),
      '.gitignore': 'node_modules\n',
      'lib/money.js': 'export const m = 1;\n',
      'packages/core/package.json': JSON.stringify({ name: '@ws/core', type: 'module', main: 'dist/index.js', exports: { '.': './dist/index.js', './extra': './dist/extra.js' } }),
      'packages/core/src/index.ts': 'export const core = 1;\n',
      'packages/core/src/extra.ts': 'export const extra = 1;\n',
      'tests/money.test.js': "import { m } from '#lib/money.js';\n",
      'tests/core.test.js': "import { core } from '@ws/core';\n",
      'tests/extra.test.js': "import { extra } from '@ws/core/extra';\n",
    });
    // What the package manager would have done: link the workspace into node_modules.
    await mkdir(path.join(dir, 'node_modules', '@ws'), { recursive: true });
    await symlink(path.join(dir, 'packages', 'core'), path.join(dir, 'node_modules', '@ws', 'core'));
    await change(dir, { 'lib/money.js': 'export const m = 2;\n', 'packages/core/src/index.ts': 'export const core = 2;\n', 'packages/core/src/extra.ts': 'export const extra = 2;\n' });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => s.file)).toEqual(['tests/core.test.js', 'tests/extra.test.js', 'tests/money.test.js']);
    expect(document.unresolved).toEqual([]);
  });

  it('follows jest moduleNameMapper and vite resolve.alias', async () => {
    const dir = await gitRepo({
      'jest/package.json': JSON.stringify({ name: 'j', scripts: { test: 'jest' } }),
      'jest/jest.config.js': "module.exports = {\n  testMatch: ['<rootDir>/spec/**/*.spec.js'],\n  moduleNameMapper: { '^~/(.*)$': '<rootDir>/lib/$1' },\n};\n",
      'jest/lib/a.js': 'module.exports = 1;\n',
      'jest/spec/a.spec.js': "const a = require('~/a');\n",
      'vite/package.json': JSON.stringify({ name: 'v', type: 'module', scripts: { test: 'vitest run' } }),
      'vite/vitest.config.ts':
        "import { fileURLToPath } from 'node:url';\nimport { defineConfig } from 'vitest/config';\nexport default defineConfig({ resolve: { alias: { '@app': fileURLToPath(new URL('./app', import.meta.url)) } }, test: { include: ['check/**/*.check.ts'] } });\n",
      'vite/app/b.ts': 'export const b = 1;\n',
      'vite/check/b.check.ts': "import { b } from '@app/b';\n",
    });
    await change(dir, { 'jest/lib/a.js': 'module.exports = 2;\n', 'vite/app/b.ts': 'export const b = 2;\n' });
    expect((await select(dir)).list).toEqual(['jest/spec/a.spec.js', 'vite/check/b.check.ts']);
  });

  it('treats node_modules packages and builtins as external, and warns about what cannot be resolved', async () => {
    const dir = await gitRepo({
      'package.json': vitestPackage,
      'node_modules/leftpad/package.json': JSON.stringify({ name: 'leftpad', main: 'index.js' }),
      'node_modules/leftpad/index.js': 'module.exports = 1;\n',
      '.gitignore': 'node_modules\n',
      'src/a.ts': "import pad from 'leftpad';\nimport fs from 'node:fs';\nimport missing from './nowhere';\nimport ghost from 'not-installed';\nexport const a = 1;\n",
      'tests/a.test.ts': "import { a } from '../src/a';\n",
    });
    await change(dir, { 'src/a.ts': "import pad from 'leftpad';\nimport fs from 'node:fs';\nimport missing from './nowhere';\nimport ghost from 'not-installed';\nexport const a = 2;\n" });
    const run = await select(dir, ['--format', 'json']);
    const document = JSON.parse(run.out) as { unresolved: Array<{ file: string; line: number; specifier: string }> };
    expect(document.unresolved.map(({ file, line, specifier }) => ({ file, line, specifier }))).toEqual([
      { file: 'src/a.ts', line: 3, specifier: './nowhere' },
      { file: 'src/a.ts', line: 4, specifier: 'not-installed' },
    ]);
    expect(run.err).toContain('src/a.ts:3: cannot resolve "./nowhere"');
  });
});

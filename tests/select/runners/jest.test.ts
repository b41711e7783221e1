// jest discovery (tools/select/runners/jest.ts) on real git repositories.
import { afterAll, describe, expect, it } from 'vitest';
import { change, gitRepo, removeRepos, select } from '../select-helpers.ts';

afterAll(removeRepos);

describe('select: jest discovery', () => {
  it('leaves out what testPathIgnorePatterns matches, and --explain says so', async () => {
    const dir = await gitRepo({
      'package.json': JSON.stringify({ name: 'app', scripts: { test: 'jest' } }),
      'jest.config.js': "module.exports = {\n  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],\n};\n",
      'src/a.js': 'module.exports = 1;\n',
      'test/a.test.js': "require('../src/a');\n",
      'test/e2e/a.test.js': "require('../../src/a');\n",
    });
    await change(dir, { 'src/a.js': 'module.exports = 2;\n' });
    expect((await select(dir)).list).toEqual(['test/a.test.js']);
    expect((await select(dir, ['--explain', 'test/e2e/a.test.js'])).out).toBe(
      'test/e2e/a.test.js is not a test file here: the runner leaves it out (jest.config.js testPathIgnorePatterns "<rootDir>/test/e2e/"), so select does too.\n',
    );
  });

  it('maps a specifier through moduleNameMapper as a whole, as jest does (not only the part the pattern matched)', async () => {
    const dir = await gitRepo({
      'package.json': JSON.stringify({ name: 'app', jest: { moduleNameMapper: { '\\.css$': '<rootDir>/test/style-mock.js', '^@app/(.*)$': '<rootDir>/src/$1' } } }),
      'src/button.js': "require('./button.css');\nmodule.exports = 1;\n",
      'src/button.css': '.b {}\n',
      'src/util/format.js': 'module.exports = 1;\n',
      'test/style-mock.js': 'module.exports = {};\n',
      'test/button.test.js': "require('@app/button');\n",
      'test/format.test.js': "require('@app/util/format');\n",
    });
    await change(dir, { 'test/style-mock.js': 'module.exports = { b: 1 };\n' });
    expect((await select(dir)).list).toEqual(['test/button.test.js']);
  });
});

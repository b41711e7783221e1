// mocha discovery (tools/select/runners/mocha.ts) on real git repositories.
import { afterAll, describe, expect, it } from 'vitest';
import { change, gitRepo, removeRepos, select } from '../select-helpers.ts';

afterAll(removeRepos);

describe('select: mocha discovery', () => {
  it('takes the spec of the mocha command in the test script when there is no .mocharc', async () => {
    const dir = await gitRepo({
      'package.json': JSON.stringify({ name: 'sinon', scripts: { 'test-node': 'mocha --recursive -R dot "test/{src,issues}/**/*-test.js"' } }),
      'src/spy.js': 'module.exports = 1;\n',
      'test/src/spy-test.js': "require('../../src/spy');\n",
      'test/issues/deep/issues-test.js': "require('../../../src/spy');\n",
      'test/helper.js': "require('../src/spy');\n",
    });
    await change(dir, { 'src/spy.js': 'module.exports = 2;\n' });
    expect((await select(dir)).list).toEqual(['test/issues/deep/issues-test.js', 'test/src/spy-test.js']);
  });

  it("takes directories of the script as mocha does (their own files only), its --require as setup, and require('..') as the package", async () => {
    const dir = await gitRepo({
      'package.json': JSON.stringify({ name: 'express', scripts: { test: 'mocha --require test/support/env --reporter spec --check-leaks test/ test/acceptance/' } }),
      'index.js': "module.exports = require('./lib/express');\n",
      'lib/express.js': 'module.exports = {};\n',
      'test/app.js': "var express = require('..');\n",
      'test/acceptance/auth.js': "var app = require('../../examples/auth');\n",
      'test/support/env.js': 'process.env.NODE_ENV = "test";\n',
      'test/support/utils.js': "require('../..');\n",
      'examples/auth/index.js': "var express = require('../../');\n",
    });
    await change(dir, { 'lib/express.js': 'module.exports = { v: 2 };\n' });
    expect((await select(dir)).list).toEqual(['test/acceptance/auth.js', 'test/app.js']);
    await change(dir, { 'lib/express.js': 'module.exports = {};\n', 'test/support/env.js': 'process.env.NODE_ENV = "tests";\n' });
    expect((await select(dir)).err).toContain('a setup file changed: mocha runs it before every test');
  });

  it('takes the test files from the command after --', async () => {
    const dir = await gitRepo({
      'package.json': JSON.stringify({ name: 'x' }),
      'src/a.js': 'module.exports = 1;\n',
      'spec/a.spec.js': "require('../src/a');\n",
      'spec/b.js': "require('../src/a');\n",
    });
    await change(dir, { 'src/a.js': 'module.exports = 2;\n' });
    expect((await select(dir, ['--', 'npx', 'mocha', 'spec/**/*.spec.js'])).list).toEqual(['spec/a.spec.js']);
  });
});

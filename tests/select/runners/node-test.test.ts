// node:test discovery (tools/select/runners/node-test.ts) on real git repositories.
import { afterAll, describe, expect, it } from 'vitest';
import { change, gitRepo, removeRepos, select } from '../select-helpers.ts';

afterAll(removeRepos);

describe('select: node:test discovery', () => {
  it('takes the files of every node --test script, skipping option values', async () => {
    const dir = await gitRepo({
      'package.json': JSON.stringify({
        name: 'md',
        type: 'module',
        scripts: { 'test:specs': 'node --test --test-reporter spec test/run-spec-tests.js', 'test:unit': 'node --test --test-reporter=spec test/unit/*.test.js' },
      }),
      'src/lexer.js': 'export const lex = 1;\n',
      'test/run-spec-tests.js': "import { lex } from '../src/lexer.js';\n",
      'test/unit/lexer.test.js': "import { lex } from '../../src/lexer.js';\n",
      'test/unit/helpers.js': "import { lex } from '../../src/lexer.js';\n",
    });
    await change(dir, { 'src/lexer.js': 'export const lex = 2;\n' });
    expect((await select(dir)).list).toEqual(['test/run-spec-tests.js', 'test/unit/lexer.test.js']);
  });
});

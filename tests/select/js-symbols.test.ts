// Symbol-level selection for JavaScript and TypeScript (issue 15) on real git repositories: a
// change inside a function or method body selects the users of that name, through barrel files
// (`export * from`, `export { x } from`), namespaces (`import * as ns` with listed members),
// aliases and CommonJS; anything that cannot be followed by name keeps the file rule.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { change, gitRepo, removeRepos, select, selectJson } from './select-helpers.ts';

afterAll(removeRepos);

const util = [
  "export function helper(x: number): number {",
  '  return x * 2;',
  '}',
  '',
  'export function unused(x: number) {',
  '  return x;',
  '}',
  '',
].join('\n');
const core = [
  "import { helper } from './util';",
  '',
  'export const LIMIT = 3;',
  '',
  'export function run(x: number): { value: number } {',
  '  return { value: helper(x) + 1 };',
  '}',
  '',
  'export const other = (x: number) => {',
  '  return x;',
  '};',
  '',
  'export class Engine {',
  '  start() {',
  "    return 'on';",
  '  }',
  '  stop(): string {',
  "    return 'off';",
  '  }',
  '}',
  '',
].join('\n');
const project = {
  'package.json': JSON.stringify({ name: 'pkg', scripts: { test: 'vitest run' } }),
  'src/index.ts': "export * from './core';\nexport { helper as double, unused } from './util';\n",
  'src/core.ts': core,
  'src/util.ts': util,
  'test/run.test.ts': "import { run } from '../src';\ntest('run', () => expect(run(1).value).toBe(3));\n",
  'test/other.test.ts': "import * as core from '../src/core';\ntest('other', () => expect(core.other(1)).toBe(1));\n",
  'test/engine.test.ts': "import { Engine } from '../src/index';\ntest('engine', () => expect(new Engine().stop()).toBe('off'));\n",
  'test/double.test.ts': "import { double as twice } from '../src';\ntest('double', () => expect(twice(1)).toBe(2));\n",
  'test/nothing.test.ts': "import '../src';\nimport { LIMIT } from '../src/core';\ntest('nothing', () => expect(LIMIT).toBe(3));\n",
};

describe('select: JavaScript and TypeScript symbols', () => {
  it('selects only the users of a function re-exported through a barrel, under its alias, with the names in the chain', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/util.ts': util.replace('x * 2', 'x * 3') });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => [s.file, s.reasons[0]!.chain])).toEqual([
      ['test/double.test.ts', ['src/util.ts::helper', 'test/double.test.ts']],
      ['test/run.test.ts', ['src/util.ts::helper', 'src/core.ts::run', 'test/run.test.ts']],
    ]);
    expect(document.selected[1]!.reasons[0]!.edges).toEqual(['symbol', 'symbol']);
    // --granularity file keeps the importers' rule.
    expect((await select(dir, ['--granularity', 'file'])).list).toHaveLength(5);
  });

  it('selects every importer for a module-level change', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/core.ts': core.replace('LIMIT = 3', 'LIMIT = 4') });
    expect((await select(dir)).list).toEqual(['test/double.test.ts', 'test/engine.test.ts', 'test/nothing.test.ts', 'test/other.test.ts', 'test/run.test.ts']);
  });

  it('selects the users of a class when one of its methods changes, and the listed members of a namespace import', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/core.ts': core.replace("return 'on'", "return 'ON'") });
    expect((await select(dir)).list).toEqual(['test/engine.test.ts']);
    await change(dir, { 'src/core.ts': core.replace('  return x;\n};', '  return -x;\n};') });
    expect((await select(dir)).list).toEqual(['test/other.test.ts']);
  });

  it('follows CommonJS: module.exports objects, destructured requires, exports.x and require(…).x', async () => {
    const dir = await gitRepo({
      'package.json': JSON.stringify({ name: 'cjs', scripts: { test: 'mocha' } }),
      'lib/math.js': "'use strict';\nfunction add(a, b) {\n  return a + b;\n}\nfunction sub(a, b) {\n  return a - b;\n}\nmodule.exports = { add, minus: sub };\n",
      'lib/text.js': "exports.upper = function (s) {\n  return s.toUpperCase();\n};\nexports.lower = function (s) {\n  return s.toLowerCase();\n};\n",
      'test/add.js': "const { add } = require('../lib/math');\nit('adds', () => add(1, 2));\n",
      'test/minus.js': "const math = require('../lib/math');\nit('subtracts', () => math.minus(2, 1));\n",
      'test/upper.js': "it('upper', () => require('../lib/text').upper('a'));\n",
      'test/lower.js': "const { lower } = require('../lib/text');\nit('lower', () => lower('A'));\n",
    });
    await change(dir, { 'lib/math.js': "'use strict';\nfunction add(a, b) {\n  return b + a;\n}\nfunction sub(a, b) {\n  return a - b;\n}\nmodule.exports = { add, minus: sub };\n" });
    expect((await select(dir)).list).toEqual(['test/add.js']);
    await change(dir, { 'lib/math.js': "'use strict';\nfunction add(a, b) {\n  return a + b;\n}\nfunction sub(a, b) {\n  return -(b - a);\n}\nmodule.exports = { add, minus: sub };\n" });
    expect((await select(dir)).list).toEqual(['test/minus.js']);
    await change(dir, { 'lib/math.js': "'use strict';\nfunction add(a, b) {\n  return a + b;\n}\nfunction sub(a, b) {\n  return a - b;\n}\nmodule.exports = { add, minus: sub };\n" });
    await change(dir, { 'lib/text.js': "exports.upper = function (s) {\n  return s.toLocaleUpperCase();\n};\nexports.lower = function (s) {\n  return s.toLowerCase();\n};\n" });
    expect((await select(dir)).list).toEqual(['test/upper.js']);
  });

  it('widens where a name cannot be followed: a namespace passed whole, eval, a computed require, a call at import, a subprocess', async () => {
    const dir = await gitRepo({
      ...project,
      'test/whole.test.ts': "import * as util from '../src/util';\nconst call = (m: typeof util) => m.unused(1);\ntest('whole', () => expect(call(util)).toBe(1));\n",
      'test/eval.test.ts': "import { run } from '../src/core';\ntest('eval', () => expect(eval('1')).toBe(1));\n",
      'test/computed.test.ts': "const name = '../src/util';\ntest('computed', () => require(name));\n",
      'src/table.ts': "import { unused } from './util';\nexport const TABLE = unused(3);\n",
      'test/table.test.ts': "import { TABLE } from '../src/table';\ntest('table', () => expect(TABLE).toBe(3));\n",
      'test/cli.test.ts': "import { execFileSync } from 'node:child_process';\nimport '../src/util';\ntest('cli', () => execFileSync('node', ['cli.js']));\n",
    });
    await change(dir, { 'src/util.ts': util.replace('  return x;\n', '  return +x;\n') });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => s.file)).toEqual(['test/cli.test.ts', 'test/computed.test.ts', 'test/eval.test.ts', 'test/table.test.ts', 'test/whole.test.ts']);
    expect(document.selected.find((s) => s.file === 'test/table.test.ts')!.reasons[0]!.chain).toEqual(['src/util.ts::unused', 'src/table.ts', 'test/table.test.ts']);
  });

  it('keeps the file rule through a file the tokenizer cannot read: JSX (in .tsx and .js), a regular expression read as a division', async () => {
    const dir = await gitRepo({
      ...project,
      // JSX text with an apostrophe would hide the call to double from a reader of JS tokens.
      'src/view.tsx': "import { double } from './index';\nexport const View = () => <p>it's {double(1)} o'clock</p>;\n",
      'test/view.test.tsx': "import { View } from '../src/view';\ntest('view', () => expect(View()).toBeTruthy());\n",
      // The same in a .js file, as some React projects write it.
      'src/widget.js': "import { double } from './index';\nexport const Widget = () => <p>it's {double(1)} o'clock</p>; export const half = 1 / 2;\n",
      'test/widget.test.js': "import { Widget } from '../src/widget';\ntest('widget', () => expect(Widget()).toBeTruthy());\n",
      // After `)`, `/'/` is a regular expression; read as a division, its quote opens a string.
      'src/mid.ts': "import { double } from './index';\nexport function go(x: string) {\n  if (x) /'/.test(x);\n  return double(1);\n}\n",
      'test/mid.test.ts': "import { go } from '../src/mid';\ntest('mid', () => expect(go('a')).toBe(2));\n",
    });
    await change(dir, { 'src/util.ts': util.replace('x * 2', 'x * 3') });
    const document = await selectJson(dir);
    expect(document.selected.map((s) => s.file)).toEqual(['test/double.test.ts', 'test/mid.test.ts', 'test/run.test.ts', 'test/view.test.tsx', 'test/widget.test.js']);
    expect(document.selected.find((s) => s.file === 'test/mid.test.ts')!.reasons[0]!.chain).toEqual(['src/util.ts::helper', 'src/util.ts::*', 'src/mid.ts', 'test/mid.test.ts']);
  });

  it('counts what a class runs when defined (static fields, decorators) as import-time code, and static method signatures as not', async () => {
    const dir = await gitRepo({
      ...project,
      'src/model.ts': "import { helper, unused } from './util';\nexport class Model {\n  static limit = helper(1);\n  static make(x: number) {\n    return unused(x);\n  }\n}\nexport function plain() {\n  return 1;\n}\n",
      'src/decorated.ts': "import { unused } from './util';\n@unused\nexport class Decorated {}\n",
      'test/plain.test.ts': "import { plain } from '../src/model';\ntest('plain', () => expect(plain()).toBe(1));\n",
      'test/make.test.ts': "import { Model } from '../src/model';\ntest('make', () => expect(Model.make(1)).toBe(1));\n",
      'test/decorated.test.ts': "import { Decorated } from '../src/decorated';\ntest('decorated', () => expect(Decorated).toBeTruthy());\n",
    });
    // helper runs when Model is defined: every importer of model.ts.
    await change(dir, { 'src/util.ts': util.replace('x * 2', 'x * 3') });
    expect((await select(dir)).list).toEqual(['test/double.test.ts', 'test/make.test.ts', 'test/plain.test.ts', 'test/run.test.ts']);
    // unused runs only when make is called, and as the decorator of Decorated (at import).
    await change(dir, { 'src/util.ts': util.replace('  return x;\n', '  return +x;\n') });
    expect((await select(dir)).list).toEqual(['test/decorated.test.ts', 'test/make.test.ts']);
  });

  it('caches symbol tables by content: a second run parses nothing it has seen', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/util.ts': util.replace('x * 2', 'x * 4') });
    const first = await select(dir, ['--debug']);
    const second = await select(dir, ['--debug']);
    expect(first.list).toEqual(second.list);
    expect(first.err).toMatch(/symbols: [1-9]\d* parsed/);
    expect(second.err).toMatch(/symbols: 0 parsed/);
    const cache = path.join(dir, '.testpace', 'cache');
    expect(readdirSync(cache).filter((f) => f.startsWith('symbols-'))).toEqual(['symbols-js.json']);
  });
});

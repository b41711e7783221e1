// Select's caches carry a checksum (issue 17, item 8): a byte flipped in any of them is found, the
// damaged file is ignored and rebuilt, and the answer stays the one a run without cache gives.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { change, gitRepo, removeRepos, selectJson } from './select-helpers.ts';

afterAll(removeRepos);

const util = 'export function helper(x: number): number {\n  return x * 2;\n}\n';
const project = {
  'package.json': JSON.stringify({ name: 'pkg', scripts: { test: 'vitest run' } }),
  'src/index.ts': "export * from './core';\nexport { helper } from './util';\n",
  'src/core.ts': "import { helper } from './util';\nexport function run(x: number) {\n  return helper(x) + 1;\n}\nexport function stop() {\n  return 0;\n}\n",
  'src/util.ts': util,
  'test/run.test.ts': "import { run } from '../src';\ntest('run', () => expect(run(1)).toBe(3));\n",
  'test/stop.test.ts': "import { stop } from '../src/core';\ntest('stop', () => expect(stop()).toBe(0));\n",
  'test/helper.test.ts': "import { helper } from '../src/util';\ntest('helper', () => expect(helper(1)).toBe(2));\n",
};

/** What a run answers: the tests, the chains and edges that carried them, the unresolved imports. */
async function answer(dir: string, args: string[] = []): Promise<unknown> {
  const document = await selectJson(dir, args);
  return { selected: document.selected, unresolved: document.unresolved, runAll: document.runAll };
}

/** Flips the lowest bit of one byte of `file`: the byte `offset` bytes into the first `near`. */
function flip(file: string, near: string, offset: number): void {
  const bytes = readFileSync(file);
  const at = bytes.indexOf(near, 0, 'latin1');
  expect(at, `${near} in ${path.basename(file)}`).toBeGreaterThanOrEqual(0);
  bytes[at + offset]! ^= 0x01;
  writeFileSync(file, bytes);
}

describe('select: cache integrity', () => {
  it('ignores and rebuilds a cache file with a flipped byte: the answer stays the uncached one', async () => {
    const dir = await gitRepo(project);
    await change(dir, { 'src/util.ts': util.replace('x * 2', 'x * 3') });
    const expected = await answer(dir, ['--no-cache']);
    expect((expected as { selected: Array<{ file: string }> }).selected.map((s) => s.file)).toEqual(['test/helper.test.ts', 'test/run.test.ts']);
    const cache = path.join(dir, '.testpace', 'cache');
    expect(await answer(dir)).toEqual(expected); // writes the caches
    const files = { warm: path.join(cache, 'warm.bin'), graph: path.join(cache, 'graph.json'), symbols: path.join(cache, 'symbols-js.json') };
    for (const file of Object.values(files)) expect(existsSync(file), file).toBe(true);

    // Each flip below parses as well as the original (a path in the file table, a name in a
    // symbol table): only the checksum tells them apart.
    const cases: Array<[string, string, number, boolean]> = [
      // the warm index: a path of its file table ('src/core.ts' → 'src/cnre.ts')
      [files.warm, 'src/core.ts', 5, false],
      // the graph cache (read on the full path, so without the warm index): a path, and a packed edge
      [files.graph, 'src/core.ts', 5, true],
      [files.graph, '"d":[', 6, true],
      // the symbol tables: the name run's body references ('helper' → 'hemper')
      [files.symbols, '"refs":["helper"', 12, false],
      // the last byte of each (the checksum itself)
      [files.symbols, '', -1, false],
    ];
    for (const [file, near, offset, dropWarm] of cases) {
      if (offset < 0) {
        const bytes = readFileSync(file);
        bytes[bytes.length - 1]! ^= 0x01;
        writeFileSync(file, bytes);
      } else flip(file, near, offset);
      if (dropWarm) rmSync(files.warm, { force: true });
      expect(await answer(dir), `${path.basename(file)} with "${near}" flipped`).toEqual(expected);
      // The damaged file was replaced by a sound one: the next run answers the same from it.
      expect(await answer(dir)).toEqual(expected);
    }
  });
});

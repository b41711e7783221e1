// Issue 17, item 3: every option that takes a document reads stdin for `-`, written `--opt -` as well
// as `--opt=-` (yargs hands a lone `-` to the positionals unless it is joined to its option).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli as optimize } from '../../tools/optimize/cli.ts';
import { cli as report } from '../../tools/report/cli.ts';
import { memoryIo, repoRoot } from '../helpers.ts';
import { change, gitRepo, removeRepos, select } from '../select/select-helpers.ts';

afterAll(removeRepos);

const fixture = (name: string) => readFile(path.join(repoRoot, 'tests/fixtures/report', name), 'utf8');

/** A profile of two test files, b measured shorter than a. */
async function twoFileProfile(): Promise<string> {
  const sample = JSON.parse(await readFile(path.join(repoRoot, 'tests/fixtures/documents/profile.json'), 'utf8')) as Record<string, unknown>;
  const template = (sample.tests as Array<Record<string, unknown>>)[0]!;
  sample.cwd = '.';
  sample.tests = [
    ['a', 900],
    ['b', 100],
  ].map(([name, ms]) => ({ ...template, file: `tests/${name}.test.js`, name: 'works', id: `tests/${name}.test.js::works`, outcome: 'passed', outcomes: ['passed'], durationMs: { runs: 1, min: ms, median: ms, max: ms, mad: 0 } }));
  return JSON.stringify(sample);
}

describe.each([
  ['--opt -', (option: string) => [option, '-']],
  ['--opt=-', (option: string) => [`${option}=-`]],
])('stdin named %s', (_, stdin) => {
  it('optimize --profile reads the profile from stdin', async () => {
    const io = memoryIo({ stdin: await fixture('pytest-new.json'), cwd: path.join(repoRoot, 'examples/node-test') });
    const code = await optimize(['tests', ...stdin('--profile'), '--format', 'json'], io);
    expect(io.err()).not.toContain('no such file');
    expect(code).toBe(0);
    const document = JSON.parse(io.out()) as { parallel: { basis: string } | null };
    expect(document.parallel?.basis).toContain('medians over 5 measured runs');
  });

  it('select --timings reads the profile from stdin, and it orders the selection', async () => {
    const dir = await gitRepo({
      'package.json': JSON.stringify({ name: 'app', type: 'module', scripts: { test: 'node --test' } }),
      'src/core.js': 'export const core = 1;\n',
      'tests/a.test.js': "import '../src/core.js';\n",
      'tests/b.test.js': "import '../src/core.js';\n",
    });
    await change(dir, { 'src/core.js': 'export const core = 2;\n' });
    const run = await select(dir, [...stdin('--timings'), '--order', 'duration'], { stdin: await twoFileProfile() });
    expect(run.err).toContain('2 of 2 test files');
    expect(run.list).toEqual(['tests/b.test.js', 'tests/a.test.js']);
  });

  it('report --baseline reads the baseline from stdin', async () => {
    const io = memoryIo({ stdin: await fixture('pytest-base.json') });
    const code = await report([path.join(repoRoot, 'tests/fixtures/report/pytest-new.json'), ...stdin('--baseline'), '--format', 'json'], io);
    expect(io.err()).not.toContain('no such file');
    expect(code).toBe(0);
    expect((JSON.parse(io.out()) as { kind: string }).kind).toBe('comparison');
  });
});

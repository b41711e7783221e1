// What a person who mistypes sees: one line saying what is wrong, and the likely fix.
import { describe, expect, it } from 'vitest';
import { cli as profile } from '../tools/profile/cli.ts';
import { cli as memProfile } from '../tools/mem-profile/cli.ts';
import { cli as report } from '../tools/report/cli.ts';
import { memoryIo, tempDir, writeTree } from './helpers.ts';

async function profileSays(args: string[], cwd?: string): Promise<{ code: number; err: string; out: string }> {
  const io = memoryIo(cwd ? { cwd } : {});
  const code = await profile(args, io);
  return { code, err: io.err(), out: io.out() };
}

describe('mistakes on the command line', () => {
  it('a command without the -- before it: suggests the line with it', async () => {
    expect(await profileSays(['pytest', '-q'])).toEqual({
      code: 2,
      out: '',
      err: 'testpace-profile: "pytest" is not an option; the command to run goes after --\n  did you mean `testpace-profile -- pytest -q`?\n',
    });
    // An option of the command (unknown to testpace), and testpace's own options before it.
    const unknown = await profileSays(['--runs', '3', 'pytest', '-x']);
    expect(unknown.err).toContain('did you mean `testpace-profile --runs 3 -- pytest -x`?');
    const memory = memoryIo();
    expect(await memProfile(['npx', 'vitest', 'run'], memory)).toBe(2);
    expect(memory.err()).toContain('did you mean `testpace-mem-profile -- npx vitest run`?');
  });

  it('a misspelled option: names it and the nearest one', async () => {
    expect((await profileSays(['--rnus', '3', '--', 'pytest'])).err).toBe('testpace-profile: unknown option --rnus\n  did you mean --runs? (see testpace-profile --help)\n');
    expect((await profileSays(['--allow-failure', '--', 'pytest'])).err).toContain('did you mean --allow-failures?');
    const io = memoryIo();
    expect(await report(['p.json', '--fail-on-regresion'], io)).toBe(2);
    expect(io.err()).toContain('did you mean --fail-on-regression?');
  });

  it('text where a number goes: shows the value typed', async () => {
    expect((await profileSays(['--runs=three', '--', 'pytest'])).err).toBe('testpace-profile: --runs: expected a number, received "three"\n');
    expect((await profileSays(['--warmup', 'one', '--', 'pytest'])).err).toBe('testpace-profile: --warmup: expected a number, received "one"\n');
  });

  it('a typo in the command: command not found, and the runner meant', async () => {
    const dir = await tempDir();
    expect(await profileSays(['--', 'pytset', '-q'], dir)).toEqual({ code: 2, out: '', err: 'testpace-profile: pytset: command not found\n  did you mean pytest?\n' });
    expect((await profileSays(['--', './run-tests.sh'], dir)).err).toBe('testpace-profile: ./run-tests.sh: command not found\n  is it installed, and on PATH?\n');
  });

  it('--runner that the command contradicts: says what the command runs', async () => {
    expect(await profileSays(['--runner', 'vitest', '--', 'pytest', '-q'])).toEqual({
      code: 2,
      out: '',
      err: 'testpace-profile: --runner vitest: the command "pytest -q" does not look like vitest (it runs pytest)\n  drop --runner to profile it as pytest, or give the command that runs vitest\n',
    });
  });

  it('report on a terminal without a document names those the tools left in .testpace/', async () => {
    const dir = await tempDir();
    const bare = memoryIo({ cwd: dir });
    expect(await report([], bare)).toBe(2);
    expect(bare.err()).toContain('  testpace-profile -- pytest | testpace-report\n');
    await writeTree(dir, { '.testpace/profile.json': '{}', '.testpace/optimize.json': '{}' });
    const io = memoryIo({ cwd: dir });
    expect(await report([], io)).toBe(2);
    expect(io.err()).toBe('testpace-report: stdin: no document given; expected a file name or a document piped to stdin\n  testpace-report .testpace/profile.json .testpace/optimize.json\n');
  });

  it('under -q, a run that recorded no results quotes the last lines of the output', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'test_a.py': 'def test_a():\n    pass\n' });
    const result = await profileSays(['-q', '--', 'python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--no-such-flag'], dir);
    expect(result.err).toContain("no test results were recorded (exit code 4); the last lines of the command's output:");
    expect(result.err).toContain('unrecognized arguments: --no-such-flag');
  });
});

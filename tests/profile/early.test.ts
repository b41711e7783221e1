// The early start (tools/profile/early.ts): which invocations start their first run before the
// command line is parsed, and what happens to that run when the parsed options do or do not ask for it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processIo } from '../../lib/io.ts';
import type { ProfileOptions } from '../../tools/profile/cli.ts';
import { type EarlyStart, earlyPlan, startEarly, takeEarlyStart } from '../../tools/profile/early.ts';
import { processAlive, tempDir } from '../helpers.ts';

const options = (command: string[], overrides: Partial<ProfileOptions> = {}): ProfileOptions => ({
  command,
  runner: undefined,
  junit: undefined,
  runs: 1,
  warmup: 0,
  out: undefined,
  quiet: true,
  allowFailures: false,
  timeoutMs: undefined,
  cpuProfile: false,
  debug: false,
  ...overrides,
});

async function waitFor(file: string): Promise<string> {
  for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return readFileSync(file, 'utf8');
}

describe('the early start', () => {
  it('is taken by plain invocations only: -q, --allow-failures and --out FILE, and a runner it can detect', () => {
    const plans = Object.fromEntries(
      [
        ['--', 'pytest'],
        ['-q', '--out', 'p.json', '--allow-failures', '--', 'npx', 'vitest', 'run'],
        ['--out=p.json', '--quiet', '--', 'python3', '-m', 'pytest', '-x'],
        ['--runs', '3', '--', 'pytest'],
        ['--out', '--', 'pytest'],
        ['-o', '-', '--', 'pytest'],
        ['-qo', 'p.json', '--', 'pytest'],
        ['--junit', 'report.xml', '--', 'pytest'],
        ['--', 'make', 'test'],
        ['--'],
        ['pytest'],
      ].map((argv) => [argv.join(' '), earlyPlan(argv) ?? null]),
    );
    expect(plans).toEqual({
      '-- pytest': { command: ['pytest'], runner: 'pytest', quiet: false },
      '-q --out p.json --allow-failures -- npx vitest run': { command: ['npx', 'vitest', 'run'], runner: 'vitest', quiet: true },
      '--out=p.json --quiet -- python3 -m pytest -x': { command: ['python3', '-m', 'pytest', '-x'], runner: 'pytest', quiet: true },
      '--runs 3 -- pytest': null,
      '--out -- pytest': null,
      '-o - -- pytest': null,
      '-qo p.json -- pytest': null,
      '--junit report.xml -- pytest': null,
      '-- make test': null,
      '--': null,
      pytest: null,
    });
  });

  describe('with a real pytest run', () => {
    const marker = 'TESTPACE_TEST_EARLY_MARK';
    afterEach(() => {
      delete process.env[marker];
    });

    async function project(sleepSeconds: number): Promise<{ command: string[]; mark: string }> {
      const dir = await tempDir('testpace-early-');
      const file = path.join(dir, 'test_wait.py');
      writeFileSync(file, `import os, time\n\ndef test_wait():\n    open(os.environ["${marker}"], "w").write(str(os.getpid()))\n    time.sleep(${sleepSeconds})\n`);
      const mark = path.join(dir, 'pid');
      process.env[marker] = mark;
      return { command: ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', file], mark };
    }

    it('hands the run to options that ask for the same run', async () => {
      const { command, mark } = await project(0);
      const start = (await startEarly(['-q', '--', ...command])) as EarlyStart;
      expect(start.first.pid).toBeGreaterThan(0);
      const taken = await takeEarlyStart(options(command), processIo());
      expect(taken).toBe(start);
      const execution = await taken!.first.execution;
      expect(execution.exitCode).toBe(0);
      expect(Number(await waitFor(mark))).toBeGreaterThan(0);
      // The adapter was in: the test's events are there to be read.
      expect(readFileSync(taken!.first.eventsFile, 'utf8')).toContain('test_wait');
      taken!.setup.signals.dispose();
    });

    it('kills the process group of a run the parsed options do not ask for, and removes its files', async () => {
      const { command, mark } = await project(30);
      const start = (await startEarly(['-q', '--', ...command])) as EarlyStart;
      const pid = Number(await waitFor(mark)); // the test is sleeping
      expect(processAlive(pid)).toBe(true);
      const taken = await takeEarlyStart(options(command, { quiet: false }), processIo());
      expect(taken).toBeUndefined();
      expect(processAlive(pid)).toBe(false);
      expect((await start.first.execution).signal).toBe('SIGKILL');
      expect(existsSync(start.setup.tmpRoot)).toBe(false);
    });
  });
});

// mem-profile's early start (tools/mem-profile/early.ts): which invocations launch their command before
// the command line is parsed, and what becomes of that run when the parsed options do or do not ask for it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processIo } from '../../lib/io.ts';
import { plainInvocation } from '../../lib/entry.ts';
import { startEarly, takeEarlySession } from '../../tools/mem-profile/early.ts';
import { type MemProfileOptions, defaults } from '../../tools/mem-profile/options.ts';
import { finishSession, type Session } from '../../tools/mem-profile/run.ts';
import { memoryIo, processAlive, tempDir } from '../helpers.ts';

const options = (command: string[], overrides: Partial<MemProfileOptions> = {}): MemProfileOptions => ({ ...defaults, command, quiet: true, ...overrides });

/** Alive and not a zombie (killed, but not reaped yet). */
function running(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitFor(file: string): Promise<string> {
  for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return readFileSync(file, 'utf8');
}

describe('the early start of mem-profile', () => {
  it('is taken by plain invocations only: -q and --out FILE, then a command', () => {
    const plans = Object.fromEntries(
      [
        ['--', 'pytest'],
        ['-q', '--out', 'm.json', '--', 'node', 'build.js'],
        ['--out=m.json', '--quiet', '--', 'make', 'test'],
        ['--interval', '50', '--', 'pytest'],
        ['--max-rss', '1G', '--', 'pytest'],
        ['--out', '--', 'pytest'],
        ['-o', '-', '--', 'pytest'],
        ['-qo', 'm.json', '--', 'pytest'],
        ['--'],
        ['pytest'],
      ].map((argv) => [argv.join(' '), plainInvocation(argv) ?? null]),
    );
    expect(plans).toEqual({
      '-- pytest': { command: ['pytest'], quiet: false },
      '-q --out m.json -- node build.js': { command: ['node', 'build.js'], quiet: true },
      '--out=m.json --quiet -- make test': { command: ['make', 'test'], quiet: true },
      '--interval 50 -- pytest': null,
      '--max-rss 1G -- pytest': null,
      '--out -- pytest': null,
      '-o - -- pytest': null,
      '-qo m.json -- pytest': null,
      '--': null,
      pytest: null,
    });
  });

  describe('with a real command', () => {
    const marker = 'TESTPACE_TEST_EARLY_MARK';
    afterEach(() => {
      delete process.env[marker];
    });

    async function script(sleepSeconds: number): Promise<{ command: string[]; mark: string }> {
      const dir = await tempDir('testpace-mem-early-');
      const file = path.join(dir, 'hold.py');
      writeFileSync(file, `import os, time\nopen(os.environ["${marker}"], "w").write(str(os.getpid()))\nblock = bytearray(b"\\x01") * (40 * 1024 * 1024)\ntime.sleep(${sleepSeconds})\n`);
      const mark = path.join(dir, 'pid');
      process.env[marker] = mark;
      return { command: ['python3', file], mark };
    }

    it('hands the session to options that ask for the same run, which finish it into a document', async () => {
      const { command, mark } = await script(0.3);
      const session = (await startEarly(['-q', '--', ...command])) as Session;
      expect(session.running.pid).toBeGreaterThan(0);
      // Options that differ only in what is done with the result (the document's place, the summary) take it.
      const parsed = options(command, { out: undefined, top: 3, leakR2: 0.9 });
      const taken = await takeEarlySession(parsed, processIo());
      expect(taken).toBe(session);
      expect(Number(await waitFor(mark))).toBeGreaterThan(0);
      const io = memoryIo();
      expect(await finishSession(taken!, parsed, io)).toBe(0);
      const document = JSON.parse(io.out()) as { peak: { sampledRssBytes: number }; wallMs: number };
      expect(document.peak.sampledRssBytes).toBeGreaterThanOrEqual(40 * 1024 * 1024);
      expect(document.wallMs).toBeGreaterThanOrEqual(300);
      expect(existsSync(taken!.tmpDir)).toBe(false);
    });

    it('kills the process group of a run the parsed options do not ask for, and removes its files', async () => {
      const { command, mark } = await script(30);
      const session = (await startEarly(['-q', '--', ...command])) as Session;
      const pid = Number(await waitFor(mark));
      expect(running(pid)).toBe(true);
      const taken = await takeEarlySession(options(command, { intervalMs: 50 }), processIo());
      expect(taken).toBeUndefined();
      // The command is the wrapper's child: killed with it, it may still be releasing its memory, then
      // waits as a zombie for whoever adopts it to reap it.
      for (let i = 0; i < 100 && running(pid); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(running(pid)).toBe(false);
      expect((await session.running.exited).signal).toBe('SIGKILL');
      expect(existsSync(session.tmpDir)).toBe(false);
    });
  });
});

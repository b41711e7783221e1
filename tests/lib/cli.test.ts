import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CommandSpec, main, parseDuration, parseSize } from '../../lib/cli.ts';
import { InputError } from '../../lib/errors.ts';
import { binary, memoryIo, tempDir } from '../helpers.ts';

const tools = ['profile', 'mem-profile', 'optimize', 'select', 'report'];

function spec(run: CommandSpec<{ n: number }>['run']): CommandSpec<{ n: number }> {
  return {
    tool: 'report',
    summary: 'A test tool.',
    usage: '[options]',
    examples: [['testpace-report --n 3', 'three']],
    configure: (args) => args.option('n', { type: 'number', default: 1 }),
    toOptions: (argv) => ({ n: Number(argv.n) }),
    run,
  };
}

describe('the shared command line', () => {
  it('passes typed options to run and returns its exit code', async () => {
    const io = memoryIo();
    let seen = 0;
    expect(await main(spec(async (o) => ((seen = o.n), 1)), ['--n', '3'], io)).toBe(1);
    expect(seen).toBe(3);
  });

  it('refuses unknown options with one line and exit 2', async () => {
    const io = memoryIo();
    expect(await main(spec(async () => 0), ['--nope'], io)).toBe(2);
    expect(io.err()).toBe('testpace-report: unknown option --nope\n  see testpace-report --help\n');
  });

  it('prints input errors without a stack, and with one under --debug', async () => {
    const failing = spec(async () => {
      throw new InputError('x.json', 'no such file');
    });
    const quiet = memoryIo();
    expect(await main(failing, [], quiet)).toBe(2);
    expect(quiet.err()).toBe('testpace-report: x.json: no such file\n');
    const loud = memoryIo();
    expect(await main(failing, ['--debug'], loud)).toBe(2);
    expect(loud.err()).toMatch(/^testpace-report: x\.json: no such file\nInputError: x\.json: no such file\n\s+at /);
  });

  it('calls an unexpected exception a bug', async () => {
    const io = memoryIo();
    expect(await main(spec(async () => { throw new TypeError('boom'); }), [], io)).toBe(2);
    expect(io.err()).toBe('testpace-report: internal error: boom\n  this is a bug in testpace; run again with --debug for the stack trace\n');
  });

  it('parses sizes and durations', () => {
    expect(parseSize('512M', '--max-rss')).toBe(512 * 1024 ** 2);
    expect(parseSize('2GiB', '--max-rss')).toBe(2 * 1024 ** 3);
    expect(parseSize('1000', '--max-rss')).toBe(1000);
    expect(() => parseSize('lots', '--max-rss')).toThrow('--max-rss: expected a size such as 512M or 2G, received "lots"');
    expect(parseDuration('60s', '--budget')).toBe(60_000);
    expect(parseDuration('1.5m', '--budget')).toBe(90_000);
    expect(parseDuration('250ms', '--budget')).toBe(250);
    expect(parseDuration('2', '--budget')).toBe(2000);
  });
});

describe('the built executables', () => {
  it('answer --help (with examples) and --version from a copy outside the repository', async () => {
    const dir = await tempDir();
    for (const tool of tools) {
      const copy = path.join(dir, path.basename(binary(tool)));
      await copyFile(binary(tool), copy);
      const help = await runCopy(copy, ['--help'], dir);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`testpace-${tool}`);
      expect(help.stdout).toContain('Examples:');
      const version = await runCopy(copy, ['--version'], dir);
      expect(version).toEqual({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/), stderr: '' });
    }
  });
});

async function runCopy(file: string, args: string[], cwd: string) {
  const { execFile } = await import('node:child_process');
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(file, args, { cwd, env: { PATH: process.env.PATH ?? '' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

// What every tool's executable does first: answer --version, else load the command line and run it.
import path from 'node:path';
import { ExitCode, formatError } from './errors.ts';
import { processIo } from './io.ts';
import type { Io } from './io.ts';
import { VERSION } from './version.ts';

/**
 * Runs a tool as the process. `--version` is answered before the command line is loaded, so that
 * version probes cost only Node's own start-up; everything else goes through `cli`.
 */
export async function runEntry(load: () => Promise<{ cli: (argv: string[], io: Io) => Promise<number> }>): Promise<void> {
  const args = process.argv.slice(2);
  const io = processIo();
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    io.stdout.write(VERSION + '\n');
    return;
  }
  // What escapes a tool's own handling (an error thrown from a callback or a stream's event) is still
  // one line without --debug, never Node's stack trace; it is a bug, and exits 2 as main's do.
  const tool = /testpace-([a-z-]+)/.exec(path.basename(process.argv[1] ?? ''))?.[1] ?? 'unknown';
  const debug = args.includes('--debug');
  const fail = (error: unknown) => {
    io.stderr.write(formatError(tool, error, debug));
    process.exit(ExitCode.usage);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  try {
    const { cli } = await load();
    process.exitCode = await cli(args, io);
  } catch (error) {
    fail(error);
  }
}

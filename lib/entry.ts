// What every tool's executable does first: answer --version, else load the command line and run it.
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
  const { cli } = await load();
  process.exitCode = await cli(args, io);
}

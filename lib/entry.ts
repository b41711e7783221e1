// What every tool's executable does first: answer --version, else load the command line and run it.
import { processIo } from './io.ts';
import type { Io } from './io.ts';
import { VERSION } from './version.ts';

/**
 * Runs a tool as the process. `--version` is answered before the command line is even loaded,
 * so that version probes cost only Node's own start-up; everything else goes through `cli`.
 */
export async function runEntry(load: () => Promise<{ cli: (argv: string[], io: Io) => Promise<number> }>): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(VERSION + '\n');
    return;
  }
  const { cli } = await load();
  process.exitCode = await cli(args, processIo());
}

/**
 * The command of a plain invocation, `[-q|--quiet] [-o|--out FILE] [flags...] -- <command...>`, and
 * whether its output is hidden; undefined for any other (FILE must not start with '-'). What a tool
 * that runs a command may start before its command line is parsed (tools/<tool>/early.ts): such an
 * invocation cannot mean anything else. `flags` are the tool's own switches that may appear too.
 */
export function plainInvocation(argv: readonly string[], flags: readonly string[] = []): { command: string[]; quiet: boolean } | undefined {
  const dashes = argv.indexOf('--');
  if (dashes < 0 || dashes === argv.length - 1) return undefined;
  let quiet = false;
  for (let i = 0; i < dashes; i++) {
    const arg = argv[i]!;
    if (arg === '-q' || arg === '--quiet') quiet = true;
    else if (flags.includes(arg)) continue;
    else if (arg === '-o' || arg === '--out') {
      const file = argv[++i];
      if (i >= dashes || !file || file.startsWith('-')) return undefined;
    } else if (!/^--out=[^-]/.test(arg)) return undefined;
  }
  return { command: argv.slice(dashes + 1), quiet };
}

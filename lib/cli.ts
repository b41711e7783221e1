// The conventions every tool's command line follows: yargs, strict, --help with examples,
// --version, --debug, one-line errors with exit code 2, and the exit-code contract.
import type { Argv } from 'yargs';
import yargs from 'yargs';
import { ExitCode, UsageError, formatError } from './errors.ts';
import type { Io } from './io.ts';
import { VERSION } from './version.ts';

export type ToolName = 'profile' | 'mem-profile' | 'optimize' | 'select' | 'report';

/** Options every tool accepts. */
export interface GlobalOptions {
  debug: boolean;
}

/** How a tool's command line is defined; `main` does the rest. */
export interface CommandSpec<Options> {
  tool: ToolName;
  /** One line: what the tool is for. */
  summary: string;
  /** yargs usage string after the binary name, e.g. '[options] -- <command...>'. */
  usage: string;
  /** Real examples: [command, what it does]. */
  examples: ReadonlyArray<readonly [string, string]>;
  /** Adds the tool's options (and subcommands) to yargs. */
  configure(args: Argv): Argv;
  /** Builds typed options from parsed arguments; throws UsageError for combinations yargs cannot check. */
  toOptions(argv: Record<string, unknown>, io: Io): Options | Promise<Options>;
  /** Runs the tool; loaded lazily so that --help and --version stay fast. */
  run(options: Options, io: Io): Promise<number>;
  /** Whether arguments after `--` are collected into argv['--'] (commands to run). */
  passThrough?: boolean;
}

/**
 * Parses `argv`, runs the tool and returns its exit code. Errors in the taxonomy print one
 * line (two with a hint) and return 2; other errors are bugs and say so.
 */
export async function main<Options>(spec: CommandSpec<Options>, argv: string[], io: Io): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const parser = spec
      .configure(
        yargs()
          .scriptName(`testpace-${spec.tool}`)
          .usage(`$0 ${spec.usage}\n\n${spec.summary}`)
          .option('debug', { type: 'boolean', default: false, describe: 'Show stack traces of errors' })
          .version(VERSION)
          .help()
          .alias('h', 'help')
          .alias('V', 'version')
          .strictOptions()
          .exitProcess(false)
          .wrap(Math.min(110, io.stdout.columns ?? 100))
          .parserConfiguration({ 'populate--': spec.passThrough ?? false, 'strip-dashed': true }),
      )
      .epilogue('Exit codes: 0 success; 1 the result says fail; 2 usage or input error.');
    for (const [command, description] of spec.examples) parser.example(command, description);

    const parsed = await new Promise<{ args: Record<string, unknown>; output: string }>((resolve, reject) => {
      parser.parse(joinLoneDash(argv, parser), {}, (error: Error | null | undefined, args: Record<string, unknown>, output: string) => {
        if (error) reject(new UsageError(error.message, `see testpace-${spec.tool} --help`));
        else resolve({ args, output });
      });
    });
    if (parsed.output) {
      // --help or --version: yargs hands its text over instead of printing it.
      io.stdout.write(parsed.output.endsWith('\n') ? parsed.output : parsed.output + '\n');
      return ExitCode.ok;
    }
    const options = await spec.toOptions(parsed.args, io);
    return await spec.run(options, io);
  } catch (error) {
    io.stderr.write(formatError(spec.tool, error, debug));
    return ExitCode.usage;
  }
}

/**
 * `--profile -` as `--profile=-`: yargs will not take a lone `-` as an option's value and hands it to
 * the positionals, so stdin named either way reads the same. Only options that take one string value
 * (array options collect `-` themselves) and only before `--` (the command's own arguments).
 */
export function joinLoneDash(argv: readonly string[], parser: Argv): string[] {
  // getOptions() is public in yargs but missing from its types.
  const options = (parser as unknown as { getOptions(): { string: string[]; array: string[] } }).getOptions();
  const single = new Set(options.string.filter((name) => !options.array.includes(name)));
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      joined.push(...argv.slice(i));
      break;
    }
    const name = /^--?([^=-][^=]*)$/.exec(token)?.[1];
    if (name !== undefined && single.has(name) && argv[i + 1] === '-') {
      joined.push(`${token}=-`);
      i++;
    } else joined.push(token);
  }
  return joined;
}

/** The command after `--` (tools that run one); a usage error naming `usage` when there is none. */
export function commandAfterDashes(argv: Record<string, unknown>, what: string, usage: string): string[] {
  const command = ((argv['--'] as unknown[] | undefined) ?? []).map(String);
  if (command.length === 0) throw new UsageError(`no ${what} given`, `usage: ${usage}`);
  return command;
}

/** Parses a size such as 512M, 2GiB, 300000 (bytes). */
export function parseSize(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)$/i.exec(text.trim());
  if (!match) throw new UsageError(`${option}: expected a size such as 512M or 2G, received "${text}"`);
  const power = { '': 0, k: 1, m: 2, g: 3, t: 4 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(match[1]) * 1024 ** power);
}

/** Parses a duration such as 60s, 1.5m, 250ms, 2h (a bare number is seconds); returns milliseconds. */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${option}: expected a duration such as 60s, 1.5m or 250ms, received "${text}"`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * factor;
}

/** --kill-after, shared by the tools that run a command. */
export const killAfterOption = {
  type: 'string',
  default: '10s',
  describe: 'After a stop (Ctrl-C, SIGTERM, a limit), how long the command gets before SIGKILL',
} as const;

/** Reads --kill-after (a duration, zero meaning SIGKILL at once) into milliseconds. */
export function parseKillAfter(argv: Record<string, unknown>): number {
  return parseDuration(String(argv.killAfter ?? '10s'), '--kill-after');
}

// The conventions every tool's command line follows: yargs, strict, --help with examples,
// --version, --debug, one-line errors with exit code 2, and the exit-code contract.
import type { Argv } from 'yargs';
import yargs from 'yargs';
import { ExitCode, UsageError, formatError } from './errors.ts';
import { type Io, terminalColumns } from './io.ts';
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

const EXIT_CODES = 'Exit codes: 0 success; 1 the result says fail; 2 usage or input error.';

/**
 * Adds the examples to yargs' help, each command on one line whatever the width (yargs wraps its own
 * examples into lines that cannot be copied), its description on the next.
 */
function withExamples(help: string, examples: CommandSpec<unknown>['examples']): string {
  const lines = examples.length ? ['Examples:'] : [];
  for (const [command, description] of examples) lines.push(`  ${command}`, `      ${description}`);
  return [help.trimEnd(), lines.join('\n'), EXIT_CODES].filter(Boolean).join('\n\n') + '\n';
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
          .wrap(Math.min(110, terminalColumns(io.stdout, io.env)))
          .parserConfiguration({ 'populate--': spec.passThrough ?? false, 'strip-dashed': true }),
      );

    const known = knownOptions(parser);
    const parsed = await new Promise<{ args: Record<string, unknown>; output: string }>((resolve, reject) => {
      parser.parse(argv, {}, (error: Error | null | undefined, args: Record<string, unknown>, output: string) => {
        if (error) reject(forgottenDashes(spec, argv, known) ?? unknownOption(spec.tool, error.message, known) ?? new UsageError(error.message, `see testpace-${spec.tool} --help`));
        else resolve({ args, output });
      });
    });
    if (parsed.output) {
      // --help or --version: yargs hands its text over instead of printing it.
      const text = parsed.args.help ? withExamples(parsed.output, spec.examples) : parsed.output;
      io.stdout.write(text.endsWith('\n') ? text : text + '\n');
      return ExitCode.ok;
    }
    if (spec.passThrough && (parsed.args._ as unknown[]).length > 0) {
      const forgotten = forgottenDashes(spec, argv, known);
      if (forgotten) throw forgotten;
    }
    notANumber(parsed.args, argv, known);
    const options = await spec.toOptions(parsed.args, io);
    return await spec.run(options, io);
  } catch (error) {
    io.stderr.write(formatError(spec.tool, error, debug));
    return ExitCode.usage;
  }
}

/** The options a parser knows: every name and alias, and which of them take no value. */
interface KnownOptions {
  names: string[];
  flags: Set<string>;
  numbers: Set<string>;
}

function knownOptions(parser: Argv): KnownOptions {
  // getOptions() is yargs' own (public in its docs, missing from its types).
  const options = (parser as unknown as { getOptions(): { key: Record<string, unknown>; boolean: string[]; number: string[]; alias: Record<string, string[]> } }).getOptions();
  const names = new Set<string>(Object.keys(options.key));
  const flags = new Set<string>(options.boolean);
  const numbers = new Set<string>(options.number);
  for (const [name, aliases] of Object.entries(options.alias)) {
    for (const alias of aliases) {
      names.add(alias);
      if (flags.has(name)) flags.add(alias);
      if (numbers.has(name)) numbers.add(alias);
    }
  }
  for (const flag of [...flags]) flags.add(`no-${flag}`);
  names.delete('$0');
  return { names: [...names], flags, numbers };
}

/** The option name of a raw argument (`--runs=3` → runs, `-q` → q), or undefined for a word. */
const optionName = (arg: string): string | undefined => (arg.startsWith('-') && arg !== '-' ? arg.replace(/^--?/, '').split('=')[0] : undefined);

/**
 * A command given without the `--` before it (`testpace-profile pytest -q`): the first word that is
 * neither an option nor an option's value starts it.
 */
function forgottenDashes(spec: CommandSpec<unknown>, argv: readonly string[], known: KnownOptions): UsageError | undefined {
  if (!spec.passThrough || argv.includes('--')) return undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = optionName(arg);
    if (name !== undefined) {
      // An option that takes a value takes the next word, unless it came with `=` or is not ours.
      if (!arg.includes('=') && !known.flags.has(name) && known.names.includes(name) && !/^-[^-]{2,}/.test(arg)) i++;
      continue;
    }
    const options = argv.slice(0, i);
    const suggestion = [`testpace-${spec.tool}`, ...options, '--', ...argv.slice(i)].join(' ');
    return new UsageError(`"${arg}" is not an option; the command to run goes after --`, `did you mean \`${suggestion}\`?`);
  }
  return undefined;
}

/** Edit distance (insertions, deletions, substitutions, and swaps of neighbours). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate nearest to `word`, when near enough to be a slip of the fingers. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(1, Math.min(3, Math.floor(word.length / 3))) ? best : undefined;
}

/** yargs' "Unknown argument: rnus" as one line naming the option, and the nearest known one. */
function unknownOption(tool: string, message: string, known: KnownOptions): UsageError | undefined {
  const match = /^Unknown arguments?: (.+)$/.exec(message);
  if (!match) return undefined;
  const unknown = match[1]!.split(', ')[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const shown = unknown.length === 1 ? `-${unknown}` : `--${unknown}`;
  const long = known.names.filter((n) => n.length > 1 && !n.startsWith('no-') && !/[A-Z]/.test(n));
  const guess = nearest(unknown, long);
  return new UsageError(`unknown option ${shown}`, guess ? `did you mean --${guess}? (see testpace-${tool} --help)` : `see testpace-${tool} --help`);
}

/** A number option given text (`--runs=three`): yargs makes it NaN; say what was typed. */
function notANumber(args: Record<string, unknown>, argv: readonly string[], known: KnownOptions): void {
  for (const name of known.numbers) {
    if (!(typeof args[name] === 'number' && Number.isNaN(args[name]))) continue;
    const at = argv.findIndex((arg) => optionName(arg) === name);
    if (at < 0) continue;
    const arg = argv[at]!;
    const typed = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[at + 1];
    const shown = name.length === 1 ? `-${name}` : `--${name}`;
    throw new UsageError(`${shown}: expected a number, received ${typed === undefined ? 'nothing' : `"${typed}"`}`);
  }
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

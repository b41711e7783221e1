// The small error taxonomy every tool shares. Anything else that reaches the top is a bug.
import { printable } from './printable.ts';

/** Exit codes, the same for all five tools. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** The result says fail: tests failed, a regression was found, a limit was exceeded. */
  fail: 1,
  /** Usage, configuration or input error. */
  usage: 2,
} as const;

/** Base class: `message` is the one line the user sees; `hint` the optional second line. */
export class TestpaceError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.hint = hint;
  }
}

/** The command line itself is wrong. */
export class UsageError extends TestpaceError {}

/** A file, stdin or configuration does not hold what was expected. */
export class InputError extends TestpaceError {
  readonly source: string;
  readonly jsonPath: string | undefined;
  constructor(source: string, what: string, options: { jsonPath?: string; hint?: string; cause?: unknown } = {}) {
    const where = options.jsonPath ? `${source} at ${options.jsonPath}` : source;
    super(`${where}: ${what}`, options.hint, { cause: options.cause });
    this.source = source;
    this.jsonPath = options.jsonPath;
  }
}

/** A command we ran could not start, or died in a way we cannot report as a result. */
export class SubprocessError extends TestpaceError {
  readonly command: string;
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  constructor(command: string, what: string, options: { exitCode?: number; signal?: string; hint?: string; cause?: unknown } = {}) {
    super(`${command}: ${what}`, options.hint, { cause: options.cause });
    this.command = command;
    this.exitCode = options.exitCode;
    this.signal = options.signal;
  }
}

/**
 * Renders an error for stderr: `testpace-<tool>: <what>` and, on the next line, the hint.
 * Errors outside the taxonomy are bugs: they say so, and show their stack with --debug.
 */
export function formatError(tool: string, error: unknown, debug: boolean): string {
  const prefix = `testpace-${tool}: `;
  // Messages name files, tests and commands from outside: shown escaped, never acting on the terminal.
  if (error instanceof TestpaceError) {
    const lines = [prefix + printable(error.message)];
    if (error.hint) lines.push(`  ${printable(error.hint)}`);
    if (debug && error.stack) lines.push(error.stack);
    return lines.join('\n') + '\n';
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`${prefix}internal error: ${printable(message)}`];
  if (debug && error instanceof Error && error.stack) lines.push(error.stack);
  else lines.push('  this is a bug in testpace; run again with --debug for the stack trace');
  return lines.join('\n') + '\n';
}

// The tools' own helper processes (git, python3, ps), run to completion with their output collected.
// Every SubprocessError for them is built here. The user's test command runs through lib/command.ts.
import { execa } from 'execa';
import { SubprocessError } from './errors.ts';

export interface HelperOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the helper's stdin, which is then closed. */
  input?: string;
  timeoutMs?: number;
  /** Most bytes of stdout or stderr kept before the helper is stopped (a failure). */
  maxBuffer?: number;
  /** Resolve whatever the exit status (the output is the answer either way); only a helper that cannot start rejects. */
  anyExit?: boolean;
  /** The second line the user sees when the helper fails (how to fix it). */
  hint?: string;
}

export interface HelperOutput {
  stdout: string;
  stderr: string;
}

interface Failure {
  /** It exited 0, but what it wrote is not the JSON it owes. */
  malformed?: boolean;
  code?: number | string | null;
  signal?: NodeJS.Signals | null;
  killed?: boolean;
  stderr?: string;
}

/** The one line saying how a helper failed: it could not start, it was stopped, or it exited non-zero. */
export function helperError(command: string, failure: Failure, options: { hint?: string; timeoutMs?: number; cause?: unknown } = {}): SubprocessError {
  const { code, signal } = failure;
  const lastLine = (failure.stderr ?? '').trim().split('\n').pop() ?? '';
  const detail = lastLine ? `: ${lastLine}` : '';
  let what: string;
  if (failure.malformed) what = 'wrote no JSON';
  else if (typeof code === 'string') what = `cannot start (${code})`;
  else if (failure.killed && signal && options.timeoutMs !== undefined) what = `stopped after ${options.timeoutMs} ms`;
  else if (signal) what = `killed by ${signal}${detail}`;
  else what = `exited with ${code ?? 'an unknown status'}${detail}`;
  return new SubprocessError(command, what, {
    ...(typeof code === 'number' ? { exitCode: code } : {}),
    ...(signal ? { signal } : {}),
    ...(options.hint ? { hint: options.hint } : {}),
    cause: options.cause,
  });
}

/** Runs `command args` to completion; rejects with a SubprocessError unless it exits 0. */
export async function runHelper(command: string, args: readonly string[], options: HelperOptions = {}): Promise<HelperOutput> {
  // execa: the exit status, signal, timeout and output limit of a finished process in one result, and
  // the input written without an EPIPE of our own when a helper exits without reading it.
  const result = await execa(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    extendEnv: false,
    input: options.input ?? '',
    timeout: options.timeoutMs,
    maxBuffer: options.maxBuffer ?? 1024 * 1024 * 1024,
    encoding: 'utf8',
    stripFinalNewline: false,
    reject: false,
  });
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  const code = typeof result.code === 'string' ? result.code : undefined;
  if (!result.failed || (options.anyExit && !code && !result.isMaxBuffer && !result.timedOut)) return { stdout, stderr };
  const failure: Failure = result.isMaxBuffer
    ? { code: 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER' }
    : code && result.exitCode === undefined && !result.signal
      ? { code }
      : { code: result.exitCode ?? null, signal: (result.signal as NodeJS.Signals | undefined) ?? null, killed: result.timedOut, stderr };
  throw helperError(command, failure, { hint: options.hint, timeoutMs: options.timeoutMs, cause: result });
}

/** Runs a helper that answers in JSON on stdout; rejects with a SubprocessError when it fails or writes no JSON. */
export async function runJsonHelper<T>(command: string, args: readonly string[], options: HelperOptions = {}): Promise<T> {
  const { stdout } = await runHelper(command, args, options);
  try {
    return JSON.parse(stdout) as T;
  } catch (error) {
    throw helperError(command, { malformed: true }, { hint: options.hint, cause: error });
  }
}

/** The helper's stdout, or null when it cannot start or fails: for facts that are optional. */
export function tryHelper(command: string, args: readonly string[], options: HelperOptions = {}): Promise<string | null> {
  return runHelper(command, args, options).then(
    ({ stdout }) => stdout,
    () => null,
  );
}

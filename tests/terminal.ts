// Runs a shell command line under a real pseudo-terminal (util-linux `script`), at a set width.
import { execFile } from 'node:child_process';
import { repoRoot } from './helpers.ts';

export interface TerminalResult {
  code: number;
  /** Everything the terminal showed (stdout and stderr together), with CR-LF made LF and colours removed. */
  screen: string;
}

/** Shell-quotes a word. */
export const sh = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/** The command line of a built tool, for a terminal's shell. */
export const tool = (name: string): string => `${sh(process.execPath)} ${sh(`${repoRoot}/dist/testpace-${name}.cjs`)}`;

/**
 * Runs `line` (a shell command line) with its standard streams on a pseudo-terminal `columns` wide
 * (0: a terminal that reports no width). Pipe inside `line` (`… | cat`) to make stdout a pipe.
 */
export function runInTerminal(line: string, options: { cwd: string; columns?: number; env?: NodeJS.ProcessEnv }): Promise<TerminalResult> {
  const columns = options.columns ?? 80;
  const env = { ...process.env, ...options.env };
  delete env.NO_COLOR;
  delete env.COLUMNS;
  Object.assign(env, options.env);
  return new Promise((resolve) => {
    execFile(
      'script',
      ['-qfec', `stty cols ${columns} rows 50; ${line}`, '/dev/null'],
      { cwd: options.cwd, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        // eslint-disable-next-line no-control-regex
        const screen = stdout.replace(/\r\n/g, '\n').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, screen });
      },
    ).stdin?.end();
  });
}

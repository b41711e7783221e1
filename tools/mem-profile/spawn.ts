// Starting the command in its own process group (so a signal reaches the whole tree), with its output
// sent to stderr (stdout carries the document), optionally under the rusage wrapper.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { SubprocessError } from '../../lib/errors.ts';
import { WRAPPER_SOURCE, type WrapperReport, parseWrapperReport } from './rusage-wrapper.ts';

export interface Launch {
  command: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Python for the rusage wrapper; undefined runs the command bare. */
  python: string | undefined;
  tmpDir: string;
  /** Where the command's stdout and stderr go; undefined discards them (--quiet). */
  output: Writable | undefined;
}

export interface Exit {
  exitCode: number | null;
  signal: string | null;
  childrenMaxRssBytes: number | null;
}

export interface Running {
  /** The process at the root of the tree (the wrapper, or the command itself). */
  pid: number;
  /** Whether `pid` is the wrapper, whose own memory is not the command's. */
  wrapped: boolean;
  exited: Promise<Exit>;
  /** Sends a signal to the whole process group. */
  signalGroup(signal: NodeJS.Signals): void;
}

const signalName = (number: number): string | null =>
  (Object.entries(constants.signals).find(([, value]) => value === number)?.[0] as string | undefined) ?? null;

/** Starts the command; rejects with a SubprocessError when it cannot start at all. */
export async function launch(options: Launch): Promise<Running> {
  const reportFile = path.join(options.tmpDir, 'rusage.txt');
  let file = options.command[0]!;
  let args = options.command.slice(1);
  if (options.python) {
    const script = path.join(options.tmpDir, 'rusage-wrapper.py');
    await writeFile(script, WRAPPER_SOURCE);
    file = options.python;
    args = ['-I', '-S', script, reportFile, ...options.command];
  }
  const child: ChildProcess = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', options.output ? 'pipe' : 'ignore', options.output ? 'pipe' : 'ignore'],
  });
  if (options.output) {
    // Not piped with end: the tool's own stderr must stay open for the summary.
    child.stdout?.on('data', (chunk: Buffer) => options.output!.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => options.output!.write(chunk));
  }
  const shown = options.command.join(' ');
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new SubprocessError(shown, error.code === 'ENOENT' ? `command not found: ${options.command[0]}` : `cannot start: ${error.message}`, { cause: error })),
    );
  });
  const pid = child.pid!;
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('exit', (code, signal) => {
      if (!options.python) {
        resolve({ exitCode: code, signal, childrenMaxRssBytes: null });
        return;
      }
      readFile(reportFile, 'utf8')
        .catch(() => '')
        .then((text) => {
          const report = parseWrapperReport(text);
          if (report && 'execError' in report) {
            reject(new SubprocessError(shown, `cannot run ${options.command[0]}: ${report.execError}`));
          } else if (report) {
            resolve(fromReport(report));
          } else {
            // The wrapper itself was killed (SIGKILL to the group): no kernel figure, but the exit stands.
            resolve({ exitCode: code, signal, childrenMaxRssBytes: null });
          }
        });
    });
  });
  return {
    pid,
    wrapped: Boolean(options.python),
    exited,
    signalGroup(signal) {
      try {
        process.kill(-pid, signal);
      } catch {
        // The group is already gone.
      }
    },
  };
}

function fromReport(report: WrapperReport): Exit {
  return {
    exitCode: report.exitCode,
    signal: report.signalNumber === null ? null : signalName(report.signalNumber),
    childrenMaxRssBytes: report.childrenMaxRssBytes,
  };
}

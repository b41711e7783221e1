// Starting the command in its own process group (so a signal reaches the whole tree), with its output
// sent to stderr (stdout carries the document), optionally under the rusage wrapper.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { SubprocessError } from '../../lib/errors.ts';
import { WRAPPER_SOURCE, type WrapperReport, type WrapperSpec, encodeSpec, parseWrapperReport } from './rusage-wrapper.ts';

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
  /** When the command ended, on process.hrtime's clock: from the wrapper, which waits for it; else when its exit reached the tool. */
  endedNs: bigint;
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

/** Starts the wrapper, which waits for its command on stdin. */
function startWrapper(python: string): ChildProcess {
  // The last argument only names the process (in ps) for whoever wonders what it is.
  const child = spawn(python, ['-I', '-S', '-c', WRAPPER_SOURCE, 'testpace-rusage-wrapper'], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  child.on('error', () => undefined); // reported by launch(), which looks at the pid
  return child;
}

/** Waits until `child` runs; rejects with a SubprocessError naming `shown` when it cannot start. */
function started(child: ChildProcess, file: string, shown: string): Promise<void> {
  if (child.pid !== undefined) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new SubprocessError(shown, error.code === 'ENOENT' ? `command not found: ${file}` : `cannot start: ${error.message}`, { cause: error })),
    );
  });
}

/** Starts the command; rejects with a SubprocessError when it cannot start at all. */
export async function launch(options: Launch): Promise<Running> {
  const reportFile = path.join(options.tmpDir, 'rusage.txt');
  const shown = options.command.join(' ');
  let child: ChildProcess;
  if (options.python) {
    child = startWrapper(options.python);
    const spec: WrapperSpec = { argv: options.command, env: options.env, cwd: options.cwd, report: reportFile, quiet: !options.output };
    child.stdin!.on('error', () => undefined); // a wrapper that died early: its exit says so
    child.stdin!.end(encodeSpec(spec));
    await started(child, options.python, shown);
  } else {
    child = spawn(options.command[0]!, options.command.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', options.output ? 'pipe' : 'ignore', options.output ? 'pipe' : 'ignore'],
    });
    await started(child, options.command[0]!, shown);
  }
  for (const stream of [child.stdout, child.stderr]) {
    // Not piped with end: the tool's own stderr must stay open for the summary.
    if (options.output) stream?.on('data', (chunk: Buffer) => options.output!.write(chunk));
    else stream?.resume();
  }
  const pid = child.pid!;
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('exit', (code, signal) => {
      const seenNs = process.hrtime.bigint();
      if (!options.python) {
        resolve({ exitCode: code, signal, childrenMaxRssBytes: null, endedNs: seenNs });
        return;
      }
      const report = parseWrapperReport(readReport(reportFile));
      if (report && 'execError' in report) {
        reject(new SubprocessError(shown, `cannot run ${options.command[0]}: ${report.execError}`));
      } else if (report) {
        resolve(fromReport(report, seenNs));
      } else {
        // The wrapper itself was killed (SIGKILL to the group): no kernel figure, but the exit stands.
        resolve({ exitCode: code, signal, childrenMaxRssBytes: null, endedNs: seenNs });
      }
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

function readReport(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function fromReport(report: WrapperReport, seenNs: bigint): Exit {
  return {
    exitCode: report.exitCode,
    signal: report.signalNumber === null ? null : signalName(report.signalNumber),
    childrenMaxRssBytes: report.childrenMaxRssBytes,
    // Not after the tool saw it: a clock other than the one expected (or none) is not believed.
    endedNs: report.endedNs !== null && report.endedNs <= seenNs ? report.endedNs : seenNs,
  };
}

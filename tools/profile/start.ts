// Starting one run of the test command: its directory, the runner's adapter, the spawn.
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Environment, collectEnvironment } from '../../lib/environment.ts';
import { displayCwd } from '../../lib/display-cwd.ts';
import type { Io } from '../../lib/io.ts';
import type { RunnerName } from '../../lib/runners/detect.ts';
import { type Instrumented, instrument } from '../../lib/runners/instrument.ts';
import type { OutputTail } from '../../lib/runners/output-tail.ts';
import { RUNTIME_FILE_ENV } from '../../lib/runners/pytest-plugin.ts';
import type { Interrupts } from '../../lib/command.ts';
import { type Execution, execute } from './execute.ts';
import type { ProfileRunner } from './built-document.ts';

/** What every run of one invocation shares. */
export interface RunSetup {
  runner: ProfileRunner;
  command: readonly string[];
  io: Io;
  quiet: boolean;
  /** Whether the document goes to stdout (the command's stdout then goes to stderr). */
  documentOnStdout: boolean;
  timeoutMs: number | undefined;
  killAfterMs: number;
  signals: Interrupts;
  /** The invocation's private temp directory; each run gets run-<index> in it. */
  tmpRoot: string;
  /** Added to the environment of every run (e.g. the CPU profiler's settings). */
  extraEnv?: NodeJS.ProcessEnv;
  /** Hook for the adapters: the last lines of each run's output (see execute). */
  outputTail?: OutputTail;
}

/** A run under way: where its adapter writes, and the run itself. */
export interface StartedRun {
  eventsFile: string;
  runtimeFile: string;
  afterExit: Instrumented['afterExit'];
  execution: Promise<Execution>;
}

/**
 * Starts run `index`. Resolves once the command has been spawned; its outcome is `execution`.
 * `alongside` is work to do while the command runs (see execute).
 */
export async function startRun(setup: RunSetup, index: number, alongside?: () => Promise<unknown>): Promise<StartedRun> {
  const runDir = path.join(setup.tmpRoot, `run-${index}`);
  mkdirSync(runDir);
  const eventsFile = path.join(runDir, 'events.jsonl');
  const runtimeFile = path.join(runDir, 'runtime.json');
  const env = { ...setup.io.env, ...setup.extraEnv, [RUNTIME_FILE_ENV]: runtimeFile };
  const prepared =
    setup.runner === 'junit'
      ? { command: [...setup.command], env, afterExit: undefined }
      : await instrument(setup.runner as RunnerName, setup.command, { cwd: setup.io.cwd, eventsFile, tmpDir: runDir, env });
  const execution = execute({
    command: prepared.command,
    env: prepared.env,
    cwd: setup.io.cwd,
    io: setup.io,
    quiet: setup.quiet,
    documentOnStdout: setup.documentOnStdout,
    timeoutMs: setup.timeoutMs,
    killAfterMs: setup.killAfterMs,
    interrupts: setup.signals,
    alongside,
    outputTail: setup.outputTail,
  });
  // Held here and awaited by the caller; a run that cannot start rejects when it is awaited.
  execution.catch(() => undefined);
  return { eventsFile, runtimeFile, afterExit: prepared.afterExit, execution };
}

/** The invocation's private temp directory (made synchronously, as the run's files are: see instrument). */
export const makeTmpRoot = (): string => mkdtempSync(path.join(os.tmpdir(), 'testpace-profile-'));

/** The environment a profile records, collected once, when first asked for (while the first run goes on). */
export function environmentOnce(io: Io): () => Promise<[Environment, string]> {
  let pending: Promise<[Environment, string]> | undefined;
  return () => (pending ??= Promise.all([collectEnvironment(io.cwd, io.env), displayCwd(io.cwd)]));
}

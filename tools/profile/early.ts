// The early start: the first run of a plain invocation (`testpace-profile [-q] [-o FILE]
// [--allow-failures] -- <command>`) starts before the command line is parsed. Loading yargs, the
// options and the rest of the tool then happens while the command starts, instead of before it:
// the tool's start-up is all that profiling adds to a run's wall time, and this is most of what is
// left of it after Node's own (bench/profile-overhead.ts).
//
// Only an invocation whose every argument is one of those few, written plainly, starts early; any
// other goes the usual way. run() then takes the early run when the parsed options ask for exactly
// that run (takeEarlyStart), so the parsed options remain the only authority: were they ever to
// disagree, the early run is killed with its whole process group before anything is recorded, and
// a run is started from the parsed options. The one early start is module state, as the process is.
import { rmSync } from 'node:fs';
import { plainInvocation } from '../../lib/entry.ts';
import { type Io, processIo } from '../../lib/io.ts';
import { type RunnerName, detectRunner } from '../../lib/runners/detect.ts';
import type { ProfileOptions } from './cli.ts';
import { killGroup } from './execute.ts';
import { type RunSetup, type StartedRun, environmentOnce, listenForSignals, makeTmpRoot, startRun } from './start.ts';

/** What a plain invocation asks for: the command, and whether its output is hidden. */
export interface EarlyPlan {
  command: string[];
  runner: RunnerName;
  quiet: boolean;
}

/** The early run, once started, with what run() needs to carry on from it. */
export interface EarlyStart {
  setup: RunSetup & { signals: ReturnType<typeof listenForSignals> };
  environment: ReturnType<typeof environmentOnce>;
  first: StartedRun;
}

/** The plan of a plain invocation (see plainInvocation) whose runner is detected, or undefined. */
export function earlyPlan(argv: readonly string[]): EarlyPlan | undefined {
  const plain = plainInvocation(argv, ['--allow-failures']);
  const runner = plain && detectRunner(plain.command);
  return plain && runner ? { ...plain, runner } : undefined;
}

let early: Promise<EarlyStart | undefined> | undefined;
let taken = false;

/**
 * Starts the first run when `argv` is a plain invocation. Resolves once its command has been spawned
 * (or at once when there is nothing to start); never rejects.
 */
export function startEarly(argv: readonly string[]): Promise<unknown> {
  const plan = earlyPlan(argv);
  if (!plan) return Promise.resolve();
  const io: Io = processIo();
  let pid: number | undefined;
  early = (async () => {
    let tmpRoot: string | undefined;
    let signals: EarlyStart['setup']['signals'] | undefined;
    try {
      tmpRoot = makeTmpRoot();
      signals = listenForSignals();
      const setup = { runner: plan.runner, command: plan.command, io, quiet: plan.quiet, timeoutMs: undefined, signals, tmpRoot };
      const environment = environmentOnce(io);
      const first = await startRun(setup, 0, environment);
      pid = first.pid;
      return { setup, environment, first };
    } catch {
      // Whatever failed here fails again, and is reported, when run() starts the run itself.
      signals?.dispose();
      if (tmpRoot) rmSync(tmpRoot, { recursive: true, force: true });
      return undefined;
    }
  })();
  // Should the tool end without taking the run (a plain invocation always takes it), the command
  // does not outlive it.
  process.once('exit', () => {
    if (!taken && pid !== undefined) killGroup(pid, 'SIGKILL');
  });
  return early;
}

/**
 * The early run, if one was started and `options` ask for exactly it; an early run they do not ask
 * for is stopped here, its process group killed and its files removed.
 */
export async function takeEarlyStart(options: ProfileOptions, io: Io): Promise<EarlyStart | undefined> {
  taken = true;
  const start = await early;
  early = undefined;
  if (!start) return undefined;
  const { setup } = start;
  const same =
    io.cwd === setup.io.cwd &&
    io.env === setup.io.env &&
    options.runner === undefined &&
    options.junit === undefined &&
    !options.cpuProfile &&
    options.timeoutMs === undefined &&
    options.quiet === setup.quiet &&
    options.runs + options.warmup === 1 &&
    options.command.length === setup.command.length &&
    options.command.every((arg, i) => arg === setup.command[i]);
  if (same) return start;
  if (start.first.pid !== undefined) killGroup(start.first.pid, 'SIGKILL');
  await start.first.execution.catch(() => undefined);
  setup.signals.dispose();
  rmSync(setup.tmpRoot, { recursive: true, force: true });
  return undefined;
}

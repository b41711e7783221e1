// Running the test command once (through lib/command.ts, as mem-profile does), with its wall time and
// the CPU of its whole tree measured.
import { constants } from 'node:os';
import { type InterruptSignal, type Interrupts, commandStdio, startCommand } from '../../lib/command.ts';
import type { Io } from '../../lib/io.ts';
import { type ChildrenCpu, childrenCpu, cpuBetween } from './cpu-time.ts';

export interface Execution {
  /** Epoch ms at spawn (float). */
  startEpochMs: number;
  wallMs: number;
  cpu: ChildrenCpu | undefined;
  exitCode: number | null;
  signal: string | null;
  /** Why we stopped the run, if we did. */
  interruptedBy: InterruptSignal | 'timeout' | undefined;
  /** Processes the command left running when it ended on its own (the tool ended them). */
  leftovers: number;
  pid: number;
}

export interface ExecuteOptions {
  command: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  io: Io;
  quiet: boolean;
  /** Where the document goes: the command's stdout then goes to the tool's stderr, else to the tool's stdout. */
  documentOnStdout: boolean;
  timeoutMs: number | undefined;
  /** The signals we receive: the first stops the run, a second one kills its processes at once. */
  interrupts: Interrupts;
  /** Time the processes get between the forwarded signal and SIGKILL. */
  killAfterMs: number;
  /**
   * Work done while the command runs (e.g. asking git for its state): the processes it starts are
   * not counted in the run's CPU. When the command ends before that work does, the two cannot be
   * told apart and the run's CPU is left unmeasured.
   */
  alongside?: () => Promise<unknown>;
}

const now = () => performance.timeOrigin + performance.now();

/** How long after the command's start the work alongside it begins. */
const ALONGSIDE_AFTER_MS = 100;

/** Runs the command once and reports how it went; throws SubprocessError when it cannot start. */
export async function execute(options: ExecuteOptions): Promise<Execution> {
  let cpuBefore = childrenCpu();
  const startEpochMs = now();
  const running = await startCommand({
    argv: options.command,
    cwd: options.cwd,
    env: options.env,
    ...commandStdio(options.io, options),
    killAfterMs: options.killAfterMs,
    interrupts: options.interrupts,
    timeoutMs: options.timeoutMs,
  });
  // A child's CPU joins our children's total only when it is reaped: while the command's process is
  // not, a reading taken after the work alongside is over still stands for the start of the run.
  // The work waits ALONGSIDE_AFTER_MS: on a machine with few cores git would take its CPU from the
  // command as it starts. A command that ends sooner has it done after its exit, once its own CPU
  // has been read.
  let alongside: Promise<unknown> | undefined;
  const startAlongside = () => {
    alongside = options.alongside?.().finally(() => {
      cpuBefore = running.unreaped() ? childrenCpu() : undefined;
    });
  };
  let alongsideTimer = options.alongside ? setTimeout(startAlongside, ALONGSIDE_AFTER_MS) : undefined;
  try {
    await running.exited;
    let cpu: Execution['cpu'];
    if (alongsideTimer && !alongside) {
      clearTimeout(alongsideTimer);
      alongsideTimer = undefined;
      cpu = cpuBetween(cpuBefore, childrenCpu());
      await options.alongside?.().catch(() => undefined);
    } else {
      await alongside?.catch(() => undefined);
      cpu = cpuBetween(cpuBefore, childrenCpu());
    }
    const end = await running.ended;
    const interruptedBy = end.stoppedBy === 'limit' ? undefined : end.stoppedBy;
    return { startEpochMs, wallMs: end.endedAt - running.startedAt, cpu, exitCode: end.exitCode, signal: end.signal, interruptedBy, leftovers: end.leftovers, pid: running.pid };
  } finally {
    if (alongsideTimer) clearTimeout(alongsideTimer);
  }
}

/** The exit code a shell would show for a run: its code, or 128 + the signal's number. */
export function shellExitCode(execution: Pick<Execution, 'exitCode' | 'signal'>): number {
  if (execution.exitCode !== null) return execution.exitCode;
  const number = execution.signal ? (constants.signals as Record<string, number>)[execution.signal] : undefined;
  return 128 + (number ?? 0);
}

// Running the test command once: in its own process group (so a signal reaches every process it
// started), with its output on our stderr, its wall time and the CPU of its whole tree measured,
// and Ctrl-C, SIGTERM and --timeout forwarded to the group. No process of the group outlives an
// interrupted run: after a grace period the group gets SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { SubprocessError } from '../../lib/errors.ts';
import { type Io, isProcessIo } from '../../lib/io.ts';
import type { OutputTail } from '../../lib/runners/output-tail.ts';
import { type ChildrenCpu, childrenCpu, cpuBetween } from './cpu-time.ts';

export interface Execution {
  /** Epoch ms at spawn (float). */
  startEpochMs: number;
  wallMs: number;
  cpu: ChildrenCpu | undefined;
  exitCode: number | null;
  signal: string | null;
  /** Why we stopped the run, if we did. */
  interruptedBy: 'SIGINT' | 'SIGTERM' | 'timeout' | undefined;
  pid: number;
}

export interface ExecuteOptions {
  command: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  io: Io;
  quiet: boolean;
  timeoutMs: number | undefined;
  /** The signals we receive: the first stops the run, a second one kills its group at once. */
  interrupts: Interrupts;
  /** Time the group gets between the forwarded signal and SIGKILL. */
  graceMs?: number;
  /**
   * Work done while the command runs (e.g. asking git for its state): the processes it starts are
   * not counted in the run's CPU. When the command ends before that work does, the two cannot be
   * told apart and the run's CPU is left unmeasured.
   */
  alongside?: () => Promise<unknown>;
  /** Called with the command's pid (its process group's id) as soon as it is spawned. */
  onSpawn?: (pid: number) => void;
  /**
   * Hook for the adapters (lib/runners/output-tail.ts): keeps the last lines of the output, to say why a
   * run ended before any test. Given, the output is piped through the tool (under --quiet too, then
   * kept only) unless it goes straight to a terminal, where the user reads it.
   */
  outputTail?: OutputTail;
}

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** Signals received by the tool, forwarded to whatever run is in progress. */
export interface Interrupts {
  /** The first signal received, if any. */
  readonly received: InterruptSignal | undefined;
  /** Calls `listener` on every signal from now on; returns the unsubscribe function. */
  subscribe(listener: (signal: InterruptSignal) => void): () => void;
}

const now = () => performance.timeOrigin + performance.now();

/** Sends `signal` to the process group `pid` leads, if it is still there. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** Whether any process of the group is still alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether the kernel still holds `child` for us to reap (running, or exited and not yet waited for). */
function unreaped(child: ChildProcess): boolean {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return false;
  try {
    process.kill(child.pid, 0);
    return true;
  } catch {
    return false; // reaped in the same pass as the work alongside, its exit not yet reported
  }
}

/** How long after the command's start the work alongside it begins. */
const ALONGSIDE_AFTER_MS = 100;

/** Runs the command once and reports how it went; throws SubprocessError when it cannot start. */
export async function execute(options: ExecuteOptions): Promise<Execution> {
  const { io, command } = options;
  // Our own stderr (descriptor 2) as the child's stdout and stderr when we run as the process: no
  // copying, and the runner still sees a terminal (colours, progress) when there is one.
  const tail = options.outputTail;
  const output = options.quiet ? (tail ? 'pipe' : 'ignore') : isProcessIo(io) && (!tail || io.stderr.isTTY) ? 2 : 'pipe';
  const stdin = isProcessIo(io) ? 'inherit' : 'ignore';

  let cpuBefore = childrenCpu();
  const startEpochMs = now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: [stdin, output, output],
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  if (output === 'pipe') {
    const forward = (chunk: Buffer) => {
      tail?.add(chunk);
      if (!options.quiet) io.stderr.write(chunk);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
  }
  // A child's CPU joins our children's total only when it is reaped: while the command's process is
  // not, a reading taken after the work alongside is over still stands for the start of the run.
  // The work waits ALONGSIDE_AFTER_MS: until then the tool is still loading (after an early start) and
  // the command starting, and on a machine with few cores git would take its CPU from the command.
  // A command that ends sooner has it done after its exit, once its own CPU has been read.
  let alongside: Promise<unknown> | undefined;
  const startAlongside = () => {
    alongside = options.alongside?.().finally(() => {
      cpuBefore = unreaped(child) ? childrenCpu() : undefined;
    });
  };
  let alongsideTimer = child.pid === undefined || !options.alongside ? undefined : setTimeout(startAlongside, ALONGSIDE_AFTER_MS);

  let interruptedBy: Execution['interruptedBy'];
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (reason: 'SIGINT' | 'SIGTERM' | 'timeout') => {
    if (child.pid === undefined) return;
    if (interruptedBy) {
      // A second Ctrl-C: no more waiting.
      killGroup(child.pid, 'SIGKILL');
      return;
    }
    interruptedBy = reason;
    killGroup(child.pid, reason === 'timeout' ? 'SIGTERM' : reason);
    killTimer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), options.graceMs ?? 5000);
  };
  const received = options.interrupts.received;
  if (received) queueMicrotask(() => stop(received));
  const unsubscribe = options.interrupts.subscribe(stop);
  const timeout = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);

  try {
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        if (child.pid === undefined) {
          const what = error.code === 'ENOENT' ? 'command not found' : error.code === 'EACCES' ? 'permission denied' : `cannot start (${error.code ?? error.message})`;
          reject(new SubprocessError(command[0]!, what, { hint: `could not run: ${command.join(' ')}`, cause: error }));
        }
      });
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    const wallMs = now() - startEpochMs;
    if (output === 'pipe' && child.stdout && !child.stdout.closed) {
      // Let the last of the output through, without waiting on descendants that keep the pipe open.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        child.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
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
    if (interruptedBy) {
      // The group leader is gone; make sure nothing it started lingers.
      killGroup(child.pid!, 'SIGKILL');
    }
    return { startEpochMs, wallMs, cpu, exitCode: code, signal, interruptedBy, pid: child.pid! };
  } finally {
    if (alongsideTimer) clearTimeout(alongsideTimer);
    if (timeout) clearTimeout(timeout);
    if (killTimer) clearTimeout(killTimer);
    unsubscribe();
  }
}

/** The exit code a shell would show for a run: its code, or 128 + the signal's number. */
export function shellExitCode(execution: Pick<Execution, 'exitCode' | 'signal'>): number {
  if (execution.exitCode !== null) return execution.exitCode;
  const number = execution.signal ? (constants.signals as Record<string, number>)[execution.signal] : undefined;
  return 128 + (number ?? 0);
}

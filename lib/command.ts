// Running the user's command, for profile and mem-profile alike. The command gets its own session and
// process group (so one signal reaches everything it starts), the tool's own descriptors as they are
// (never wrapped by Node, so never switched to non-blocking; see io.ts), and the tool's SIGINT, SIGTERM
// and SIGHUP forwarded. A stopped command gets SIGKILL after a grace period. On Linux the tool also
// follows the command's descendants through /proc, so that those that leave the group (setsid) are
// ended as well: nothing the command started outlives the tool.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { SubprocessError } from './errors.ts';
import { type Io, descriptorOf, isProcessIo } from './io.ts';

/** The signals a tool forwards to the command it runs. */
export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const INTERRUPT_SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Why the tool stopped a command. */
export type StopReason = InterruptSignal | 'timeout' | 'limit';

/** Signals received by the tool, forwarded to whatever command is running. */
export interface Interrupts {
  /** The first signal received, if any. */
  readonly received: InterruptSignal | undefined;
  /** Calls `listener` on every signal from now on; returns the unsubscribe function. */
  subscribe(listener: (signal: InterruptSignal) => void): () => void;
}

/** Listens for SIGINT, SIGTERM and SIGHUP until disposed (Node's default, dying at once, is then off). */
export function listenForSignals(): Interrupts & { dispose(): void } {
  const listeners = new Set<(signal: InterruptSignal) => void>();
  let received: InterruptSignal | undefined;
  const handlers = INTERRUPT_SIGNALS.map((name) => {
    const handler = () => {
      received ??= name;
      for (const listener of listeners) listener(name);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    get received() {
      return received;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}

/** Where one of the command's output streams goes: one of the tool's descriptors as it is, nowhere, or copied into a stream. */
export type Output = number | 'ignore' | Writable;

/**
 * The command's standard streams for a tool's run: the tool's own descriptors as they are when it runs
 * as the process (no copying, and the command sees the terminal the tool has), else copied into the
 * injected streams. Its stdout goes where the tool's stdout goes, unless the document is written
 * there: then to the tool's stderr.
 */
export function commandStdio(io: Io, options: { quiet: boolean; documentOnStdout: boolean }): Pick<CommandOptions, 'stdin' | 'stdout' | 'stderr'> {
  const stdin = isProcessIo(io) ? 'inherit' : 'ignore';
  if (options.quiet) return { stdin, stdout: 'ignore', stderr: 'ignore' };
  const target = (stream: Io['stdout']): Output => descriptorOf(stream) ?? stream;
  return { stdin, stdout: target(options.documentOnStdout ? io.stderr : io.stdout), stderr: target(io.stderr) };
}

export interface CommandOptions {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The tool's own standard input (when the tool runs as the process), or none (/dev/null). */
  stdin: 'inherit' | 'ignore';
  stdout: Output;
  stderr: Output;
  /** Time the command's processes get between the signal that stops them and SIGKILL. */
  killAfterMs: number;
  /** Signals to forward; a second one kills at once. */
  interrupts?: Interrupts;
  /** Stop the command (SIGTERM, then SIGKILL) after this long. */
  timeoutMs?: number;
  /** Follow descendants through /proc (Linux) to end those that leave the group; default where /proc is. */
  followDescendants?: boolean;
}

export interface CommandExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the tool saw the command's own process end. */
  endedAt: number;
}

export interface CommandEnd extends CommandExit {
  /** Why the tool stopped it, if it did. */
  stoppedBy: StopReason | undefined;
  /** Processes it started that were still running after it ended on its own, which the tool then ended. */
  leftovers: number;
}

export interface RunningCommand {
  /** The command's pid, which is also its process group's id. */
  readonly pid: number;
  /** performance.now() just after the spawn. */
  readonly startedAt: number;
  /** The command's own process has ended (it is reaped). */
  readonly exited: Promise<CommandExit>;
  /** Nothing the command started is left, and its copied output is through. */
  readonly ended: Promise<CommandEnd>;
  /** Whether the kernel still holds the command's process for the tool to reap. */
  unreaped(): boolean;
  /** Stops the command: the signal (SIGTERM for a timeout or a limit) now, SIGKILL after the grace period; called again, SIGKILL at once. */
  stop(reason: StopReason): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for `promise`, or `ms` at most (descendants the tool could not end may hold a pipe open). */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function signalPid(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false; // ESRCH: gone already
  }
}

/** Starts the command; rejects with a SubprocessError when it cannot start at all. */
export async function startCommand(options: CommandOptions): Promise<RunningCommand> {
  const { argv } = options;
  const stdio = (output: Output) => (typeof output === 'number' || output === 'ignore' ? output : 'pipe');
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: [options.stdin, stdio(options.stdout), stdio(options.stderr)],
  });
  const startedAt = performance.now();
  if (child.pid === undefined) {
    await new Promise<never>((_, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        const what = error.code === 'ENOENT' ? 'command not found' : error.code === 'EACCES' ? 'permission denied' : `cannot start (${error.code ?? error.message})`;
        reject(new SubprocessError(argv[0]!, what, { hint: `could not run: ${argv.join(' ')}`, cause: error }));
      });
    });
  }
  child.on('error', () => undefined); // after the spawn only a failed kill() emits it, and kill() is not used
  return supervise(child, options, startedAt);
}

function supervise(child: ChildProcess, options: CommandOptions, startedAt: number): RunningCommand {
  const pid = child.pid!;
  const tree = options.followDescendants ?? procAvailable() ? new Descendants(pid) : undefined;
  const copies = [copy(child.stdout, options.stdout), copy(child.stderr, options.stderr)];

  let stoppedBy: StopReason | undefined;
  let killAt: number | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  /** Sends `signal` to the group and to the descendants that left it. */
  const deliver = (signal: NodeJS.Signals) => {
    signalPid(-pid, signal);
    for (const member of tree?.alive() ?? []) if (member.pgrp !== pid) signalPid(member.pid, signal);
  };
  const armKill = () => {
    killAt = performance.now() + options.killAfterMs;
    killTimer = setTimeout(() => deliver('SIGKILL'), options.killAfterMs);
  };
  const stop = (reason: StopReason) => {
    if (stoppedBy) {
      deliver('SIGKILL'); // a second Ctrl-C: no more waiting
      return;
    }
    stoppedBy = reason;
    deliver(reason === 'timeout' || reason === 'limit' ? 'SIGTERM' : reason);
    armKill();
  };
  const unsubscribe = options.interrupts?.subscribe(stop);
  const received = options.interrupts?.received;
  if (received) queueMicrotask(() => stop(received));
  const timeout = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
  // A process that leaves the group and whose parent ends before a look has seen it cannot be found.
  const looking = tree ? setInterval(() => tree.look(), LOOK_EVERY_MS) : undefined;
  looking?.unref();

  const exited = new Promise<CommandExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ exitCode: code, signal, endedAt: performance.now() }));
  });

  const ended = (async (): Promise<CommandEnd> => {
    const exit = await exited;
    if (timeout) clearTimeout(timeout);
    let leftovers = 0;
    try {
      tree?.look();
      // Usually nothing is left: the group is empty and no process seen outside it lives (no /proc scan).
      let remaining = tree && !signalPid(-pid, 0) && !tree.anyAlive() ? 0 : aliveInTree(pid, tree);
      // Workers (jest's, a pool's) may still be on their way out: a moment before calling them left over.
      for (let wait = 5; remaining > 0 && !stoppedBy && performance.now() - exit.endedAt < LEFTOVER_AFTER_MS; wait *= 2) {
        await sleep(wait);
        remaining = aliveInTree(pid, tree);
      }
      if (remaining > 0 && !stoppedBy) {
        // It ended on its own and left processes running: they go too, as an interrupted run's would.
        leftovers = remaining;
        deliver('SIGTERM');
        armKill();
      }
      for (let wait = 5; remaining > 0; wait = Math.min(wait * 2, POLL_MS)) {
        await sleep(wait);
        remaining = aliveInTree(pid, tree);
        // Zombies that an init which does not reap keeps: given up on a second after the SIGKILL.
        if (killAt !== undefined && performance.now() > killAt + 1000) break;
      }
      await within(Promise.all(copies), 1000);
    } finally {
      if (killTimer) clearTimeout(killTimer);
      if (looking) clearInterval(looking);
      unsubscribe?.();
      tree?.close();
      child.stdout?.destroy();
      child.stderr?.destroy();
    }
    return { ...exit, stoppedBy, leftovers };
  })();

  return {
    pid,
    startedAt,
    exited,
    ended,
    unreaped: () => child.exitCode === null && child.signalCode === null && signalPid(pid, 0),
    stop,
  };
}

/** Copies a piped output into its stream (with back-pressure); resolves when the pipe closes. */
function copy(stream: NodeJS.ReadableStream | null, output: Output): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise<void>((resolve) => {
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
    if (typeof output === 'object') stream.pipe(output, { end: false });
    else stream.resume();
  });
}

/** How often the tree is looked at for new processes while the command runs. */
const LOOK_EVERY_MS = 100;
/**
 * How long processes the command started get to end after it, before they count as left running.
 * Some are meant to outlive it briefly: bats does not wait for its report formatter, which on a loaded
 * machine took over 200 ms to write the JUnit report after bats had exited.
 */
const LEFTOVER_AFTER_MS = 2000;
/** How often the end of the tree is checked once the command has ended or is being stopped. */
const POLL_MS = 50;

/** How many processes of the tree are alive: on Linux from /proc, elsewhere whether the group is there at all. */
function aliveInTree(pid: number, tree: Descendants | undefined): number {
  if (tree) return tree.sweep().length;
  return signalPid(-pid, 0) ? 1 : 0;
}

function procAvailable(): boolean {
  try {
    return readdirSync('/proc/self/fd').length > 0 && readStat(process.pid) !== undefined;
  } catch {
    return false;
  }
}

/** The fields of /proc/<pid>/stat this module needs. */
export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
  /** Clock ticks after boot: with the pid, a process's identity (pids are reused). */
  startTime: number;
}

/** Parses /proc/<pid>/stat (the command name may hold spaces and parentheses: cut at the last ')'). */
export function parseStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close === -1) return undefined;
  const fields = text.slice(close + 2).split(' ');
  const stat = { pid: Number.parseInt(text, 10), state: fields[0] ?? '', ppid: Number(fields[1]), pgrp: Number(fields[2]), startTime: Number(fields[19]) };
  return Number.isInteger(stat.pid) && Number.isInteger(stat.ppid) && Number.isFinite(stat.startTime) ? stat : undefined;
}

function readStat(pid: number, procRoot = '/proc'): ProcStat | undefined {
  try {
    return parseStat(readFileSync(`${procRoot}/${pid}/stat`, 'latin1'));
  } catch {
    return undefined;
  }
}

/** Beyond this many new pids between two looks, one readdir of /proc is cheaper than probing each. */
const MAX_PROBED_PIDS = 256;

/**
 * The command's descendants, followed through /proc: every process whose parent was one of them when
 * it was seen, or that is in the command's process group, remembered by pid and start time (so a pid
 * reused later is never taken for one of them). New processes are found cheaply: the last field of
 * /proc/loadavg is the last pid handed out, and only the pids after the one seen before are probed.
 */
export class Descendants {
  private readonly members = new Map<number, number>();
  private lastPid: number;
  /** Past this many members, the dead are forgotten (checked again when the tree has doubled). */
  private pruneAt = MAX_PROBED_PIDS;
  private loadavg: number | undefined;
  private readonly buffer = Buffer.alloc(256);

  constructor(
    private readonly root: number,
    private readonly procRoot = '/proc',
  ) {
    const stat = readStat(root, procRoot);
    if (stat) this.members.set(root, stat.startTime);
    // Pids after the root's: its first children may come before the first look.
    this.lastPid = root;
  }

  /** Pids of the processes seen so far. */
  seen(): number[] {
    return [...this.members.keys()];
  }

  /** Adopts the processes created since the last look whose parent is one of the tree. */
  look(): void {
    const current = this.lastPidHandedOut();
    if (current === this.lastPid) return;
    if (current === -1 || current < this.lastPid || current - this.lastPid > MAX_PROBED_PIDS) {
      this.lastPid = current;
      this.sweep();
      return;
    }
    const stats: ProcStat[] = [];
    for (let candidate = this.lastPid + 1; candidate <= current; candidate++) {
      const stat = readStat(candidate, this.procRoot);
      if (stat) stats.push(stat);
    }
    this.lastPid = current;
    if (this.members.size > this.pruneAt) {
      this.anyAlive();
      this.pruneAt = Math.max(MAX_PROBED_PIDS, 2 * this.members.size);
    }
    const parents = new Map<number, ProcStat | undefined>();
    this.adopt(stats, (ppid) => {
      if (!parents.has(ppid)) parents.set(ppid, stats.find((s) => s.pid === ppid) ?? readStat(ppid, this.procRoot));
      return parents.get(ppid);
    });
  }

  /** Reads every process in /proc, adopts the tree's, and returns those of the tree that are alive (not zombies). */
  sweep(): ProcStat[] {
    const all = new Map<number, ProcStat>();
    let names: string[];
    try {
      names = readdirSync(this.procRoot);
    } catch {
      return [];
    }
    for (const name of names) {
      const code = name.charCodeAt(0);
      if (code < 0x30 || code > 0x39) continue;
      const stat = readStat(Number(name), this.procRoot);
      if (stat) all.set(stat.pid, stat);
    }
    this.adopt([...all.values()], (ppid) => all.get(ppid));
    // A process that has ended is no one's parent any more (its children go to init): forget it.
    for (const [pid, startTime] of this.members) if (all.get(pid)?.startTime !== startTime && pid !== this.root) this.members.delete(pid);
    return [...all.values()].filter((stat) => this.members.get(stat.pid) === stat.startTime && stat.state !== 'Z' && stat.pid !== process.pid);
  }

  /** Whether any process seen (the root aside) is still alive; forgets those that are not. */
  anyAlive(): boolean {
    let alive = false;
    for (const [pid, startTime] of this.members) {
      if (pid === this.root) continue;
      const stat = readStat(pid, this.procRoot);
      if (stat?.startTime === startTime && stat.state !== 'Z') alive = true;
      else if (stat?.startTime !== startTime) this.members.delete(pid);
    }
    return alive;
  }

  /** The tree's live processes, from a sweep (Linux); the command's group is signalled besides. */
  alive(): ProcStat[] {
    return this.sweep();
  }

  close(): void {
    if (this.loadavg !== undefined) closeSync(this.loadavg);
    this.loadavg = undefined;
  }

  private isMember(stat: ProcStat | undefined): boolean {
    return stat !== undefined && this.members.get(stat.pid) === stat.startTime;
  }

  /** Adds, to a fixed point, the processes whose parent is a member (the same process, by start time) or that are in the root's group. */
  private adopt(stats: ProcStat[], parentOf: (ppid: number) => ProcStat | undefined): void {
    let pending = stats.filter((stat) => !this.isMember(stat));
    for (let grew = true; grew && pending.length > 0; ) {
      grew = false;
      const rest: ProcStat[] = [];
      for (const stat of pending) {
        if (stat.pgrp === this.root || (this.members.has(stat.ppid) && this.isMember(parentOf(stat.ppid)))) {
          this.members.set(stat.pid, stat.startTime);
          grew = true;
        } else rest.push(stat);
      }
      pending = rest;
    }
  }

  /** The last field of /proc/loadavg (kept open: a /proc file read again from offset 0 is generated afresh). */
  private lastPidHandedOut(): number {
    try {
      this.loadavg ??= openSync(`${this.procRoot}/loadavg`, 'r');
      const length = readSync(this.loadavg, this.buffer, 0, this.buffer.length, 0);
      const match = /(\d+)\s*$/.exec(this.buffer.toString('latin1', 0, length));
      return match ? Number(match[1]) : -1;
    } catch {
      return -1;
    }
  }
}

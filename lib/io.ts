// The streams and surroundings a tool's run() works through, injected so tests can run tools in-process.
import { writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { Readable } from 'node:stream';
import tty from 'node:tty';

export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * The width of the terminal behind `stream`: a pseudo-terminal may report 0 columns (a container's
 * console before it is sized), in which case COLUMNS or 80.
 */
export function terminalColumns(stream: { columns?: number }, env: NodeJS.ProcessEnv): number {
  return stream.columns || Number(env.COLUMNS) || 80;
}

/** Sleeps the thread for `ms` without returning to the event loop (a descriptor that is not ready yet). */
const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * One of the process's own output descriptors (1 or 2), written with write(2) as it is. Node's own
 * process.stdout/stderr wrap a pipe in a net.Socket, which puts the pipe's open file description in
 * O_NONBLOCK mode, and the command the tool runs shares that description: its writes then fail with
 * EAGAIN (issue 13 saw 94% of a 500 MB output lost). Writes here are synchronous, wait out EAGAIN
 * (someone else may have made the description non-blocking), and stop quietly on EPIPE and the like:
 * a reader that went away (`| head -1`) must not end the run.
 */
export class DescriptorWriter extends Writable {
  readonly isTTY: boolean;
  /** Set once a write failed for good (EPIPE, EIO...): later writes are dropped. */
  closedBy: string | undefined;
  private terminal: tty.WriteStream | undefined;

  constructor(readonly fd: number) {
    super({ decodeStrings: true });
    this.isTTY = tty.isatty(fd);
  }

  /** The terminal's width. Node reopens a terminal before making it non-blocking, so this descriptor's description is untouched. */
  get columns(): number | undefined {
    if (!this.isTTY) return undefined;
    this.terminal ??= new tty.WriteStream(this.fd);
    return this.terminal.columns;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writeNow(chunk);
    callback();
  }

  /** Writes all of `data` before returning (or drops it once the descriptor is closed for good). */
  writeNow(data: Uint8Array | string): void {
    if (this.closedBy) return;
    let bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let waits = 0;
    while (bytes.length > 0) {
      try {
        const written = writeSync(this.fd, bytes);
        bytes = bytes.subarray(written);
        waits = 0;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
          pause(Math.min(2 ** waits++, 50));
          continue;
        }
        if (code === 'EINTR') continue;
        this.closedBy = code ?? 'error';
        return;
      }
    }
  }
}

const writers = new Map<number, DescriptorWriter>();

/** The writer of the process's own descriptor `fd` (one per descriptor). */
export function descriptorWriter(fd: 1 | 2): DescriptorWriter {
  let writer = writers.get(fd);
  if (!writer) {
    writer = new DescriptorWriter(fd);
    writers.set(fd, writer);
  }
  return writer;
}

let guarded = false;

/**
 * Makes process.stdout and process.stderr the descriptor writers, so that nothing else in the process
 * (console, Node's own warnings, a library) builds the net.Socket that would make a shared pipe
 * non-blocking.
 */
function guardStandardStreams(): void {
  if (guarded) return;
  guarded = true;
  for (const [name, fd] of [['stdout', 1], ['stderr', 2]] as const) {
    Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => descriptorWriter(fd) });
  }
}

/** The real process's streams and environment. Standard input is opened only when asked for. */
export function processIo(): Io {
  guardStandardStreams();
  return {
    get stdin() {
      return process.stdin;
    },
    stdout: descriptorWriter(1),
    stderr: descriptorWriter(2),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** The process's own descriptor behind `stream`, when it is one (a command can then be handed it as it is). */
export function descriptorOf(stream: Writable): number | undefined {
  return stream instanceof DescriptorWriter ? stream.fd : undefined;
}

/** Whether `io` is the process's own (so its standard input can be handed to a child as it is). */
export function isProcessIo(io: Io): boolean {
  return descriptorOf(io.stdout) === 1 && descriptorOf(io.stderr) === 2;
}

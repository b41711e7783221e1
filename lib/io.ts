// The streams and surroundings a tool's run() works through, injected so tests can run tools in-process.
import type { Readable, Writable } from 'node:stream';

export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const processIos = new WeakSet<Io>();

/**
 * The real process's streams and environment. Each stream is opened only when asked for: Node builds
 * it on first use (some 2 ms for standard input), which a tool that never reads it should not spend,
 * and profile should not spend before it has started its command.
 */
export function processIo(): Io {
  const io: Io = {
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    env: process.env,
    cwd: process.cwd(),
  };
  processIos.add(io);
  return io;
}

/** Whether `io` is the process's own (so its standard streams can be handed to a child as they are). */
export function isProcessIo(io: Io): boolean {
  return processIos.has(io);
}

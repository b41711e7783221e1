// The last lines of a command's output, kept while it runs: when a run ends before any test (a usage
// error, a config that does not load, a file that throws before the runner reports anything), they say
// why, in the document as well as on the terminal.
import { stripVTControlCharacters } from 'node:util';

/** Bytes kept: enough for the lines of an error and its stack, however long the output. */
const KEEP_BYTES = 16 * 1024;

export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;

  /** Adds output as it arrives. */
  add(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0]!.length >= KEEP_BYTES) this.size -= this.chunks.shift()!.length;
  }

  /** Forgets what was kept (a new run). */
  clear(): void {
    this.chunks = [];
    this.size = 0;
  }

  /** The last `count` non-blank lines, without colour codes or JavaScript stack frames (which bury the error above them). */
  lines(count: number): string[] {
    const text = stripVTControlCharacters(Buffer.concat(this.chunks).toString('utf8'));
    return text
      .split(/\r?\n/)
      .map((line) => line.trimEnd())
      .filter((line) => line.trim() !== '' && !/^\s+at\s/.test(line))
      .slice(-count);
  }
}

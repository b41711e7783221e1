// Following the events file synchronously. lib/runners' followEvents is asynchronous (a thread-pool
// round trip per call); here the reading of a test's process must follow its start event within a
// millisecond or two, before the test has allocated much, so the file is read with plain sync calls
// the moment inotify says it grew.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type TestEvent, parseEvents } from '../../lib/runners/index.ts';

export interface EventsFollower {
  /** Complete lines appended since the last call; a partial last line waits for its newline. */
  poll(): TestEvent[];
  close(): void;
}

export function followEventsSync(file: string): EventsFollower {
  let fd: number | undefined;
  let offset = 0;
  let pending = Buffer.alloc(0);
  return {
    poll() {
      if (fd === undefined) {
        try {
          fd = openSync(file, 'r');
        } catch {
          return []; // not written yet
        }
      }
      const size = fstatSync(fd).size;
      if (size <= offset) return [];
      const buffer = Buffer.alloc(size - offset);
      const read = readSync(fd, buffer, 0, buffer.length, offset);
      offset += read;
      const bytes = Buffer.concat([pending, buffer.subarray(0, read)]);
      const cut = bytes.lastIndexOf(0x0a);
      pending = bytes.subarray(cut + 1);
      return parseEvents(bytes.subarray(0, cut + 1).toString('utf8'));
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

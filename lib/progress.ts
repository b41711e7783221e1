// A single self-overwriting progress line on stderr, shown only on a terminal.
import { type Io, terminalColumns } from './io.ts';

export interface Progress {
  update(text: string): void;
  done(): void;
}

/** Progress for long work; a no-op when stderr is not a TTY (CI logs stay clean). */
export function createProgress(io: Io, now: () => number = Date.now): Progress {
  if (!io.stderr.isTTY) return { update() {}, done() {} };
  let shown = false;
  let last = 0;
  return {
    update(text) {
      const t = now();
      if (shown && t - last < 100) return; // redraw at most ten times a second
      last = t;
      const width = terminalColumns(io.stderr, io.env) - 1;
      io.stderr.write(`\r\u001b[K${text.length > width ? text.slice(0, width - 1) + '…' : text}`);
      shown = true;
    },
    done() {
      if (shown) io.stderr.write('\r\u001b[K');
      shown = false;
    },
  };
}

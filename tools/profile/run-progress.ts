// Which run is going on and, once one run has been timed, about how long the rest will take.
import type { Palette } from '../../lib/colour.ts';
import type { Io } from '../../lib/io.ts';
import { createProgress } from '../../lib/progress.ts';

export interface RunProgress {
  /** Run `index` (0-based) starts. */
  start(index: number, warmup: boolean): void;
  /** The run that started last ended. */
  end(): void;
  /** Clears what is on screen (before the summary). */
  done(): void;
}

/** 75 s → "1 min 15 s". */
export function formatLeft(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  return s % 60 ? `${minutes} min ${s % 60} s` : `${minutes} min`;
}

/**
 * The time left: the mean of the runs timed so far for each run not yet ended, less what the current
 * one has taken; undefined before the first run has ended.
 */
export function estimateLeft(durations: readonly number[], total: number, elapsedInRun: number): number | undefined {
  if (durations.length === 0) return undefined;
  const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
  return Math.max(0, mean * (total - durations.length) - elapsedInRun);
}

/**
 * On a terminal: with the command's output shown, a line per run with the estimate; under --quiet a
 * line redrawn every second. Elsewhere (CI logs) a plain line per run, no estimate.
 */
export function runProgress(io: Io, colour: Palette, options: { total: number; quiet: boolean }, now: () => number = Date.now): RunProgress {
  const { total } = options;
  const durations: number[] = [];
  let startedAt = 0;
  let label = '';
  let timer: NodeJS.Timeout | undefined;
  const terminal = Boolean(io.stderr.isTTY);
  const line = createProgress(io, now);
  const text = () => {
    const left = terminal ? estimateLeft(durations, total, now() - startedAt) : undefined;
    return `testpace-profile: ${label}${left === undefined ? '' : `, about ${formatLeft(left)} left (from the mean of ${durations.length} run${durations.length === 1 ? '' : 's'})`}`;
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  return {
    start(index, warmup) {
      startedAt = now();
      label = `run ${index + 1} of ${total}${warmup ? ' (warm-up)' : ''}`;
      if (total === 1) return;
      if (!terminal || !options.quiet) {
        io.stderr.write(colour.dim(text()) + '\n');
        return;
      }
      // Nothing else writes to the terminal under --quiet: one line, redrawn as the time passes.
      line.update(text());
      timer = setInterval(() => line.update(text()), 1000);
      timer.unref();
    },
    end() {
      stop();
      durations.push(now() - startedAt);
    },
    done() {
      stop();
      line.done();
    },
  };
}

// What a mem-profile run is asked to do, and the defaults of the command line: kept apart from cli.ts
// so that run.ts does not import the command line.

export interface MemProfileOptions {
  command: string[];
  intervalMs: number;
  maxRssBytes: number | undefined;
  out: string | undefined;
  quiet: boolean;
  debug: boolean;
  /** Leak check: samples before this are warm-up; undefined = the larger of 1 s and a tenth of the run. */
  warmupMs: number | undefined;
  leakGrowthPct: number;
  leakR2: number;
  /** Least time after the warm-up that a leak trend is judged over. */
  leakMinDurationMs: number;
  /** Most timeline points kept in the document. */
  maxPoints: number;
  /** How many tests the summary lists. */
  top: number;
  /** Per-test attribution through the runner adapters (when a runner is detected). */
  tests: boolean;
  /** After a stop (Ctrl-C, SIGTERM, --max-rss), how long the command gets before SIGKILL. */
  killAfterMs: number;
  sampler: 'auto' | 'procfs' | 'ps';
  /** pytest only: each test's Python allocation peak through tracemalloc (slows the run). */
  tracemalloc: boolean;
}

/** The command line's defaults (cli.ts gives them to yargs). */
export const defaults = {
  intervalMs: 100,
  maxRssBytes: undefined,
  out: undefined,
  quiet: false,
  debug: false,
  warmupMs: undefined,
  leakGrowthPct: 50,
  leakR2: 0.8,
  leakMinDurationMs: 20_000,
  maxPoints: 2000,
  top: 5,
  tests: true,
  killAfterMs: 10_000,
  sampler: 'auto',
  tracemalloc: false,
} as const satisfies Omit<MemProfileOptions, 'command'>;

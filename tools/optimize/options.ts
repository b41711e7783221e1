// What a testpace-optimize run is asked to do: built by cli.ts from the command line, read by run.ts.

export interface OptimizeOptions {
  paths: string[];
  profile: string | undefined;
  workers: number | undefined;
  shards: number | undefined;
  /** One shard to print: [index (1-based), count]. */
  shard: [number, number] | undefined;
  format: 'json' | 'list';
  /** --format list: items end with NUL instead of a newline (for xargs -0). */
  nul: boolean;
  dist: 'load' | 'worksteal' | 'loadfile' | undefined;
  minSleepMs: number;
  slowTestMs: number;
  out: string | undefined;
  debug: boolean;
}

// What a select run is asked to do: kept apart from cli.ts so that run.ts needs nothing of the
// command line (and cli.ts, which loads run.ts on demand, is not imported back).

export interface SelectOptions {
  since: string | undefined;
  files: string[] | undefined;
  committedOnly: boolean;
  onMissingBase: 'error' | 'all';
  tests: string[] | undefined;
  format: 'list' | 'json';
  out: string | undefined;
  nul: boolean;
  explain: string | undefined;
  timings: string | undefined;
  order: 'duration' | 'failed-first' | undefined;
  shard: { index: number; count: number } | undefined;
  budgetMs: number | undefined;
  ignoreTypeImports: boolean;
  cache: boolean;
  debug: boolean;
  /** symbol: a change inside a Python function or class body selects the tests that reach it by name; file: every importer. */
  granularity: 'symbol' | 'file';
  /** The test command given after `--`: its runner and arguments say which files are tests. */
  command: string[] | undefined;
}

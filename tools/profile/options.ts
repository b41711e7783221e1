// What a profile run is asked to do: kept apart from cli.ts so that run.ts does not import the command line.

export interface ProfileOptions {
  command: string[];
  runner: string | undefined;
  junit: string | undefined;
  runs: number;
  warmup: number;
  out: string | undefined;
  quiet: boolean;
  allowFailures: boolean;
  timeoutMs: number | undefined;
  killAfterMs: number;
  cpuProfile: boolean;
  debug: boolean;
}

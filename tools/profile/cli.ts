// testpace-profile: the command line. Parses arguments into ProfileOptions and calls run().
import { type CommandSpec, commandAfterDashes, killAfterOption, main, parseDuration, parseKillAfter } from '../../lib/cli.ts';
import { UsageError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import type { ProfileOptions } from './options.ts';

function positiveDuration(text: string, option: string): number {
  const ms = parseDuration(text, option);
  if (ms <= 0) throw new UsageError(`${option}: expected a duration above zero, received "${text}"`);
  return ms;
}

export const command: CommandSpec<ProfileOptions> = {
  tool: 'profile',
  summary: 'Run a test command and measure every test: duration, phases, workers, start-up, CPU vs wall, flaky tests.',
  usage: '[options] -- <test command...>',
  passThrough: true,
  examples: [
    ['testpace-profile -- pytest -q', 'profile a pytest suite: on a terminal the summary, the document in .testpace/profile.json'],
    ['testpace-profile --runs 5 --warmup 1 --out profile.json -- npx vitest run', 'five measured runs with statistics'],
    ['testpace-profile -- python -m pytest -n 2', 'pytest under pytest-xdist: per-worker busy time and balance'],
    ['testpace-profile --junit report.xml -- gotestsum --junitfile report.xml', 'any runner through the JUnit XML it writes'],
  ],
  configure: (args) =>
    args
      .option('runner', { type: 'string', describe: 'Runner, when it cannot be detected from the command', choices: ['pytest', 'vitest', 'jest', 'node-test', 'mocha', 'bats'] })
      .option('junit', { type: 'string', describe: 'Read the JUnit XML file the command writes' })
      .option('runs', { type: 'number', default: 1, describe: 'Measured runs' })
      .option('warmup', { type: 'number', default: 0, describe: 'Warm-up runs before the measured ones (left out of the statistics)' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write the document to FILE (atomically) instead of stdout' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: "Hide the test command's own output" })
      .option('allow-failures', { type: 'boolean', default: false, describe: "Exit 0 even when tests fail (default: the test command's exit code)" })
      .option('timeout', { type: 'string', describe: 'Stop a run after this long (60s, 1.5m; a bare number is seconds); a partial document marked interrupted is written' })
      .option('kill-after', killAfterOption)
      .option('cpu-profile', { type: 'boolean', default: false, describe: "Function-level hotspots through the runtime's own profiler" }),
  toOptions: (argv) => {
    const command = commandAfterDashes(argv, 'test command', 'testpace-profile [options] -- <test command...>');
    const runs = Number(argv.runs);
    const warmup = Number(argv.warmup);
    if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs: expected a whole number >= 1, received ${String(argv.runs)}`);
    if (!Number.isInteger(warmup) || warmup < 0) throw new UsageError(`--warmup: expected a whole number >= 0, received ${String(argv.warmup)}`);
    return {
      command,
      runner: argv.runner as string | undefined,
      junit: argv.junit as string | undefined,
      runs,
      warmup,
      out: argv.out as string | undefined,
      quiet: Boolean(argv.quiet),
      allowFailures: Boolean(argv.allowFailures),
      timeoutMs: argv.timeout === undefined ? undefined : positiveDuration(String(argv.timeout), '--timeout'),
      killAfterMs: parseKillAfter(argv),
      cpuProfile: Boolean(argv.cpuProfile),
      debug: Boolean(argv.debug),
    };
  },
  run: async (options, io) => (await import('./run.ts')).run(options, io),
};

export const cli = (argv: string[], io: Io): Promise<number> => main(command, argv, io);

// testpace-mem-profile: the command line. Parses arguments into MemProfileOptions and calls run().
import { type CommandSpec, commandAfterDashes, killAfterOption, main, parseDuration, parseKillAfter, parseSize } from '../../lib/cli.ts';
import { UsageError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import { type MemProfileOptions, defaults } from './options.ts';

export type { MemProfileOptions } from './options.ts';

export const command: CommandSpec<MemProfileOptions> = {
  tool: 'mem-profile',
  summary: 'Run a command and sample the memory of its whole process tree: peaks, leaks, per-test attribution, limits.',
  usage: '[options] -- <command...>',
  passThrough: true,
  examples: [
    ['testpace-mem-profile -- pytest -q', 'memory of a pytest run, per process and per test'],
    ['testpace-mem-profile --max-rss 2G --out memory.json -- npx vitest run', 'fail (exit 1) when the tree exceeds 2 GiB, naming the test in flight'],
  ],
  configure: (args) =>
    args
      .option('interval', { type: 'number', default: defaults.intervalMs, describe: 'Sampling interval in milliseconds' })
      .option('max-rss', { type: 'string', describe: 'Stop the run and exit 1 when the tree exceeds SIZE (e.g. 512M, 2G)' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write the document to FILE (atomically) instead of stdout' })
      .option('quiet', { alias: 'q', type: 'boolean', default: defaults.quiet, describe: "Hide the command's own output" })
      .option('warmup', { type: 'string', describe: 'Leak check ignores samples before this (e.g. 2s); default: max(1 s, a tenth of the run)' })
      .option('leak-growth', { type: 'number', default: defaults.leakGrowthPct, describe: 'Leak check: minimum growth, first to last tenth, in percent' })
      .option('leak-r2', { type: 'number', default: defaults.leakR2, describe: 'Leak check: minimum R² of the fitted line' })
      .option('leak-min-duration', { type: 'string', default: '20s', describe: 'Leak check: least time after the warm-up to judge a trend over' })
      .option('max-points', { type: 'number', default: defaults.maxPoints, describe: 'Most timeline points in the document (peaks keep full resolution)' })
      .option('top', { type: 'number', default: defaults.top, describe: 'How many tests the summary lists' })
      .option('tests', { type: 'boolean', default: defaults.tests, describe: 'Attribute memory to tests when the command runs a known runner (--no-tests: run bare)' })
      .option('kill-after', killAfterOption)
      .option('tracemalloc', { type: 'boolean', default: defaults.tracemalloc, describe: "pytest: each test's tracemalloc peak (slows Python down)" })
      .option('sampler', { choices: ['auto', 'procfs', 'ps'], default: defaults.sampler, describe: 'How to sample: /proc (Linux) or ps (elsewhere)' }),
  toOptions: (argv) => {
    const command = commandAfterDashes(argv, 'command', 'testpace-mem-profile [options] -- <command...>');
    const intervalMs = Number(argv.interval);
    if (!(intervalMs >= 5)) throw new UsageError(`--interval: expected milliseconds >= 5, received ${String(argv.interval)}`);
    const leakGrowthPct = Number(argv.leakGrowth);
    if (!(leakGrowthPct >= 0)) throw new UsageError(`--leak-growth: expected a percentage >= 0, received ${String(argv.leakGrowth)}`);
    const leakR2 = Number(argv.leakR2);
    if (!(leakR2 >= 0 && leakR2 <= 1)) throw new UsageError(`--leak-r2: expected a number from 0 to 1, received ${String(argv.leakR2)}`);
    const maxPoints = Number(argv.maxPoints);
    if (!(Number.isInteger(maxPoints) && maxPoints >= 50)) throw new UsageError(`--max-points: expected an integer >= 50, received ${String(argv.maxPoints)}`);
    const top = Number(argv.top);
    if (!(Number.isInteger(top) && top >= 0)) throw new UsageError(`--top: expected an integer >= 0, received ${String(argv.top)}`);
    const maxRssBytes = argv.maxRss === undefined ? undefined : parseSize(String(argv.maxRss), '--max-rss');
    if (maxRssBytes === 0) throw new UsageError('--max-rss: expected a size above zero');
    return {
      command,
      intervalMs,
      maxRssBytes,
      out: argv.out as string | undefined,
      quiet: Boolean(argv.quiet),
      debug: Boolean(argv.debug),
      warmupMs: argv.warmup === undefined ? undefined : parseDuration(String(argv.warmup), '--warmup'),
      leakGrowthPct,
      leakR2,
      leakMinDurationMs: parseDuration(String(argv.leakMinDuration), '--leak-min-duration'),
      maxPoints,
      top,
      tests: Boolean(argv.tests),
      killAfterMs: parseKillAfter(argv),
      sampler: argv.sampler as MemProfileOptions['sampler'],
      tracemalloc: Boolean(argv.tracemalloc),
    };
  },
  run: async (options, io) => (await import('./run.ts')).run(options, io),
};

export const cli = (argv: string[], io: Io): Promise<number> => main(command, argv, io);

// testpace-optimize: the command line. Parses arguments into OptimizeOptions and calls run().
import { type CommandSpec, main } from '../../lib/cli.ts';
import { UsageError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import type { OptimizeOptions } from './options.ts';

function positiveInteger(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${option} expects a whole number of at least 1, received ${JSON.stringify(value)}`);
  return n;
}

function parseShard(value: unknown): [number, number] | undefined {
  if (value === undefined) return undefined;
  const [index, count] = String(value).split('/').map(Number);
  if (!Number.isInteger(index) || !Number.isInteger(count) || count! < 1 || index! < 1 || index! > count!) {
    throw new UsageError(`--shard expects i/K with 1 <= i <= K (e.g. 2/4), received ${JSON.stringify(value)}`);
  }
  return [index!, count!];
}

export const command: CommandSpec<OptimizeOptions> = {
  tool: 'optimize',
  summary: 'Read test code (never run it) and a measured profile: findings with fixes and savings, a parallel plan, balanced shards.',
  usage: '[paths...] [options]',
  examples: [
    ['testpace-optimize tests/', 'static findings for the tests under tests/'],
    ['testpace-optimize tests/ --profile profile.json --workers 8', 'findings with measured savings and the predicted wall time on 1..8 workers'],
    ['testpace-optimize --profile profile.json --shards 4', 'four shards balanced by measured duration'],
    ['testpace-optimize --profile profile.json --shard 2/4 --format list -0 | xargs -0 pytest', 'run the second of four balanced shards'],
  ],
  configure: (args) =>
    args
      .positional('paths', { type: 'string', array: true })
      .option('profile', { alias: 'p', type: 'string', describe: 'A profile document (file, or - for stdin): measured savings, parallel plan, shards' })
      .option('workers', { alias: 'w', type: 'number', describe: 'Predict wall time for 1..N workers (default: the CPU count, at least 2)' })
      .option('dist', { type: 'string', choices: ['load', 'worksteal', 'loadfile'], describe: 'pytest-xdist policy to simulate (default load)' })
      .option('shards', { type: 'number', describe: 'Balance the tests into K shards by measured duration' })
      .option('shard', { type: 'string', describe: 'i/K: the items of shard i of K (with --format list, one per line)' })
      .option('format', { type: 'string', choices: ['json', 'list'], default: 'json', describe: 'json: the optimization document; list: the items of --shard' })
      .option('null', { alias: '0', type: 'boolean', default: false, describe: 'With --format list: end each item with NUL instead of a newline (for xargs -0)' })
      .option('min-sleep', { type: 'number', default: 50, describe: 'Report sleeps and set-ups of at least this many ms' })
      .option('slow-test', { type: 'number', default: 250, describe: 'Report tests whose measured median is at least this many ms' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write the document to FILE (atomically) instead of stdout' }),
  toOptions: (argv) => {
    const shard = parseShard(argv.shard);
    const shards = positiveInteger(argv.shards, 'shards');
    if (shard && shards && shard[1] !== shards) throw new UsageError(`--shard ${shard.join('/')} and --shards ${shards} disagree on the number of shards`);
    const format = argv.format as 'json' | 'list';
    if (format === 'list' && !shard) throw new UsageError('--format list prints one shard: give --shard i/K');
    if ((shard || shards) && !argv.profile) throw new UsageError('shards are balanced by measured duration: give --profile');
    const positional = (argv._ as unknown[]).map(String);
    return {
      paths: positional.length ? positional : ['.'],
      profile: argv.profile as string | undefined,
      workers: positiveInteger(argv.workers, 'workers'),
      shards: shard ? shard[1] : shards,
      shard,
      format,
      nul: Boolean(argv.null),
      dist: argv.dist as OptimizeOptions['dist'],
      minSleepMs: Number(argv.minSleep ?? 50),
      slowTestMs: Number(argv.slowTest ?? 250),
      out: argv.out as string | undefined,
      debug: Boolean(argv.debug),
    };
  },
  run: async (options, io) => (await import('./run.ts')).run(options, io),
};

export const cli = (argv: string[], io: Io): Promise<number> => main(command, argv, io);

// testpace-optimize: the command line. Parses arguments into OptimizeOptions and calls run().
import { type CommandSpec, main } from '../../lib/cli.ts';
import type { Io } from '../../lib/io.ts';

export interface OptimizeOptions {
  paths: string[];
  profile: string | undefined;
  workers: number | undefined;
  shards: number | undefined;
  out: string | undefined;
  debug: boolean;
}

export const command: CommandSpec<OptimizeOptions> = {
  tool: 'optimize',
  summary: 'Read test code (never run it) and a measured profile: findings with fixes and savings, a parallel plan, balanced shards.',
  usage: '[paths...] [options]',
  examples: [
    ['testpace-optimize tests/', 'static findings for the tests under tests/'],
    ['testpace-optimize tests/ --profile profile.json --workers 8', 'findings with measured savings and the predicted wall time on 1..8 workers'],
    ['testpace-optimize --profile profile.json --shards 4', 'four shards balanced by measured duration'],
  ],
  configure: (args) =>
    args
      .positional('paths', { type: 'string', array: true })
      .option('profile', { alias: 'p', type: 'string', describe: 'A profile document (file, or - for stdin)' })
      .option('workers', { type: 'number', describe: 'Predict wall time for 1..N workers' })
      .option('shards', { type: 'number', describe: 'Balance the tests into K shards by measured duration' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write the document to FILE (atomically) instead of stdout' }),
  toOptions: (argv) => ({
    paths: (argv._ as unknown[]).length ? (argv._ as unknown[]).map(String) : ['.'],
    profile: argv.profile as string | undefined,
    workers: argv.workers as number | undefined,
    shards: argv.shards as number | undefined,
    out: argv.out as string | undefined,
    debug: Boolean(argv.debug),
  }),
  run: async (options, io) => (await import('./run.ts')).run(options, io),
};

export const cli = (argv: string[], io: Io): Promise<number> => main(command, argv, io);

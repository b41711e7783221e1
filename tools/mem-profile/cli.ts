// testpace-mem-profile: the command line. Parses arguments into MemProfileOptions and calls run().
import { type CommandSpec, main, parseSize } from '../../lib/cli.ts';
import { UsageError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';

export interface MemProfileOptions {
  command: string[];
  intervalMs: number;
  maxRssBytes: number | undefined;
  out: string | undefined;
  quiet: boolean;
  debug: boolean;
}

export const command: CommandSpec<MemProfileOptions> = {
  tool: 'mem-profile',
  summary: 'Run a command and sample the memory of its whole process tree: peaks, leaks, per-test attribution, limits.',
  usage: '[options] -- <command...>',
  passThrough: true,
  examples: [
    ['testpace-mem-profile -- pytest -q', 'memory of a pytest run, per process and per test'],
    ['testpace-mem-profile --max-rss 2G --out memory.json -- npx vitest run', 'fail (exit 1) when the tree exceeds 2 GiB'],
  ],
  configure: (args) =>
    args
      .option('interval', { type: 'number', default: 100, describe: 'Sampling interval in milliseconds' })
      .option('max-rss', { type: 'string', describe: 'Exit 1 when the total RSS of the tree exceeds SIZE (e.g. 512M, 2G)' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write the document to FILE (atomically) instead of stdout' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: "Hide the command's own output" }),
  toOptions: (argv) => {
    const command = ((argv['--'] as string[] | undefined) ?? []).map(String);
    if (command.length === 0) throw new UsageError('no command given', 'usage: testpace-mem-profile [options] -- <command...>');
    const intervalMs = Number(argv.interval);
    if (!(intervalMs >= 5)) throw new UsageError(`--interval: expected milliseconds >= 5, received ${String(argv.interval)}`);
    return {
      command,
      intervalMs,
      maxRssBytes: argv.maxRss === undefined ? undefined : parseSize(String(argv.maxRss), '--max-rss'),
      out: argv.out as string | undefined,
      quiet: Boolean(argv.quiet),
      debug: Boolean(argv.debug),
    };
  },
  run: async (options, io) => (await import('./run.ts')).run(options, io),
};

export const cli = (argv: string[], io: Io): Promise<number> => main(command, argv, io);

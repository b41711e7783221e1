// testpace-select: the command line. Parses arguments into SelectOptions and calls run().
import { type CommandSpec, main } from '../../lib/cli.ts';
import type { Io } from '../../lib/io.ts';

export interface SelectOptions {
  since: string | undefined;
  files: string[] | undefined;
  format: 'list' | 'json';
  out: string | undefined;
  debug: boolean;
}

export const command: CommandSpec<SelectOptions> = {
  tool: 'select',
  summary: 'Which tests can this change break? Changed files from git, through the dependency graph, to the affected tests, with reasons.',
  usage: '[options]',
  examples: [
    ['testpace-select --since origin/main | xargs -r pytest', 'run only the tests affected since origin/main'],
    ['testpace-select --format json --out selection.json', 'the selection document, with the reason for every test'],
    ['git diff --name-only HEAD~1 | testpace-select --files -', 'take the changed files from stdin'],
  ],
  configure: (args) =>
    args
      .option('since', { type: 'string', describe: 'Base ref (default: the upstream branch, else origin/HEAD, else HEAD~1)' })
      .option('files', { type: 'string', array: true, describe: 'Changed files given directly (- reads them from stdin)' })
      .option('format', { type: 'string', choices: ['list', 'json'], default: 'list', describe: 'Output format' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write the output to FILE (atomically) instead of stdout' }),
  toOptions: (argv) => ({
    since: argv.since as string | undefined,
    files: argv.files as string[] | undefined,
    format: argv.format as 'list' | 'json',
    out: argv.out as string | undefined,
    debug: Boolean(argv.debug),
  }),
  run: async (options, io) => (await import('./run.ts')).run(options, io),
};

export const cli = (argv: string[], io: Io): Promise<number> => main(command, argv, io);

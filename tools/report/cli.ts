// testpace-report: the command line. Parses arguments into ReportOptions and calls run().
import { type CommandSpec, main } from '../../lib/cli.ts';
import type { Io } from '../../lib/io.ts';

export interface ReportOptions {
  documents: string[];
  format: 'terminal' | 'markdown' | 'html' | 'json';
  out: string | undefined;
  debug: boolean;
}

export const command: CommandSpec<ReportOptions> = {
  tool: 'report',
  summary: 'Render testpace documents as terminal tables, Markdown or self-contained HTML; compare with a baseline and gate CI.',
  usage: '[documents...] [options]',
  examples: [
    ['testpace-profile -- pytest | testpace-report', 'tables of a fresh profile'],
    ['testpace-report profile.json --format html --out report.html', 'a self-contained HTML report with charts'],
    ['testpace-report profile.json --baseline main.json --fail-on-regression', 'exit 1 on a real regression'],
  ],
  configure: (args) =>
    args
      .option('format', { alias: 'f', type: 'string', choices: ['terminal', 'markdown', 'html', 'json'], default: 'terminal', describe: 'Output format' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write the output to FILE (atomically) instead of stdout' }),
  toOptions: (argv) => {
    const documents = (argv._ as unknown[]).map(String);
    return {
      documents: documents.length ? documents : ['-'],
      format: argv.format as ReportOptions['format'],
      out: argv.out as string | undefined,
      debug: Boolean(argv.debug),
    };
  },
  run: async (options, io) => (await import('./run.ts')).run(options, io),
};

export const cli = (argv: string[], io: Io): Promise<number> => main(command, argv, io);

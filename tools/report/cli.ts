// testpace-report: the command line. Parses arguments into ReportOptions and calls run().
import { type CommandSpec, main, parseDuration } from '../../lib/cli.ts';
import { UsageError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import type { Thresholds } from './types.ts';

export type ReportFormat = 'terminal' | 'markdown' | 'html' | 'json';

export interface ReportOptions {
  /** `report` renders (and compares); `merge` merges shard profiles into one profile. */
  mode: 'report' | 'merge';
  /** Documents named on the command line; empty means stdin when it is not a terminal. */
  documents: string[];
  format: ReportFormat;
  out: string | undefined;
  github: boolean;
  baseline: string | undefined;
  thresholds: Thresholds;
  failOnRegression: boolean;
  history: string | undefined;
  historyWindow: number;
  historyStat: 'median' | 'p90';
  record: boolean;
  top: number;
  debug: boolean;
  /** The clock, for the createdAt of written documents (tests pin it). */
  now?: Date;
}

/** Parses 10%, 0.1 (a fraction) into a fraction. */
export function parseShare(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(text.trim());
  const value = match ? Number(match[1]) / (match[2] ? 100 : 1) : NaN;
  if (!match || (!match[2] && value > 1)) throw new UsageError(`${option}: expected a percentage such as 10% (or a fraction such as 0.1), received "${text}"`);
  return value;
}

export const command: CommandSpec<ReportOptions> = {
  tool: 'report',
  summary:
    'Render testpace documents as terminal tables, Markdown or self-contained HTML; compare with a baseline and gate CI.\n' +
    '`testpace-report merge a.json b.json ...` merges the profiles of CI shards into one profile.',
  usage: '[documents...] [options]  |  merge <profiles...> [--out FILE]',
  examples: [
    ['testpace-profile -- pytest | testpace-report', 'tables of a fresh profile'],
    ['testpace-report profile.json --format html --out report.html', 'a self-contained HTML report with charts'],
    ['testpace-report profile.json --baseline main.json --fail-on-regression', 'exit 1 on a real regression'],
    ['testpace-report old.json new.json --format json', 'a comparison document of two profiles'],
    ['testpace-report profile.json --history .testpace/history.jsonl', 'record the run; compare with the median of the last 20'],
    ['testpace-report merge shard-*.json --out profile.json', 'one profile from the profiles of CI shards'],
  ],
  configure: (args) =>
    args
      .option('format', { alias: 'f', type: 'string', choices: ['terminal', 'markdown', 'html', 'json'], default: 'terminal', describe: 'Output format (json: the comparison document)' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write the output to FILE (atomically) instead of stdout' })
      .option('github', { type: 'boolean', default: false, describe: 'Also append the Markdown report to $GITHUB_STEP_SUMMARY' })
      .option('baseline', { alias: 'b', type: 'string', describe: 'Compare with this baseline profile' })
      .option('threshold', { type: 'string', default: '10%', describe: 'Relative change of a median needed to count' })
      .option('min-delta', { type: 'string', default: '50ms', describe: 'Absolute change of a test median needed to count' })
      .option('total-threshold', { type: 'string', default: '2%', describe: 'Absolute change of the total needed to count, as a share of the baseline total' })
      .option('alpha', { type: 'number', default: 0.05, describe: 'Significance level of the Mann-Whitney U test on the runs' })
      .option('fail-on-regression', { type: 'boolean', default: false, describe: 'Exit 1 when the verdict is a regression' })
      .option('history', { type: 'string', describe: 'JSON-lines history: append this run, show the trend, compare with a rolling baseline' })
      .option('history-window', { type: 'number', default: 20, describe: 'Records of the history the rolling baseline uses' })
      .option('history-stat', { type: 'string', choices: ['median', 'p90'], default: 'median', describe: 'Statistic of the rolling baseline' })
      .option('record', { type: 'boolean', default: true, describe: 'Append the current profile to --history (--no-record only reads it)' })
      .option('top', { type: 'number', default: 10, describe: 'Rows shown in long tables' }),
  toOptions: (argv) => {
    const positional = (argv._ as unknown[]).map(String);
    const mode = positional[0] === 'merge' ? 'merge' : 'report';
    const documents = mode === 'merge' ? positional.slice(1) : positional;
    const alpha = Number(argv.alpha);
    if (!(alpha > 0 && alpha < 1)) throw new UsageError(`--alpha: expected a number between 0 and 1, received ${String(argv.alpha)}`);
    const window = Number(argv.historyWindow);
    if (!Number.isInteger(window) || window < 1) throw new UsageError(`--history-window: expected a positive whole number, received ${String(argv.historyWindow)}`);
    const top = Number(argv.top);
    if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top: expected a positive whole number, received ${String(argv.top)}`);
    if (argv.github && mode === 'merge') throw new UsageError('--github applies to reports, not to merge');
    return {
      mode,
      documents,
      format: argv.format as ReportFormat,
      out: argv.out as string | undefined,
      github: Boolean(argv.github),
      baseline: argv.baseline as string | undefined,
      thresholds: {
        relative: parseShare(String(argv.threshold), '--threshold'),
        absoluteMs: parseDuration(String(argv.minDelta), '--min-delta'),
        totalRelative: parseShare(String(argv.totalThreshold), '--total-threshold'),
        alpha,
      },
      failOnRegression: Boolean(argv.failOnRegression),
      history: argv.history as string | undefined,
      historyWindow: window,
      historyStat: argv.historyStat as 'median' | 'p90',
      record: Boolean(argv.record),
      top,
      debug: Boolean(argv.debug),
    };
  },
  run: async (options, io) => (await import('./run.ts')).run(options, io),
};

export const cli = (argv: string[], io: Io): Promise<number> => main(command, argv, io);

// testpace-report: the command line. Parses arguments into ReportOptions and calls run().
import { type CommandSpec, main, parseDuration } from '../../lib/cli.ts';
import { UsageError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import type { RollingStat } from './history.ts';
import type { ReportFormat, ReportOptions } from './options.ts';
import { DEFAULT_MIN_EFFECT } from './verdict.ts';

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
    'Render testpace documents as terminal tables, Markdown or self-contained HTML; compare with a baseline, check budgets and gate CI.\n' +
    'Reads the JSON of pytest-benchmark, hyperfine and vitest bench as benchmark documents.\n' +
    '`testpace-report merge a.json b.json ...` merges the profiles of CI shards into one profile;\n' +
    '`testpace-report import bench.json ... --out benchmark.json` writes harnesses\' results as one benchmark document.',
  usage: '[documents...] [options]  |  merge <profiles...> [--out FILE]  |  import <harness JSON...> [--out FILE]',
  examples: [
    ['testpace-profile -- pytest | testpace-report', 'tables of a fresh profile'],
    ['testpace-report profile.json --format html --out report.html', 'a self-contained HTML report with charts'],
    ['testpace-report profile.json --baseline main.json --fail-on-regression', 'exit 1 on a real regression'],
    ['testpace-report old.json new.json --format json', 'a comparison document of two profiles'],
    ['testpace-report profile.json --history .testpace/history.jsonl', 'record the run; compare with the median of the last 20'],
    ['testpace-report merge shard-*.json --out profile.json', 'one profile from the profiles of CI shards'],
    ['testpace-report import .testpace/pytest-bench.json --out .testpace/bench.json', 'a benchmark document from pytest-benchmark\'s JSON'],
    ['testpace-report bench.json --baseline bench-base.json --fail-on-regression', 'gate micro-benchmarks on the rank test of their samples'],
    ["testpace-report profile.json --budget 'total <= 180s' --budget 'test <= 5s'", 'fail when a limit is exceeded, whatever the baseline'],
  ],
  configure: (args) =>
    args
      .option('format', { alias: 'f', type: 'string', choices: ['terminal', 'markdown', 'html', 'json'], default: 'terminal', describe: 'Output format (json: the comparison document)' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write the output to FILE (atomically) instead of stdout' })
      .option('github', { type: 'boolean', default: false, describe: 'Append a short Markdown report to $GITHUB_STEP_SUMMARY; in GitHub Actions, annotate regressions and breached budgets' })
      .option('baseline', { alias: 'b', type: 'string', describe: 'Compare with this baseline (a profile, or a benchmark document or harness JSON); once per kind' })
      .option('threshold', { type: 'string', default: '10%', describe: 'Relative change of a median needed to count' })
      .option('min-delta', { type: 'string', default: '50ms', describe: 'Absolute change of a test median needed to count' })
      .option('total-threshold', { type: 'string', default: '2%', describe: 'Absolute change of the total needed to count, as a share of the baseline total' })
      .option('alpha', { type: 'number', default: 0.05, describe: 'Significance level for all the comparisons together (Holm-corrected)' })
      .option('min-effect', { type: 'number', default: DEFAULT_MIN_EFFECT, describe: 'A change must be at least this many times the item\'s own spread (1.4826 × MAD)' })
      .option('budget', { type: 'string', describe: "A limit that fails the run: 'total <= 180s', 'test <= 5s', 'peak-rss <= 2GiB', 'bench:NAME <= 40ms'" })
      .option('config', { type: 'boolean', default: true, describe: 'Read budgets from testpace.config.json, package.json "testpace" or pyproject.toml [tool.testpace] (--no-config: not)' })
      .option('allow-unrelated', { type: 'boolean', default: false, describe: 'Compare documents that look unrelated (different projects) instead of refusing' })
      .option('fail-on-regression', { type: 'boolean', default: false, describe: 'Exit 1 when the verdict is a regression' })
      .option('history', { type: 'string', describe: 'JSON-lines history: append this run, show the trend, compare with a rolling baseline' })
      .option('history-window', { type: 'number', default: 20, describe: 'Records of the history the rolling baseline uses' })
      .option('history-stat', { type: 'string', choices: ['pooled', 'median', 'p90'], default: 'pooled', describe: 'Rolling baseline: the records\' runs pooled, or the median or p90 of their medians' })
      .option('history-branch', { type: 'string', describe: 'Rolling baseline from the records of this branch only (e.g. main)' })
      .option('record', { type: 'boolean', default: true, describe: 'Append the current profile to --history (--no-record only reads it)' })
      .option('top', { type: 'number', default: 10, describe: 'Rows shown in long tables' }),
  toOptions: (argv, io) => {
    const positional = (argv._ as unknown[]).map(String);
    const mode = positional[0] === 'merge' ? 'merge' : positional[0] === 'import' ? 'import' : 'report';
    const documents = mode === 'report' ? positional : positional.slice(1);
    const alpha = Number(argv.alpha);
    if (!(alpha > 0 && alpha < 1)) throw new UsageError(`--alpha: expected a number between 0 and 1, received ${String(argv.alpha)}`);
    const window = Number(argv.historyWindow);
    if (!Number.isInteger(window) || window < 1) throw new UsageError(`--history-window: expected a positive whole number, received ${String(argv.historyWindow)}`);
    const top = Number(argv.top);
    if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top: expected a positive whole number, received ${String(argv.top)}`);
    if (argv.github && mode !== 'report') throw new UsageError(`--github applies to reports, not to ${mode}`);
    const minEffect = Number(argv.minEffect);
    if (!(minEffect >= 0)) throw new UsageError(`--min-effect: expected a number ≥ 0, received ${String(argv.minEffect)}`);
    const strings = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
    return {
      mode,
      documents,
      format: argv.format as ReportFormat,
      out: argv.out as string | undefined,
      github: Boolean(argv.github),
      baselines: strings(argv.baseline),
      budgets: strings(argv.budget),
      useConfig: Boolean(argv.config),
      allowUnrelated: Boolean(argv.allowUnrelated),
      thresholds: {
        relative: parseShare(String(argv.threshold), '--threshold'),
        absoluteMs: parseDuration(String(argv.minDelta), '--min-delta'),
        totalRelative: parseShare(String(argv.totalThreshold), '--total-threshold'),
        alpha,
        minEffect,
      },
      failOnRegression: Boolean(argv.failOnRegression),
      history: argv.history as string | undefined,
      historyWindow: window,
      historyStat: argv.historyStat as RollingStat,
      historyBranch: argv.historyBranch as string | undefined,
      record: Boolean(argv.record),
      top,
      debug: Boolean(argv.debug),
      // Reproducible output (the reproducible-builds convention): the time written into documents and pages.
      ...(io.env.SOURCE_DATE_EPOCH && /^\d+$/.test(io.env.SOURCE_DATE_EPOCH) ? { now: new Date(Number(io.env.SOURCE_DATE_EPOCH) * 1000) } : {}),
    };
  },
  run: async (options, io) => (await import('./run.ts')).run(options, io),
};

export const cli = (argv: string[], io: Io): Promise<number> => main(command, argv, io);

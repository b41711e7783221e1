// testpace-select: the command line. Parses arguments into SelectOptions and calls run().
import { type CommandSpec, main, parseDuration } from '../../lib/cli.ts';
import { UsageError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import type { SelectOptions } from './options.ts';

export const command: CommandSpec<SelectOptions> = {
  tool: 'select',
  summary: 'Which tests can this change break? Changed files from git, through the dependency graph, to the affected tests, with reasons.',
  usage: '[options] [-- <test command...>]',
  passThrough: true,
  examples: [
    ['testpace-select --since origin/main | xargs -r pytest', 'run only the tests affected since origin/main'],
    ['testpace-select -0 | xargs -0 -r npx vitest run', 'NUL-separated, for paths with spaces'],
    ['testpace-select --format json --out selection.json', 'the selection document, with the reason for every test'],
    ['git diff --name-only HEAD~1 | testpace-select --files -', 'take the changed files from stdin'],
    ['testpace-select --explain tests/test_cart.py', 'why is this test selected (or not)?'],
    ['testpace-select --timings profile.json --shard 2/4', 'the second of four shards, balanced by measured duration'],
    ['testpace-select --since main -- npx mocha "test/**/*-test.js"', 'the test files are the ones this command runs'],
  ],
  configure: (args) =>
    args
      .option('since', { type: 'string', describe: 'Base ref (default: the upstream branch, else origin/HEAD, else HEAD~1); changes since its merge base with HEAD' })
      .option('files', { type: 'string', array: true, describe: 'Changed files given directly (- reads them from stdin, one a line)' })
      .option('committed-only', { type: 'boolean', default: false, describe: 'Leave staged, unstaged and untracked files out' })
      .option('on-missing-base', { type: 'string', choices: ['error', 'all'], default: 'error', describe: 'When the base is not in a shallow clone: fail, or select every test' })
      .option('tests', { type: 'string', array: true, describe: 'Glob(s) of test files (relative to the current directory), instead of discovering them from the runner configs' })
      .option('format', { type: 'string', choices: ['list', 'json'], default: 'list', describe: 'list: one test path a line; json: the selection document' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write the output to FILE (atomically) instead of stdout' })
      .option('null', { alias: '0', type: 'boolean', default: false, describe: 'Separate listed paths with NUL (for xargs -0)' })
      .option('explain', { type: 'string', describe: 'Print the chain from a changed file to this test file' })
      .option('timings', { type: 'string', describe: 'A profile document with measured durations (for --order, --shard, --budget)' })
      .option('order', { type: 'string', choices: ['duration', 'failed-first'], describe: 'Order tests: shortest first, or failed (in the profile) first' })
      .option('shard', { type: 'string', describe: 'Only shard I of K (I/K), balanced by measured duration' })
      .option('budget', { type: 'string', describe: 'Only the most directly affected tests that fit in this time (e.g. 60s); needs --timings' })
      .option('granularity', { type: 'string', choices: ['symbol', 'file'], default: 'symbol', describe: 'symbol: a change inside a Python function or class body selects the tests that reach it by name; file: every test that imports the file' })
      .option('ignore-type-imports', { type: 'boolean', default: false, describe: 'Type-only imports are not edges' })
      .option('cache', { type: 'boolean', default: true, describe: 'Use the graph cache (--no-cache to rebuild from scratch)' }),
  toOptions: (argv) => {
    // yargs hands a lone `-` to the positionals, even after an array option.
    const positionals = ((argv._ as unknown[]) ?? []).map(String);
    let files = argv.files as string[] | undefined;
    if (files !== undefined && positionals.includes('-')) files = [...files, '-'];
    const extra = positionals.filter((p) => !(p === '-' && files !== undefined));
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, 'changed files go after --files; a base ref after --since');
    if (files !== undefined && files.length === 0) throw new UsageError('--files: expected file names, or - to read them from stdin');
    let shard: SelectOptions['shard'];
    if (argv.shard !== undefined) {
      const match = /^(\d+)\/(\d+)$/.exec(String(argv.shard));
      const index = Number(match?.[1]);
      const count = Number(match?.[2]);
      if (!match || count < 1 || index < 1 || index > count) throw new UsageError(`--shard: expected I/K with 1 <= I <= K, received "${String(argv.shard)}"`);
      shard = { index, count };
    }
    const budgetMs = argv.budget === undefined ? undefined : parseDuration(String(argv.budget), '--budget');
    if ((budgetMs !== undefined || argv.order !== undefined) && argv.timings === undefined) {
      throw new UsageError(`${budgetMs !== undefined ? '--budget' : '--order'} needs measured durations`, 'pass --timings profile.json (written by testpace-profile)');
    }
    if (argv.files !== undefined && argv.since !== undefined) throw new UsageError('--files and --since exclude each other', 'give the changed files, or a base ref to compute them from');
    return {
      since: argv.since as string | undefined,
      files,
      committedOnly: Boolean(argv.committedOnly),
      onMissingBase: argv.onMissingBase as 'error' | 'all',
      tests: argv.tests as string[] | undefined,
      format: argv.format as 'list' | 'json',
      out: argv.out as string | undefined,
      nul: Boolean(argv.null),
      explain: argv.explain as string | undefined,
      timings: argv.timings as string | undefined,
      order: argv.order as SelectOptions['order'],
      shard,
      budgetMs,
      ignoreTypeImports: Boolean(argv.ignoreTypeImports),
      cache: argv.cache !== false,
      debug: Boolean(argv.debug),
      granularity: argv.granularity as 'symbol' | 'file',
      command: ((argv['--'] as unknown[] | undefined) ?? []).length > 0 ? (argv['--'] as unknown[]).map(String) : undefined,
    };
  },
  run: async (options, io) => (await import('./run.ts')).run(options, io),
};

export const cli = (argv: string[], io: Io): Promise<number> => main(command, argv, io);

// node:test: testpace's reporter (node-test-reporter.mjs) added with --test-reporter next to the
// user's reporters. Suites are reported too; their end events carry `suite: true` and readRunEvents()
// drops them (they close the suite's start for live followers).
import path from 'node:path';
import { type Adapter, insertArgs, requireInsertAt, writeReporter, writeRunFile } from './adapter.ts';
import defaultReporter from './node-test-default-reporter.mjs?raw';
import reporter from './node-test-reporter.mjs?raw';

const isReporterFlag = (arg: string) => arg === '--test-reporter' || arg.startsWith('--test-reporter=');

export const instrumentNodeTest: Adapter = async (context) => {
  const at = requireInsertAt(context, 'node-test');
  const ours = writeReporter(context, 'node-test-reporter.mjs', reporter);
  // Reporters given in NODE_OPTIONS count as the user's too: node adds those on the command line to them.
  const userReporters = context.command.some(isReporterFlag) || (context.env.NODE_OPTIONS ?? '').split(/\s+/).some(isReporterFlag);
  const args = [`--test-reporter=${ours}`, `--test-reporter-destination=${path.join(context.tmpDir, 'node-test-reporter.out')}`];
  // Any --test-reporter replaces node's default, so without reporters of the user's, name node's default.
  if (!userReporters) args.unshift(`--test-reporter=${writeRunFile(context, 'node-test-default-reporter.mjs', defaultReporter)}`, '--test-reporter-destination=stdout');
  return { command: insertArgs(context.command, at, args), env: context.env };
};

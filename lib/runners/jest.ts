// jest: testpace's reporter (jest-reporter.cjs) added beside the user's reporters. --reporters on the
// command line replaces the configured ones, so the reporter goes in through a config of testpace's
// (jest-config.cjs) that has the running jest read the user's config and adds it beside theirs. jest
// before 29 cannot read a config for another (no readInitialOptions): there, and where the user names
// reporters on the command line, testpace's joins them on the command line.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Adapter, insertArgs, optionValue, requireInsertAt, withoutOption, writeReporter, writeRunFile } from './adapter.ts';
import wrapperConfig from './jest-config.cjs?raw';
import reporter from './jest-reporter.cjs?raw';

function jestMajor(cwd: string): number | undefined {
  try {
    const file = createRequire(path.join(cwd, 'noop.js')).resolve('jest/package.json');
    return Number((JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version.split('.')[0]);
  } catch {
    return undefined;
  }
}

export const instrumentJest: Adapter = async (context) => {
  const at = requireInsertAt(context, 'jest');
  const ours = writeReporter(context, 'jest-reporter.cjs', reporter);
  const userReporters = context.command.some((arg) => arg === '--reporters' || arg.startsWith('--reporters='));
  const major = jestMajor(context.cwd);
  if (!userReporters && major !== undefined && major >= 29) {
    const config = optionValue(context.command.slice(at), ['--config', '-c']);
    writeRunFile(context, 'jest-settings.json', JSON.stringify({ config: config ?? null, cwd: context.cwd, reporter: ours }));
    const wrapper = writeRunFile(context, 'jest-config.cjs', wrapperConfig);
    // --config=FILE, one argument: jest's array options take the arguments that follow them as values.
    return { command: insertArgs(withoutOption(context.command, ['--config', '-c'], at), at, [`--config=${wrapper}`]), env: context.env };
  }
  const args = userReporters ? [`--reporters=${ours}`] : ['--reporters=default', `--reporters=${ours}`];
  // --reporters is an array option: the arguments after it would be taken as reporters (a test path or
  // pattern among them), so it goes last, before a `--` if there is one.
  const end = context.command.indexOf('--', at);
  return { command: insertArgs(context.command, end === -1 ? context.command.length : end, args), env: context.env };
};

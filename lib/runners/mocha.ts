// mocha: testpace's reporter (mocha-reporter.cjs) given with --reporter; it runs the user's reporter
// inside it, so their output and files are unchanged. The user's --reporter/-R is handed to it as the
// testpaceInner reporter option; a reporter named in their configuration it finds itself.
import { type Adapter, insertArgs, optionValue, requireInsertAt, withoutOption, writeReporter } from './adapter.ts';
import reporter from './mocha-reporter.cjs?raw';

export const instrumentMocha: Adapter = async (context) => {
  const at = requireInsertAt(context, 'mocha');
  const ours = writeReporter(context, 'mocha-reporter.cjs', reporter);
  const inner = optionValue(context.command.slice(at), ['--reporter', '-R']);
  const args = [`--reporter=${ours}`];
  if (inner) args.push(`--reporter-option=testpaceInner=${inner}`);
  return { command: insertArgs(withoutOption(context.command, ['--reporter', '-R'], at), at, args), env: context.env };
};

// vitest: testpace's reporter (vitest-reporter.mjs) added beside the user's reporters. Reporters on the
// command line replace the configured ones, so with none there the reporter goes in through a config
// of testpace's (vitest-config.mjs) that loads the user's config and adds it beside theirs (or beside
// vitest's defaults, through the configureVitest hook where vitest has it). With reporters on the
// command line, testpace's joins them there.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Adapter, type AdapterContext, insertArgs, optionValue, requireInsertAt, withoutOption, writeReporter, writeRunFile } from './adapter.ts';
import wrapperConfig from './vitest-config.mjs?raw';
import reporter from './vitest-reporter.mjs?raw';

/** vitest's config file names, in the order it looks for them. */
const CONFIG_FILES = ['vitest.config', 'vite.config'].flatMap((name) => ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].map((ext) => name + ext));

const hasReporter = (command: readonly string[]) => command.some((arg) => arg === '--reporter' || arg.startsWith('--reporter='));

// `vitest` alone watches for changes when it has a terminal, and would never exit: a profile needs one run.
const choosesMode = (command: readonly string[], at: number) =>
  command.slice(at).some((arg) => arg === 'run' || arg === '--run' || arg === 'bench' || arg === 'watch' || arg === '--watch' || arg.startsWith('--watch='));

/** The user's config file as vitest would find it, false for --config false, undefined for none. */
function userConfig(context: AdapterContext, args: readonly string[]): string | false | undefined {
  const given = optionValue(args, ['--config', '-c']);
  if (given === 'false') return false;
  if (given) return path.resolve(context.cwd, given);
  const root = path.resolve(context.cwd, optionValue(args, ['--root', '-r']) ?? '.');
  return CONFIG_FILES.map((name) => path.join(root, name)).find((file) => existsSync(file));
}

/** vitest's version as [major, minor], resolved from `from`; undefined when it cannot be found there. */
function vitestVersion(from: string): [number, number] | undefined {
  try {
    const file = createRequire(path.join(from, 'noop.js')).resolve('vitest/package.json');
    const [major, minor] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version.split('.').map(Number);
    return [major!, minor!];
  } catch {
    return undefined;
  }
}

export const instrumentVitest: Adapter = async (context) => {
  const at = requireInsertAt(context, 'vitest');
  const ours = writeReporter(context, 'vitest-reporter.mjs', reporter);
  const config = hasReporter(context.command) ? false : userConfig(context, context.command.slice(at));
  let command = [...context.command];
  let args: string[];
  if (config === false) args = [`--reporter=${ours}`];
  else {
    const dir = config ? path.dirname(config) : context.cwd;
    const version = vitestVersion(dir);
    writeRunFile(context, 'vitest-user-config.mjs', config ? `export { default } from ${JSON.stringify(config)};\n` : 'export default {};\n');
    // Without a version to go by, assume a current vitest (configureVitest arrived in 3.1).
    const hook = !version || version[0] > 3 || (version[0] === 3 && version[1] >= 1);
    const workspace = config && version && version[0] < 4 ? workspaceFile(dir) : undefined;
    writeRunFile(context, 'vitest-settings.json', JSON.stringify({ reporter: ours, hook, workspace: workspace ?? null }));
    // testpace's config takes the place of the user's --config, which it loads.
    command = withoutOption(command, ['--config', '-c'], at);
    args = [`--config=${writeRunFile(context, 'vitest-config.mjs', wrapperConfig)}`];
  }
  if (!choosesMode(command, at)) args.push('--run');
  return { command: insertArgs(command, at, args), env: context.env };
};

/** A vitest.workspace file in `dir` (vitest 2 and 3 look for one beside the config file). */
function workspaceFile(dir: string): string | undefined {
  return ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json']
    .flatMap((ext) => [`vitest.workspace${ext}`, `vitest.projects${ext}`])
    .map((name) => path.join(dir, name))
    .find((file) => existsSync(file));
}

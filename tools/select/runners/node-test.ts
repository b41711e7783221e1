// node:test: `node --test` with no paths runs its default patterns; with paths or globs, those.
// Each `node --test` command of the package's scripts adds its files (a package often splits
// unit and spec runs); --import/--require of a local file runs before every test.
import { type RunnerProject, emptyProject, join, parseArgs } from './common.ts';

export const NODE_TEST_DEFAULTS = ['**/*.test.?(c|m)js', '**/*-test.?(c|m)js', '**/*_test.?(c|m)js', '**/test-*.?(c|m)js', '**/test.?(c|m)js', '**/test/**/*.?(c|m)js'];
const NODE_VALUED = new Set(['--test-reporter', '--test-reporter-destination', '--test-name-pattern', '--test-skip-pattern', '--test-concurrency', '--test-timeout', '--test-shard', '--import', '--require', '-r', '--loader', '--experimental-loader', '--env-file', '--conditions', '-C', '--input-type', '--stack-size']);

/** The node:test project of the `node --test` commands `commands` (their words after `node`), run in `dir`. */
export function nodeTestProject(dir: string, file: string, commands: string[][]): RunnerProject {
  const project = emptyProject('node-test', dir, file);
  for (const args of commands) {
    const { positionals, options } = parseArgs(args, NODE_VALUED);
    for (const required of [...(options.get('--import') ?? []), ...(options.get('--require') ?? []), ...(options.get('-r') ?? [])]) {
      if (required.startsWith('.') || required.includes('/')) project.setupFiles.push(join(dir, required));
    }
    if (positionals.length === 0) project.include.push(...NODE_TEST_DEFAULTS.map((glob) => join(dir, glob)));
    for (const target of positionals) {
      // An unquoted `test/unit/**` reaches node after the shell expanded it (a `*` there): whatever it names, and what is below.
      if (/[*?{[]/.test(target)) project.include.push(join(dir, target), `${join(dir, target.replace(/\/\*\*?$/, ''))}/**/*.?(c|m)[jt]s`);
      else if (/\.[cm]?[jt]sx?$/.test(target)) project.include.push(join(dir, target));
      else project.include.push(...NODE_TEST_DEFAULTS.map((glob) => join(join(dir, target), glob)), `${join(dir, target)}/**/*.?(c|m)js`);
    }
  }
  project.include = [...new Set(project.include)];
  return project;
}

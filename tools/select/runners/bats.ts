// bats: the paths the test command gives (`bats test`, `bin/bats -r test`): the .bats files
// directly in a directory, or below it with -r. Without a command, every .bats file outside
// fixture directories (the inputs of bats' own tests are .bats files too, some failing on purpose).
import { type RunnerProject, emptyProject, join, parseArgs } from './common.ts';

const BATS_VALUED = new Set(['-f', '--filter', '-F', '--formatter', '-j', '--jobs', '-o', '--output', '--report-formatter', '--filter-tags', '--filter-status', '--line-reference-format', '--code-quote-style', '--gather-test-outputs-in', '-x', '--setup-suite-file']);

export function batsProject(dir: string, file: string | null, commands: string[][]): RunnerProject {
  const project = emptyProject('bats', dir, file);
  for (const args of commands) {
    const { positionals, options } = parseArgs(args, BATS_VALUED);
    const recursive = options.has('-r') || options.has('--recursive');
    for (const target of positionals.length > 0 ? positionals : ['.']) {
      if (target.endsWith('.bats')) project.include.push(join(dir, target));
      else project.include.push(`${join(dir, target.replace(/\/$/, '')) === '.' ? '' : `${join(dir, target.replace(/\/$/, ''))}/`}${recursive ? '**/' : ''}*.bats`);
    }
  }
  if (commands.length === 0) {
    project.include = [join(dir, '**/*.bats')];
    project.exclude.push('**/fixtures/**', '**/fixture/**');
  }
  return project;
}

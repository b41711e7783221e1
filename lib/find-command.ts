// Whether a command's program can be found before running it, and what the user may have meant.
import { accessSync, constants, readdirSync } from 'node:fs';
import path from 'node:path';
import { nearest } from './cli.ts';

/** Programs a test command usually starts with: the candidates for a typo's suggestion. */
const COMMON = ['pytest', 'python', 'python3', 'vitest', 'jest', 'mocha', 'bats', 'node', 'npx', 'npm', 'pnpm', 'yarn', 'bun', 'deno', 'tox', 'nox', 'uv', 'poetry', 'make'];

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Whether `program` names an executable: a path (relative to `cwd`), or a name on `PATH`. */
export function programExists(program: string, cwd: string, env: NodeJS.ProcessEnv): boolean {
  if (program.includes('/')) return executable(path.resolve(cwd, program));
  return (env.PATH ?? '').split(path.delimiter).some((dir) => dir && executable(path.resolve(cwd, dir, program)));
}

/** The program nearest to a mistyped one: a common runner, or a file beside it in the project's node_modules/.bin. */
export function suggestProgram(program: string, cwd: string): string | undefined {
  let local: string[] = [];
  try {
    local = readdirSync(path.join(cwd, 'node_modules', '.bin'));
  } catch {
    // no local binaries
  }
  return nearest(program, [...COMMON, ...local]);
}

// Which test runner a command runs, and where in the command the runner's own arguments begin,
// looking through wrappers such as npx, pnpm exec, yarn, uv run, poetry run and env.
import path from 'node:path';

export type RunnerName = 'pytest' | 'vitest' | 'jest' | 'node-test' | 'mocha' | 'bats';

export const runnerNames: readonly RunnerName[] = ['pytest', 'vitest', 'jest', 'node-test', 'mocha', 'bats'];

/** A runner found in a command: arguments for the runner can be inserted at `insertAt`. */
export interface LocatedRunner {
  runner: RunnerName;
  /** Index in the command of the first argument after the runner's executable (and subcommand, e.g. `-m pytest`). */
  insertAt: number;
}

// Wrappers: name → options of the wrapper that take a value (so the value is not mistaken for the command).
const wrappers: Record<string, { subcommands?: string[]; valueOptions?: string[] }> = {
  npx: { valueOptions: ['-p', '--package', '-c', '--call', '-w', '--workspace'] },
  bunx: {},
  pnpx: {},
  pnpm: { subcommands: ['exec', 'dlx', 'run'], valueOptions: ['-C', '--dir', '--filter', '-F', '-w', '--workspace'] },
  yarn: { subcommands: ['exec', 'run', 'dlx'], valueOptions: ['--cwd'] },
  npm: { subcommands: ['exec', 'x'], valueOptions: ['-w', '--workspace', '--prefix'] },
  uv: { subcommands: ['run'], valueOptions: ['--with', '--python', '-p', '--project', '--directory', '--group', '--extra', '--env-file'] },
  uvx: { valueOptions: ['--with', '--python', '--from'] },
  poetry: { subcommands: ['run'], valueOptions: ['-C', '--directory', '-P', '--project'] },
  pipenv: { subcommands: ['run'] },
  pdm: { subcommands: ['run'] },
  hatch: { subcommands: ['run'] },
  rye: { subcommands: ['run'] },
  env: { valueOptions: ['-u', '--unset', '-C', '--chdir'] },
  nice: { valueOptions: ['-n', '--adjustment'] },
  time: {},
  xvfb_run: {},
  'xvfb-run': {},
  dotenv: { valueOptions: ['-e', '-v'] },
  'cross-env': {},
};

const isPython = (name: string) => /^python(\d+(\.\d+)?)?$/.test(name) || name === 'pypy3' || name === 'pypy';
const isNode = (name: string) => name === 'node' || name === 'nodejs';

function executableName(token: string): string {
  // ../../node_modules/.bin/vitest, .venv/bin/pytest, vitest.mjs, jest.js → the runner's name.
  return path.basename(token).replace(/\.(c|m)?js$/, '').replace(/\.exe$/i, '');
}

function byName(name: string): RunnerName | undefined {
  if (name === 'pytest' || name === 'py.test') return 'pytest';
  if (name === 'vitest') return 'vitest';
  if (name === 'jest') return 'jest';
  if (name === 'mocha' || name === '_mocha') return 'mocha';
  if (name === 'bats') return 'bats';
  return undefined;
}

/** Finds the runner in `command` and where its arguments begin; undefined when no known runner is there. */
export function locateRunner(command: readonly string[]): LocatedRunner | undefined {
  let i = 0;
  // Leading VAR=value assignments (as `env` takes them).
  while (i < command.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(command[i]!)) i++;
  while (i < command.length) {
    const token = command[i]!;
    const name = executableName(token);
    const direct = byName(name);
    if (direct) {
      // `pnpm vitest run`/`npx vitest run`: vitest's `run` subcommand stays in place; arguments after it are fine too.
      return { runner: direct, insertAt: i + 1 };
    }
    if (isPython(name)) {
      // python [-X opt | -W arg | -u ...] -m pytest
      for (let j = i + 1; j < command.length; j++) {
        const arg = command[j]!;
        if (arg === '-m') {
          const module = command[j + 1];
          return module === 'pytest' || module === 'py.test' ? { runner: 'pytest', insertAt: j + 2 } : undefined;
        }
        if (arg === '-X' || arg === '-W') j++;
        else if (!arg.startsWith('-')) {
          // python path/to/pytest (a script named pytest), else an unknown script.
          const script = byName(executableName(arg));
          return script ? { runner: script, insertAt: j + 1 } : undefined;
        }
      }
      return undefined;
    }
    if (isNode(name)) {
      // node --test ..., or node path/to/vitest.mjs ...
      for (let j = i + 1; j < command.length; j++) {
        const arg = command[j]!;
        if (arg === '--test') return { runner: 'node-test', insertAt: i + 1 };
        if (arg === '-r' || arg === '--require' || arg === '--import' || arg === '--loader' || arg === '--experimental-loader') {
          j++;
          continue;
        }
        if (!arg.startsWith('-')) {
          const script = byName(executableName(arg));
          return script ? { runner: script, insertAt: j + 1 } : undefined;
        }
      }
      return undefined;
    }
    const wrapper = wrappers[name];
    if (!wrapper) return undefined;
    i++;
    // Skip the wrapper's options (and their values), its subcommand, and VAR=value pairs for env.
    while (i < command.length) {
      const arg = command[i]!;
      if (arg === '--') {
        i++;
        break;
      }
      if (wrapper.subcommands?.includes(arg)) {
        i++;
        continue;
      }
      if (arg.startsWith('-')) {
        i += wrapper.valueOptions?.includes(arg) ? 2 : 1;
        continue;
      }
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) {
        i++;
        continue;
      }
      break;
    }
  }
  return undefined;
}

/** The runner a command runs (looking through npx, pnpm exec, yarn, uv run, poetry run, env ...), or undefined. */
export function detectRunner(command: readonly string[]): RunnerName | undefined {
  return locateRunner(command)?.runner;
}

// What every runner's discovery shares: the shape of one runner's view of a directory, and small
// readers of config files. Paths are repo-relative POSIX throughout.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunnerName as KnownRunner } from '../../../lib/runners/detect.ts';

/** The runners select knows, and 'custom' for a command it does not. */
export type RunnerName = KnownRunner | 'custom';

/** One runner's view of a directory. */
export interface RunnerProject {
  runner: RunnerName;
  /** Directory the runner runs in ('' for the repo root). */
  dir: string;
  /** The config file that defined it, if any. */
  config: string | null;
  /** Globs (repo-relative) of its test files. */
  include: string[];
  /** Regexes on repo-relative paths (jest testRegex), in addition to `include`. */
  includeRegex: RegExp[];
  exclude: string[];
  /**
   * Files the runner leaves out although they match `include`, each with where it says so (for
   * --explain). A regex with `absolute` is matched against `/` + the repo-relative path.
   */
  ignore: Array<{ glob?: string; regex?: RegExp; why: string; absolute?: boolean }>;
  /** Setup files: a change to one runs everything. */
  setupFiles: string[];
  /** Module aliases: prefix or regex → replacement (repo-relative when it is a path). */
  aliases: Array<{ find: RegExp; replace: string; whole?: boolean }>;
  /** Python import roots (pytest pythonpath, rootdir). */
  pythonPath: string[];
  /** Made from the test command given after `--`: only its files are tests. */
  fromCommand?: true;
}

export const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**'];

/** A glob or path of a config in `dir`, made repo-relative (a leading / is the repo root). */
export const join = (dir: string, glob: string): string => {
  const clean = glob.replace(/^\.\//, '');
  if (clean.startsWith('/')) return clean.slice(1);
  return dir ? path.posix.normalize(`${dir}/${clean}`) : path.posix.normalize(clean);
};

export const dirOf = (file: string): string => (path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file));

export function readText(root: string, file: string): string {
  try {
    return readFileSync(path.join(root, file), 'utf8');
  } catch {
    return '';
  }
}

export function readJson(root: string, file: string): Record<string, unknown> | null {
  const text = readText(root, file);
  if (!text) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export const emptyProject = (runner: RunnerName, dir: string, config: string | null): RunnerProject => ({
  runner,
  dir,
  config,
  include: [],
  includeRegex: [],
  exclude: [...ALWAYS_EXCLUDED],
  ignore: [],
  setupFiles: [],
  aliases: [],
  pythonPath: [],
});

export const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);

/** A shell command line split into commands (at `&&`, `||`, `;`, `|`), each into words with quotes removed. */
export function shellCommands(script: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | null = null;
  let quote = '';
  const end = (): void => {
    if (word !== null) commands[commands.length - 1]!.push(word);
    word = null;
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < script.length) word = (word ?? '') + script[++i]!;
      else word = (word ?? '') + c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === ' ' || c === '\t' || c === '\n') end();
    else if (c === ';' || c === '|' || c === '&') {
      end();
      if (script[i + 1] === c) i++;
      commands.push([]);
    } else word = (word ?? '') + c;
  }
  end();
  return commands.filter((command) => command.length > 0);
}

/** The words after the runner's own name in `command` (`npx mocha a b` → [a, b]), or null when it does not run `name`. */
export function argsAfter(command: string[], name: RegExp): string[] | null {
  for (let i = 0; i < command.length; i++) {
    const word = command[i]!;
    if (/^[A-Z_][A-Z0-9_]*=/.test(word) || /^(npx|pnpm|yarn|exec|env|bunx|cross-env|nyc|c8|time|-[\w-]+)$/.test(word)) continue;
    if (name.test(path.posix.basename(word))) return command.slice(i + 1);
    if (i > 0 && command[i - 1] === 'pnpm' && word === 'exec') continue;
  }
  return null;
}

/** Splits a runner's arguments into positionals, flags and option values; `valued` lists options that take a value. */
export function parseArgs(args: string[], valued: ReadonlySet<string>): { positionals: string[]; options: Map<string, string[]> } {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    const list = options.get(name);
    if (list) list.push(value);
    else options.set(name, [value]);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('-')) {
      const eq = arg.indexOf('=');
      if (eq !== -1) add(arg.slice(0, eq), arg.slice(eq + 1));
      else if (valued.has(arg) && i + 1 < args.length) add(arg, args[++i]!);
      else add(arg, '');
      continue;
    }
    positionals.push(arg);
  }
  return { positionals, options };
}

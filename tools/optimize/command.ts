// The command to run with N workers, built from the profiled command: its own worker flags (and what
// only a profiled run needs, such as a JUnit report file) replaced, not repeated, so it runs as printed.
import type { Runner } from './file-analysis.ts';

/** A flag and how many words it spans: 1 (`--x` or `--x=v`), or 2 when its value is the next word. */
interface Flag {
  names: string[];
  /** Takes a value in the next word when written without `=`. */
  value: boolean;
}

const flag = (value: boolean, ...names: string[]): Flag => ({ names, value });

// Flags that set the parallelism (or would fight the one recommended), per runner.
const WORKER_FLAGS: Record<Runner, Flag[]> = {
  pytest: [flag(true, '-n', '--numprocesses', '--dist', '--maxprocesses'), flag(false, '--junitxml', '--junit-xml')],
  vitest: [flag(true, '--maxWorkers', '--minWorkers'), flag(false, '--no-file-parallelism', '--fileParallelism', '--file-parallelism')],
  jest: [flag(true, '--maxWorkers', '-w'), flag(false, '--runInBand', '-i')],
  mocha: [flag(true, '--jobs', '-j'), flag(false, '--parallel', '-p')],
  'node-test': [flag(true), flag(false, '--test-concurrency')],
  bats: [flag(true, '--jobs', '-j', '--report-formatter', '--output', '-o'), flag(false, '--no-parallelize-across-files')],
};

/** pytest's `-p no:xdist` turns xdist off: with workers it must go. */
function dropsXdist(args: readonly string[], i: number): number {
  if (args[i] === '-p' && args[i + 1] === 'no:xdist') return 2;
  if (args[i] === '-pno:xdist') return 1;
  return 0;
}

/** The arguments with the runner's worker flags removed (and `-n2`-style glued forms). */
export function withoutWorkerFlags(runner: Runner, args: readonly string[]): string[] {
  const flags = WORKER_FLAGS[runner];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (runner === 'pytest') {
      const drop = dropsXdist(args, i);
      if (drop) {
        i += drop - 1;
        continue;
      }
      // -n2, -nauto: the value glued to the short flag.
      if (/^-n\S+$/.test(arg) && !arg.startsWith('--')) continue;
    }
    const [name] = arg.split('=', 1) as [string];
    const match = flags.find((f) => f.names.includes(name));
    if (!match) {
      out.push(arg);
      continue;
    }
    if (match.value && !arg.includes('=')) i++;
  }
  return out;
}

/**
 * The profiled command run on `workers` workers. pytest: `-n N --dist POLICY` (policy omitted when it is
 * xdist's default, load); vitest `--maxWorkers=N` or `--no-file-parallelism`; jest `--maxWorkers=N` or
 * `--runInBand`; mocha `--parallel --jobs N`; node `--test-concurrency=N` right after `--test`; bats `--jobs N`.
 */
export function commandFor(runner: Runner | 'other', command: readonly string[], workers: number, dist?: string): string[] {
  if (runner === 'other') return [...command];
  const args = withoutWorkerFlags(runner, command);
  switch (runner) {
    case 'pytest':
      return workers === 1 ? args : [...args, '-n', String(workers), ...(dist && dist !== 'load' ? ['--dist', dist] : [])];
    case 'vitest':
      return [...args, workers === 1 ? '--no-file-parallelism' : `--maxWorkers=${workers}`];
    case 'jest':
      return [...args, workers === 1 ? '--runInBand' : `--maxWorkers=${workers}`];
    case 'mocha':
      return workers === 1 ? args : [...args, '--parallel', '--jobs', String(workers)];
    case 'node-test': {
      // Node reads its own options before the first file: the flag goes right after --test.
      const at = args.indexOf('--test');
      const concurrency = `--test-concurrency=${workers}`;
      return at < 0 ? [...args, concurrency] : [...args.slice(0, at + 1), concurrency, ...args.slice(at + 1)];
    }
    case 'bats':
      return workers === 1 ? args : [...args, '--jobs', String(workers)];
  }
}

/** Words joined for a POSIX shell, each quoted only where it must be. */
export function shellJoin(words: readonly string[]): string {
  return words.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ');
}

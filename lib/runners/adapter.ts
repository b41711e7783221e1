// The contract every runner adapter fulfils, and the helpers they share. An adapter takes the test
// command and returns the same command with the runner's reporting hook added, and the environment
// to run it in; nothing else about the run changes. Adapters write their files synchronously: nothing
// else goes on before the command starts, and a round trip through libuv's thread pool (which starts
// its threads on first use) takes longer than these small writes.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import type { RunnerName } from './detect.ts';
import eventWriter from './event-writer.cjs?raw';

export interface InstrumentOptions {
  /** Directory the command runs in. */
  cwd: string;
  /** File the adapter appends events to (JSON lines). */
  eventsFile: string;
  /** A private temp directory for the adapter's files (plugin, reporter, reports). */
  tmpDir: string;
  /** Environment to start from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface Instrumented {
  /** The command to spawn. */
  command: string[];
  /** The full environment to spawn it with (TESTPACE_EVENTS set). */
  env: NodeJS.ProcessEnv;
  /**
   * For runners that report only at the end (a JUnit report): turns the report into events.
   * Call after the process has exited; absent for live adapters. Returns warnings for the document.
   */
  afterExit?: () => Promise<string[]>;
}

/** What each adapter gets: where to insert arguments, and the shared options. */
export interface AdapterContext extends InstrumentOptions {
  command: readonly string[];
  /** Index where runner arguments can be inserted, or undefined when the runner is hidden (npm test, make). */
  insertAt: number | undefined;
  env: NodeJS.ProcessEnv;
}

/** A runner adapter. */
export type Adapter = (context: AdapterContext) => Promise<Instrumented>;

/** Inserts `args` into `command` at `at`. */
export function insertArgs(command: readonly string[], at: number, args: readonly string[]): string[] {
  return [...command.slice(0, at), ...args, ...command.slice(at)];
}

/** The runner must be visible in the command for adapters that add command-line arguments. */
export function requireInsertAt(context: AdapterContext, runner: RunnerName): number {
  if (context.insertAt === undefined) {
    throw new UsageError(
      `cannot find ${runner} in the command "${context.command.join(' ')}" to add testpace's reporter`,
      'run the runner directly (e.g. npx vitest run instead of npm test), or use --junit FILE',
    );
  }
  return context.insertAt;
}

/** Writes `text` as `name` in the run's temp dir; returns its path. */
export function writeRunFile(context: AdapterContext, name: string, text: string): string {
  const file = path.join(context.tmpDir, name);
  writeFileSync(file, text);
  return file;
}

/** Writes a Node reporter and the event writer it imports (./event-writer.cjs) to the run's temp dir; returns the reporter's path. */
export function writeReporter(context: AdapterContext, name: string, source: string): string {
  writeRunFile(context, 'event-writer.cjs', eventWriter);
  return writeRunFile(context, name, source);
}

/** The value of `--name value` or `--name=value` among `args` (the last one given), if any. */
export function optionValue(args: readonly string[], names: readonly string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (names.includes(arg)) value = args[++i];
    else {
      const name = names.find((n) => n.startsWith('--') && arg.startsWith(`${n}=`));
      if (name) value = arg.slice(name.length + 1);
    }
  }
  return value;
}

/** `command` without the options `names` (as `--name value` or `--name=value`) from index `from` on. */
export function withoutOption(command: readonly string[], names: readonly string[], from: number): string[] {
  const kept: string[] = [];
  for (let i = 0; i < command.length; i++) {
    const arg = command[i]!;
    if (i >= from && names.includes(arg)) i++;
    else if (!(i >= from && names.some((n) => n.startsWith('--') && arg.startsWith(`${n}=`)))) kept.push(arg);
  }
  return kept;
}

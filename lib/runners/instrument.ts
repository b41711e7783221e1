// Instrumenting a test command: the same command with the runner's reporting hook added, and the
// environment to run it in. Nothing else about the run changes. The adapters write their files
// synchronously: nothing else goes on before the command starts, and a round trip through libuv's
// thread pool (which starts its threads on first use) takes longer than these small writes.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { type RunnerName, locateRunner } from './detect.ts';
import { EVENTS_ENV } from './events.ts';
import { PYTEST_PLUGIN_MODULE, PYTEST_PLUGIN_SOURCE } from './pytest-plugin.ts';
import { instrumentBats } from './bats.ts';
import { instrumentJest } from './jest.ts';
import { instrumentMocha } from './mocha.ts';
import { instrumentNodeTest } from './node-test.ts';
import { instrumentVitest } from './vitest.ts';

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
   * For runners that report only at the end (bats' JUnit report): turns the report into events.
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

async function instrumentPytest(context: AdapterContext): Promise<Instrumented> {
  writeFileSync(path.join(context.tmpDir, `${PYTEST_PLUGIN_MODULE}.py`), PYTEST_PLUGIN_SOURCE);
  const pythonPath = [context.tmpDir, context.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  const env: NodeJS.ProcessEnv = { ...context.env, PYTHONPATH: pythonPath };
  if (context.insertAt === undefined) {
    // pytest hidden behind make/tox/a script: PYTEST_PLUGINS loads the plugin in every pytest it reaches.
    const plugins = [env.PYTEST_PLUGINS, PYTEST_PLUGIN_MODULE].filter(Boolean).join(',');
    return { command: [...context.command], env: { ...env, PYTEST_PLUGINS: plugins } };
  }
  return { command: insertArgs(context.command, context.insertAt, ['-p', PYTEST_PLUGIN_MODULE]), env };
}

/**
 * Instruments `command` for `runner`: returns the command and environment to spawn so that the run
 * streams test events to `eventsFile`. Throws UsageError when the runner cannot be reached.
 */
export async function instrument(runner: RunnerName, command: readonly string[], options: InstrumentOptions): Promise<Instrumented> {
  const located = locateRunner(command);
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), [EVENTS_ENV]: options.eventsFile };
  const context: AdapterContext = { ...options, command, env, insertAt: located?.runner === runner ? located.insertAt : undefined };
  switch (runner) {
    case 'pytest':
      return instrumentPytest(context);
    case 'vitest':
      return instrumentVitest(context);
    case 'jest':
      return instrumentJest(context);
    case 'node-test':
      return instrumentNodeTest(context);
    case 'mocha':
      return instrumentMocha(context);
    case 'bats':
      return instrumentBats(context);
  }
}

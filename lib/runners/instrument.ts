// Instrumenting a test command: the runner's adapter by name (the contract is in adapter.ts).
import { type Adapter, type InstrumentOptions, type Instrumented } from './adapter.ts';
import { instrumentBats } from './bats.ts';
import { type RunnerName, locateRunner } from './detect.ts';
import { EVENTS_ENV } from './events.ts';
import { instrumentJest } from './jest.ts';
import { instrumentMocha } from './mocha.ts';
import { instrumentNodeTest } from './node-test.ts';
import { instrumentPytest } from './pytest.ts';
import { instrumentVitest } from './vitest.ts';

export type { InstrumentOptions, Instrumented } from './adapter.ts';

/** Each runner's adapter. */
export const adapters: Record<RunnerName, Adapter> = {
  pytest: instrumentPytest,
  vitest: instrumentVitest,
  jest: instrumentJest,
  'node-test': instrumentNodeTest,
  mocha: instrumentMocha,
  bats: instrumentBats,
};

/**
 * Instruments `command` for `runner`: returns the command and environment to spawn so that the run
 * streams test events to `eventsFile`. Throws UsageError when the runner cannot be reached.
 */
export function instrument(runner: RunnerName, command: readonly string[], options: InstrumentOptions): Promise<Instrumented> {
  const located = locateRunner(command);
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), [EVENTS_ENV]: options.eventsFile };
  return adapters[runner]({ ...options, command, env, insertAt: located?.runner === runner ? located.insertAt : undefined });
}

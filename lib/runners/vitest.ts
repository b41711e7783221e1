// vitest: a reporter module added with --reporter next to the user's (or the default) reporter.
// vitest's TestCase diagnostic gives each test's start (epoch ms, taken in the worker before its
// beforeEach hooks) and duration (hooks included), so no phases; no worker id reaches reporters.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AdapterContext, Instrumented } from './instrument.ts';
import { insertArgs, requireInsertAt } from './instrument.ts';
import { EMITTER_JS } from './reporter-common.ts';

export const VITEST_REPORTER_SOURCE = String.raw`import fs from 'node:fs';
import path from 'node:path';
` + EMITTER_JS + String.raw`
function identity(testCase) {
  return { file: testpaceFile(testCase.module.moduleId), name: testCase.fullName, id: testCase.id, worker: null, pid: process.pid };
}
export default class TestpaceVitestReporter {
  onTestCaseReady(testCase) {
    testpaceEmit(Object.assign({ event: 'start' }, identity(testCase), { t: testpaceNow() }));
  }
  onTestCaseResult(testCase) {
    var result = testCase.result();
    var diagnostic = testCase.diagnostic();
    var state = result.state;
    var outcome = state === 'passed' ? 'passed' : state === 'failed' ? 'failed' : 'skipped';
    var duration = diagnostic && typeof diagnostic.duration === 'number' ? diagnostic.duration : 0;
    var t = diagnostic && diagnostic.startTime ? diagnostic.startTime + duration : testpaceNow();
    var record = Object.assign({ event: 'end' }, identity(testCase), { t: t, outcome: outcome, durationMs: duration });
    if (diagnostic && diagnostic.retryCount) record.retries = diagnostic.retryCount;
    if (diagnostic && typeof diagnostic.heap === 'number') record.heapUsedBytes = diagnostic.heap;
    if (state === 'failed' && result.errors && result.errors[0]) record.message = testpaceFirstLine(result.errors[0].message);
    testpaceEmit(record);
  }
  onTestModuleEnd(testModule) {
    var d = testModule.diagnostic();
    var phases = { environmentMs: d.environmentSetupDuration || 0, prepareMs: d.prepareDuration || 0, collectMs: d.collectDuration || 0, setupMs: d.setupDuration || 0 };
    var total = phases.environmentMs + phases.prepareMs + phases.collectMs + phases.setupMs + (d.duration || 0);
    if (total > 0) {
      testpaceEmit(Object.assign({ event: 'file', file: testpaceFile(testModule.moduleId), worker: null, pid: process.pid, t: testpaceNow(), durationMs: total }, phases));
    }
    // A file that failed to load has no tests: report it as one errored entry so it is not lost.
    var errors = testModule.errors();
    if (errors.length && testModule.children.size === 0) {
      var file = testpaceFile(testModule.moduleId);
      testpaceEmit({ event: 'end', file: file, name: '(file)', id: testModule.id, worker: null, pid: process.pid, t: testpaceNow(),
        outcome: 'error', durationMs: 0, message: testpaceFirstLine(errors[0].message) });
    }
  }
}
`;

const hasReporter = (command: readonly string[]) => command.some((arg) => arg === '--reporter' || arg.startsWith('--reporter='));

// `vitest` alone watches for changes when it has a terminal, and would never exit: a profile needs one run.
const choosesMode = (command: readonly string[], at: number) =>
  command.slice(at).some((arg) => arg === 'run' || arg === '--run' || arg === 'bench' || arg === 'watch' || arg === '--watch' || arg.startsWith('--watch='));

export async function instrumentVitest(context: AdapterContext): Promise<Instrumented> {
  const at = requireInsertAt(context, 'vitest');
  const reporter = path.join(context.tmpDir, 'testpace-vitest-reporter.mjs');
  writeFileSync(reporter, VITEST_REPORTER_SOURCE);
  // --reporter on the command line replaces the configured reporters: keep the user's, or the default.
  // Without reporters of its own, vitest would run `default` (and `github-actions` on GitHub Actions).
  const defaults = context.env.GITHUB_ACTIONS === 'true' ? ['--reporter=default', '--reporter=github-actions'] : ['--reporter=default'];
  const args = hasReporter(context.command) ? [`--reporter=${reporter}`] : [...defaults, `--reporter=${reporter}`];
  if (!choosesMode(context.command, at)) args.push('--run');
  return { command: insertArgs(context.command, at, args), env: context.env };
}

// jest: a reporter added with --reporters next to the user's (or `default`). jest-circus reports each
// test case's start (startAt) and duration (hooks included) to reporters; no worker id reaches them.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AdapterContext, Instrumented } from './instrument.ts';
import { insertArgs, requireInsertAt } from './instrument.ts';
import { EMITTER_JS } from './reporter-common.ts';

export const JEST_REPORTER_SOURCE = String.raw`'use strict';
var fs = require('node:fs');
var path = require('node:path');
` + EMITTER_JS + String.raw`
function name(info) { return (info.ancestorTitles || []).concat([info.title]).join(' > '); }
class TestpaceJestReporter {
  onTestCaseStart(test, info) {
    testpaceEmit({ event: 'start', file: testpaceFile(test.path), name: name(info), id: testpaceFile(test.path) + '::' + name(info),
      worker: null, pid: process.pid, t: info.startedAt || testpaceNow() });
  }
  onTestCaseResult(test, result) {
    var status = result.status;
    var outcome = status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'skipped';
    var duration = typeof result.duration === 'number' ? result.duration : 0;
    var record = { event: 'end', file: testpaceFile(test.path), name: name(result), id: testpaceFile(test.path) + '::' + name(result),
      worker: null, pid: process.pid, t: result.startAt ? result.startAt + duration : testpaceNow(), outcome: outcome, durationMs: duration };
    if (result.invocations && result.invocations > 1) record.retries = result.invocations - 1;
    if (outcome === 'failed' && result.failureMessages && result.failureMessages[0]) record.message = testpaceFirstLine(result.failureMessages[0]);
    testpaceEmit(record);
  }
  onTestFileResult(test, result) {
    var perf = result.perfStats;
    if (perf && perf.end > perf.start) {
      var record = { event: 'file', file: testpaceFile(test.path), worker: null, pid: process.pid, t: perf.end, durationMs: perf.end - perf.start };
      if (perf.loadTestEnvironmentEnd > perf.loadTestEnvironmentStart) record.environmentMs = perf.loadTestEnvironmentEnd - perf.loadTestEnvironmentStart;
      var setup = (perf.setupFilesEnd > perf.setupFilesStart ? perf.setupFilesEnd - perf.setupFilesStart : 0) +
        (perf.setupAfterEnvEnd > perf.setupAfterEnvStart ? perf.setupAfterEnvEnd - perf.setupAfterEnvStart : 0);
      if (setup > 0) record.setupMs = setup;
      testpaceEmit(record);
    }
    // A file that failed to run (syntax error, missing module) has no test cases: keep it as one errored entry.
    if (result.testExecError && (!result.testResults || result.testResults.length === 0)) {
      testpaceEmit({ event: 'end', file: testpaceFile(test.path), name: '(file)', id: testpaceFile(test.path), worker: null, pid: process.pid,
        t: testpaceNow(), outcome: 'error', durationMs: 0, message: testpaceFirstLine(result.testExecError.message) });
    }
  }
  getLastError() { return undefined; }
}
module.exports = TestpaceJestReporter;
`;

export async function instrumentJest(context: AdapterContext): Promise<Instrumented> {
  const at = requireInsertAt(context, 'jest');
  const reporter = path.join(context.tmpDir, 'testpace-jest-reporter.cjs');
  writeFileSync(reporter, JEST_REPORTER_SOURCE);
  // --reporters replaces the configured reporters: keep the user's command-line ones, else jest's default.
  const userReporters = context.command.some((arg) => arg === '--reporters' || arg.startsWith('--reporters='));
  const args = userReporters ? [`--reporters=${reporter}`] : ['--reporters=default', `--reporters=${reporter}`];
  return { command: insertArgs(context.command, at, args), env: context.env };
}

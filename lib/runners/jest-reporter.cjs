'use strict';
// testpace's jest reporter (copied to the run's temp dir, added beside the user's reporters). jest-circus
// reports each test case's start (startAt) and duration (hooks included); no worker id reaches reporters.
const { now, emit, relativeFile, firstLine, occurrences } = require('./event-writer.cjs');

const fullName = (info) => [...(info.ancestorTitles ?? []), info.title].join(' > ');

class TestpaceJestReporter {
  constructor() {
    this.idOf = occurrences();
  }

  onTestCaseStart(test, info) {
    const file = relativeFile(test.path);
    const name = fullName(info);
    emit({ event: 'start', file, name, id: this.idOf('start', file, name), worker: null, pid: process.pid, t: info.startedAt || now() });
  }

  onTestCaseResult(test, result) {
    const file = relativeFile(test.path);
    const name = fullName(result);
    const status = result.status;
    const outcome = status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'skipped';
    const duration = typeof result.duration === 'number' ? result.duration : 0;
    const t = result.startAt ? result.startAt + duration : now();
    const record = { event: 'end', file, name, id: this.idOf('end', file, name), worker: null, pid: process.pid, t, outcome, durationMs: duration };
    if (result.invocations > 1) record.retries = result.invocations - 1;
    if (outcome === 'failed' && result.failureMessages?.[0]) record.message = firstLine(result.failureMessages[0]);
    emit(record);
  }

  onTestFileResult(test, result) {
    const file = relativeFile(test.path);
    const perf = result.perfStats;
    if (perf && perf.end > perf.start) {
      const record = { event: 'file', file, worker: null, pid: process.pid, t: perf.end, durationMs: perf.end - perf.start };
      if (perf.loadTestEnvironmentEnd > perf.loadTestEnvironmentStart) record.environmentMs = perf.loadTestEnvironmentEnd - perf.loadTestEnvironmentStart;
      const setup =
        (perf.setupFilesEnd > perf.setupFilesStart ? perf.setupFilesEnd - perf.setupFilesStart : 0) +
        (perf.setupAfterEnvEnd > perf.setupAfterEnvStart ? perf.setupAfterEnvEnd - perf.setupAfterEnvStart : 0);
      if (setup > 0) record.setupMs = setup;
      emit(record);
    }
    // A file that failed to run (throws at import, a syntax error, a missing module) has no test cases: one errored entry.
    if (result.testExecError && !result.testResults?.length) {
      emit({ event: 'end', file, name: '(file)', id: `${file}::(file)`, worker: null, pid: process.pid, t: now(), outcome: 'error', durationMs: 0, message: firstLine(result.testExecError.message) });
    }
  }

  getLastError() {
    return undefined;
  }
}

module.exports = TestpaceJestReporter;

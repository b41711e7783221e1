// testpace's vitest reporter (copied to the run's temp dir and added next to the user's reporters).
// vitest's TestCase diagnostic gives each test's start (epoch ms, taken in the worker before its
// beforeEach hooks) and duration (hooks included), so no phases; no worker id reaches reporters.
import events from './event-writer.cjs';

const { now, emit, relativeFile, firstLine } = events;

// vitest's task ids are unique per test and stable between runs, so twins of one name stay apart.
const identity = (testCase) => ({ file: relativeFile(testCase.module.moduleId), name: testCase.fullName, id: testCase.id, worker: null, pid: process.pid });

export default class TestpaceVitestReporter {
  onTestCaseReady(testCase) {
    emit({ event: 'start', ...identity(testCase), t: now() });
  }

  onTestCaseResult(testCase) {
    const result = testCase.result();
    const diagnostic = testCase.diagnostic();
    const state = result.state;
    const outcome = state === 'passed' ? 'passed' : state === 'failed' ? 'failed' : 'skipped';
    const duration = typeof diagnostic?.duration === 'number' ? diagnostic.duration : 0;
    const t = diagnostic?.startTime ? diagnostic.startTime + duration : now();
    const record = { event: 'end', ...identity(testCase), t, outcome, durationMs: duration };
    if (diagnostic?.retryCount) record.retries = diagnostic.retryCount;
    if (typeof diagnostic?.heap === 'number') record.heapUsedBytes = diagnostic.heap;
    if (state === 'failed' && result.errors?.[0]) record.message = firstLine(result.errors[0].message);
    emit(record);
  }

  onTestModuleEnd(testModule) {
    const d = testModule.diagnostic();
    const phases = { environmentMs: d.environmentSetupDuration || 0, prepareMs: d.prepareDuration || 0, collectMs: d.collectDuration || 0, setupMs: d.setupDuration || 0 };
    const total = phases.environmentMs + phases.prepareMs + phases.collectMs + phases.setupMs + (d.duration || 0);
    const file = relativeFile(testModule.moduleId);
    if (total > 0) emit({ event: 'file', file, worker: null, pid: process.pid, t: now(), durationMs: total, ...phases });
    // A file that failed to load has no tests: report it as one errored entry so it is not lost.
    const errors = testModule.errors();
    if (errors.length && testModule.children.size === 0) {
      emit({ event: 'end', file, name: '(file)', id: testModule.id, worker: null, pid: process.pid, t: now(), outcome: 'error', durationMs: 0, message: firstLine(errors[0].message) });
    }
  }
}

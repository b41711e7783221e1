// testpace's node:test reporter (copied to the run's temp dir, given with --test-reporter). node runs
// each file in a child process and streams its events here: `test:dequeue` marks a real start,
// `test:complete` a real end with the test's own duration (hooks included).
import events from './event-writer.cjs';

const { now, emit, relativeFile, firstLine, occurrences } = events;

/** The error a file's process printed last (its stderr), for a file that failed outside its tests. */
function lastError(lines) {
  const error = [...lines].reverse().find((line) => /^\w*(Error|Exception)\b.*:/.test(line.trim()));
  return firstLine(error ?? lines.filter((line) => line.trim() && !line.startsWith('Node.js v')).at(-1));
}

// node takes an async generator as a reporter; this one writes events and yields no output of its own.
// eslint-disable-next-line require-yield
export default async function* testpaceNodeTestReporter(source) {
  const stacks = new Map();
  const stderr = new Map();
  const idOf = occurrences();
  for await (const event of source) {
    const { type, data } = event;
    if (type === 'test:stderr' && data.file) {
      // Kept for a file that fails to load: its error reaches node:test only as the child's stderr.
      const lines = stderr.get(data.file) ?? [];
      lines.push(...String(data.message).split('\n'));
      stderr.set(data.file, lines.slice(-40));
      continue;
    }
    if ((type !== 'test:dequeue' && type !== 'test:complete') || !data.file) continue;
    const file = relativeFile(data.file);
    const details = data.details ?? {};
    // The per-file wrapper test that node --test creates is named after the file itself (absolute on
    // Node 20, as given on the command line from Node 22): its completion gives the time of the
    // file's whole process.
    if (data.nesting === 0 && relativeFile(data.name) === file) {
      if (type !== 'test:complete') continue;
      if (typeof details.duration_ms === 'number') {
        emit({ event: 'file', file, worker: null, pid: process.pid, t: now(), durationMs: details.duration_ms });
      }
      // Failed by its own code rather than by a test in it: the file did not load, or threw outside its tests.
      if (details.passed === false && details.error?.failureType === 'testCodeFailure') {
        const record = { event: 'end', file, name: '(file)', id: `${file}::(file)`, worker: null, pid: process.pid, t: now(), outcome: 'error', durationMs: 0 };
        const message = lastError(stderr.get(data.file) ?? []) ?? firstLine(details.error.cause?.message ?? details.error.message);
        if (message) record.message = message;
        emit(record);
      }
      continue;
    }
    let stack = stacks.get(data.file);
    if (!stack) {
      stack = [];
      stacks.set(data.file, stack);
    }
    if (type === 'test:dequeue') {
      stack.length = data.nesting;
      stack.push(data.name);
      const name = stack.join(' > ');
      emit({ event: 'start', file, name, id: idOf('start', file, name), worker: null, pid: process.pid, t: now() });
      continue;
    }
    const name = [...stack.slice(0, data.nesting), data.name].join(' > ');
    const outcome = data.skip !== undefined || data.todo !== undefined ? 'skipped' : details.passed === false ? 'failed' : 'passed';
    const record = { event: 'end', file, name, id: idOf('end', file, name), worker: null, pid: process.pid, t: now(), outcome, durationMs: details.duration_ms ?? 0 };
    if (details.type === 'suite') record.suite = true;
    if (outcome === 'failed' && details.error) record.message = firstLine(details.error.cause?.message ?? details.error.message);
    emit(record);
  }
}

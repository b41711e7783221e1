// node:test: a custom reporter added with --test-reporter next to the user's (or spec, to stdout as
// node's default would). node runs each file in a child process and streams its events to the
// reporter as they happen: `test:dequeue` marks a real start, `test:complete` a real end with the
// test's own duration (hooks included, no phases). Suites are reported too; their end events carry
// `suite: true` and readRunEvents() drops them (they close the suite's start for live followers).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AdapterContext, Instrumented } from './instrument.ts';
import { insertArgs, requireInsertAt } from './instrument.ts';
import { EMITTER_JS } from './reporter-common.ts';

export const NODE_TEST_REPORTER_SOURCE = String.raw`import fs from 'node:fs';
import path from 'node:path';
` + EMITTER_JS + String.raw`
export default async function* testpaceNodeTestReporter(source) {
  var stacks = new Map();
  for await (var event of source) {
    var type = event.type;
    if (type !== 'test:dequeue' && type !== 'test:complete') continue;
    var data = event.data;
    if (!data.file) continue;
    // The per-file wrapper test that node --test creates is named after the file itself (absolute on
    // Node 20, as given on the command line from Node 22): its completion gives the time of the
    // file's whole process.
    if (data.nesting === 0 && path.resolve(data.name) === path.resolve(data.file)) {
      if (type === 'test:complete' && data.details && typeof data.details.duration_ms === 'number') {
        testpaceEmit({ event: 'file', file: testpaceFile(data.file), worker: null, pid: process.pid, t: testpaceNow(), durationMs: data.details.duration_ms });
      }
      continue;
    }
    var stack = stacks.get(data.file);
    if (!stack) { stack = []; stacks.set(data.file, stack); }
    var file = testpaceFile(data.file);
    if (type === 'test:dequeue') {
      stack.length = data.nesting;
      stack.push(data.name);
      var startName = stack.join(' > ');
      testpaceEmit({ event: 'start', file: file, name: startName, id: file + '::' + startName, worker: null, pid: process.pid, t: testpaceNow() });
      continue;
    }
    var name = stack.slice(0, data.nesting).concat([data.name]).join(' > ');
    var details = data.details || {};
    var outcome = data.skip !== undefined || data.todo !== undefined ? 'skipped' : details.passed === false ? 'failed' : 'passed';
    var record = { event: 'end', file: file, name: name, id: file + '::' + name, worker: null, pid: process.pid, t: testpaceNow(),
      outcome: outcome, durationMs: details.duration_ms || 0 };
    if (details.type === 'suite') record.suite = true;
    if (outcome === 'failed' && details.error) record.message = testpaceFirstLine((details.error.cause && details.error.cause.message) || details.error.message);
    testpaceEmit(record);
  }
}
`;

export async function instrumentNodeTest(context: AdapterContext): Promise<Instrumented> {
  const at = requireInsertAt(context, 'node-test');
  const reporter = path.join(context.tmpDir, 'testpace-node-test-reporter.mjs');
  writeFileSync(reporter, NODE_TEST_REPORTER_SOURCE);
  const userReporters = context.command.some((arg) => arg === '--test-reporter' || arg.startsWith('--test-reporter='));
  // Each --test-reporter needs its destination; without the user's own, keep node's default (spec on stdout).
  const ours = [`--test-reporter=${reporter}`, `--test-reporter-destination=${path.join(context.tmpDir, 'node-test-reporter.out')}`];
  const args = userReporters ? ours : ['--test-reporter=spec', '--test-reporter-destination=stdout', ...ours];
  return { command: insertArgs(context.command, at, args), env: context.env };
}

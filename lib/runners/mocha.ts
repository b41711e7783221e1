// mocha takes one reporter: ours wraps the user's (given as --reporter, else spec) so its output is
// unchanged, and listens to the runner's hook events, which give real phases: "before each" hooks
// are setup, the test body is call, "after each" hooks are teardown.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AdapterContext, Instrumented } from './instrument.ts';
import { insertArgs, requireInsertAt } from './instrument.ts';
import { EMITTER_JS } from './reporter-common.ts';

export const MOCHA_REPORTER_SOURCE = String.raw`'use strict';
var fs = require('node:fs');
var path = require('node:path');
var Module = require('node:module');
` + EMITTER_JS + String.raw`
function loadMocha() {
  var from = (require.main && require.main.filename) || process.argv[1] || path.join(process.cwd(), 'index.js');
  try { return Module.createRequire(from)('mocha'); } catch (error) { return Module.createRequire(path.join(process.cwd(), 'index.js'))('mocha'); }
}
function loadInner(Mocha, name) {
  if (Mocha.reporters[name]) return Mocha.reporters[name];
  var local = Module.createRequire(path.join(process.cwd(), 'index.js'));
  try { return local(name); } catch (error) { return local(path.resolve(name)); }
}
function TestpaceMochaReporter(runner, options) {
  var Mocha = loadMocha();
  var reporterOptions = (options && (options.reporterOption || options.reporterOptions)) || {};
  var Inner = loadInner(Mocha, reporterOptions.testpaceInner || 'spec');
  var inner = new Inner(runner, options);
  this.inner = inner;
  this.stats = inner.stats;
  var current = null;
  var hookStart = 0;
  function identity(test) {
    var name = test.titlePath().join(' > ');
    var file = testpaceFile(test.file);
    return { file: file, name: name, id: file + '::' + name, worker: null, pid: process.pid };
  }
  function flush() {
    if (!current || !current.ended) return;
    var phases = { setupMs: current.setup, callMs: current.call, teardownMs: current.teardown };
    var record = Object.assign({ event: 'end' }, identity(current.test), { t: current.endT, outcome: current.outcome,
      durationMs: current.setup + current.call + current.teardown, phases: phases });
    if (current.message) record.message = current.message;
    testpaceEmit(record);
    current = null;
  }
  function begin(test, t) {
    if (current && current.test === test) return;
    flush();
    current = { test: test, start: t, setup: 0, call: 0, teardown: 0, ended: false, endT: t, outcome: 'passed', message: undefined };
    testpaceEmit(Object.assign({ event: 'start' }, identity(test), { t: t }));
  }
  var isEach = function (hook, which) { return hook && typeof hook.title === 'string' && hook.title.indexOf('"' + which + ' each"') === 0; };
  runner.on('hook', function (hook) {
    hookStart = testpaceNow();
    if (isEach(hook, 'before') && hook.ctx && hook.ctx.currentTest) begin(hook.ctx.currentTest, hookStart);
  });
  runner.on('hook end', function (hook) {
    var now = testpaceNow();
    if (!current) return;
    if (isEach(hook, 'before') && !current.ended) current.setup += now - hookStart;
    else if (isEach(hook, 'after') && current.ended) { current.teardown += now - hookStart; current.endT = now; }
  });
  runner.on('test', function (test) { begin(test, testpaceNow()); });
  runner.on('pending', function (test) { begin(test, testpaceNow()); current.outcome = 'skipped'; });
  runner.on('fail', function (runnable, error) {
    var message = testpaceFirstLine(error && error.message);
    if (runnable.type === 'test') { begin(runnable, testpaceNow()); current.outcome = 'failed'; current.message = message; return; }
    // A failing each-hook: the test it was preparing (or cleaning up after) is an error.
    if (current && (isEach(runnable, 'before') || isEach(runnable, 'after'))) {
      current.outcome = 'error';
      current.message = message;
      if (!current.ended) { current.ended = true; current.endT = testpaceNow(); }
    }
  });
  runner.on('test end', function (test) {
    begin(test, testpaceNow());
    current.ended = true;
    current.call = typeof test.duration === 'number' ? test.duration : 0;
    current.endT = testpaceNow();
  });
  runner.on('suite end', flush);
  runner.on('end', flush);
}
TestpaceMochaReporter.prototype.done = function (failures, fn) {
  if (this.inner && typeof this.inner.done === 'function') this.inner.done(failures, fn);
  else fn(failures);
};
module.exports = TestpaceMochaReporter;
`;

export async function instrumentMocha(context: AdapterContext): Promise<Instrumented> {
  const at = requireInsertAt(context, 'mocha');
  const reporter = path.join(context.tmpDir, 'testpace-mocha-reporter.cjs');
  writeFileSync(reporter, MOCHA_REPORTER_SOURCE);
  // Take the user's --reporter/-R out and hand it to ours, which wraps it.
  const command: string[] = [];
  let inner: string | undefined;
  for (let i = 0; i < context.command.length; i++) {
    const arg = context.command[i]!;
    if (i >= at && (arg === '--reporter' || arg === '-R')) {
      inner = context.command[++i];
      continue;
    }
    if (i >= at && arg.startsWith('--reporter=')) {
      inner = arg.slice('--reporter='.length);
      continue;
    }
    command.push(arg);
  }
  const args = [`--reporter=${reporter}`];
  if (inner) args.push('--reporter-option', `testpaceInner=${inner}`);
  return { command: insertArgs(command, at, args), env: context.env };
}

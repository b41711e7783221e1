'use strict';
// testpace's mocha reporter (copied to the run's temp dir, given with --reporter). mocha runs one
// reporter, so this one runs the user's inside it (their --reporter, which the adapter hands over as
// the testpaceInner option, else the one their configuration names, else spec) and listens to the
// runner's hook events, which give real phases: "before each" hooks are setup, the test body is
// call, "after each" hooks are teardown.
const path = require('node:path');
const Module = require('node:module');
const { now, emit, relativeFile, firstLine, occurrences } = require('./event-writer.cjs');

/** Resolves `request` from the running mocha's entry script, else from the project. */
function requireFromMocha(request) {
  const from = require.main?.filename ?? process.argv[1] ?? path.join(process.cwd(), 'index.js');
  try {
    return Module.createRequire(from)(request);
  } catch {
    return Module.createRequire(path.join(process.cwd(), 'index.js'))(request);
  }
}

/**
 * The reporter and its options as the user's configuration gives them (.mocharc, package.json), read
 * by mocha's own option loader from the command line without testpace's reporter.
 */
function configuredReporter() {
  try {
    const { loadOptions } = requireFromMocha('mocha/lib/cli/options');
    const argv = process.argv.slice(2).filter((arg) => !arg.startsWith('--reporter=') || !arg.includes('mocha-reporter.cjs'));
    const options = loadOptions(argv);
    return typeof options.reporter === 'string' && !options.reporter.includes('mocha-reporter.cjs') ? options.reporter : 'spec';
  } catch {
    return 'spec';
  }
}

function loadInner(Mocha, name) {
  if (Mocha.reporters[name]) return Mocha.reporters[name];
  const local = Module.createRequire(path.join(process.cwd(), 'index.js'));
  try {
    return local(name);
  } catch {
    return local(path.resolve(name));
  }
}

const isEach = (hook, which) => typeof hook?.title === 'string' && hook.title.startsWith(`"${which} each"`);

function TestpaceMochaReporter(runner, options) {
  const Mocha = requireFromMocha('mocha');
  const reporterOptions = options?.reporterOption ?? options?.reporterOptions ?? {};
  const Inner = loadInner(Mocha, reporterOptions.testpaceInner ?? configuredReporter());
  const inner = new Inner(runner, options);
  this.inner = inner;
  this.stats = inner.stats;
  const idOf = occurrences();
  // One id per test: a retried test is a clone of the first attempt, which names it.
  const ids = new WeakMap();
  let current = null;
  let hookStart = 0;
  const identity = (test) => {
    const original = test.retriedTest?.() ?? test;
    const name = test.titlePath().join(' > ');
    const file = relativeFile(test.file);
    let id = ids.get(original);
    if (id === undefined) {
      id = idOf('start', file, name);
      ids.set(original, id);
    }
    return { file, name, id, worker: null, pid: process.pid };
  };
  const flush = () => {
    if (!current?.ended) return;
    const phases = { setupMs: current.setup, callMs: current.call, teardownMs: current.teardown };
    const record = { event: 'end', ...identity(current.test), t: current.endT, outcome: current.outcome, durationMs: current.setup + current.call + current.teardown, phases };
    if (current.message) record.message = current.message;
    emit(record);
    current = null;
  };
  const begin = (test, t) => {
    if (current?.test === test) return;
    flush();
    current = { test, start: t, setup: 0, call: 0, teardown: 0, ended: false, endT: t, outcome: 'passed', message: undefined };
    emit({ event: 'start', ...identity(test), t });
  };
  runner.on('hook', (hook) => {
    hookStart = now();
    if (isEach(hook, 'before') && hook.ctx?.currentTest) begin(hook.ctx.currentTest, hookStart);
  });
  runner.on('hook end', (hook) => {
    const t = now();
    if (!current) return;
    if (isEach(hook, 'before') && !current.ended) current.setup += t - hookStart;
    else if (isEach(hook, 'after') && current.ended) {
      current.teardown += t - hookStart;
      current.endT = t;
    }
  });
  runner.on('test', (test) => begin(test, now()));
  runner.on('pending', (test) => {
    begin(test, now());
    current.outcome = 'skipped';
  });
  runner.on('fail', (runnable, error) => {
    const message = firstLine(error?.message);
    if (runnable.type === 'test') {
      begin(runnable, now());
      current.outcome = 'failed';
      current.message = message;
      return;
    }
    // A failing each-hook: the test it was preparing (or cleaning up after) is an error.
    if (current && (isEach(runnable, 'before') || isEach(runnable, 'after'))) {
      current.outcome = 'error';
      current.message = message;
      if (!current.ended) {
        current.ended = true;
        current.endT = now();
      }
    }
  });
  runner.on('test end', (test) => {
    begin(test, now());
    current.ended = true;
    current.call = typeof test.duration === 'number' ? test.duration : 0;
    current.endT = now();
  });
  runner.on('suite end', flush);
  runner.on('end', flush);
}

TestpaceMochaReporter.prototype.done = function done(failures, fn) {
  if (typeof this.inner?.done === 'function') this.inner.done(failures, fn);
  else fn(failures);
};

module.exports = TestpaceMochaReporter;

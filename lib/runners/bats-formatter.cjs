'use strict';
// testpace's bats report formatter (copied to the run's temp dir with a `#!node` line, given with
// --report-formatter). bats tees its internal extended TAP stream to it as the tests run: `suite
// <file>` names each file by its path, `begin` starts a test, `ok`/`not ok` ends it, `# ` lines after
// a `not ok` say why. Events are stamped as the lines arrive. Once the stream ends it writes the file
// named by its first argument, so the adapter knows every event is in (bats does not wait for it).
const fs = require('node:fs');
const readline = require('node:readline');
const { now, emit, relativeFile, occurrences } = require('./event-writer.cjs');

const done = process.env.TESTPACE_BATS_DONE;
const idOf = occurrences();
let file = '(unknown)';
let open;
let failed;

// The message of a failure: its first comment that is not where it happened.
const isLocation = (text) => /^\((in test file|from function|in file)\b/.test(text.trim());

function finish(line, outcome, name) {
  const t = now();
  const start = open && open.name === name ? open : { file, name, id: idOf('start', file, name), t };
  const record = { event: 'end', file: start.file, name, id: start.id, worker: null, pid: process.pid, t, outcome, durationMs: Math.max(0, t - start.t) };
  open = undefined;
  if (outcome === 'failed') failed = record;
  else emit(record);
}

function flushFailure() {
  if (failed) emit(failed);
  failed = undefined;
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  let match;
  if (line.startsWith('suite ')) {
    flushFailure();
    file = relativeFile(line.slice(6));
  } else if ((match = /^begin (\d+) (.*)$/.exec(line))) {
    flushFailure();
    const name = match[2];
    open = { file, name, id: idOf('start', file, name), t: now() };
    emit({ event: 'start', file, name, id: open.id, worker: null, pid: process.pid, t: open.t });
  } else if ((match = /^ok \d+ (.*?) # skip(?: .*)?$/.exec(line))) {
    flushFailure();
    finish(line, 'skipped', match[1]);
  } else if ((match = /^ok \d+ (.*)$/.exec(line))) {
    flushFailure();
    finish(line, 'passed', match[1]);
  } else if ((match = /^not ok \d+ (.*?)(?: # timeout after \d+s)?$/.exec(line))) {
    flushFailure();
    finish(line, 'failed', match[1]);
  } else if (failed && line.startsWith('#') && !failed.message) {
    const text = line.replace(/^# ?/, '').trim();
    if (text && !isLocation(text)) failed.message = text.slice(0, 500);
  }
});
lines.on('close', () => {
  flushFailure();
  if (done) fs.writeFileSync(done, '');
});

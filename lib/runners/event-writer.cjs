'use strict';
// Shared by the Node reporters (copied next to them for each run): appends one JSON line per event
// to $TESTPACE_EVENTS with one writeSync, so lines of several processes never interleave.
const fs = require('node:fs');
const path = require('node:path');
// perf_hooks' own object, bound now: fake timers (sinon, jest, vitest) replace globalThis.performance,
// Date and process.hrtime, even before this module loads (a --require hook), but not this export.
const { performance } = require('node:perf_hooks');

const realNow = performance.now.bind(performance);
const timeOrigin = performance.timeOrigin;
const eventsFile = process.env.TESTPACE_EVENTS;
// Set by mem-profile: events written from the process that runs the test carry its resident memory.
const withRss = process.env.TESTPACE_EVENT_RSS === '1';
const rss = process.memoryUsage.rss;
let fd;

/** Epoch milliseconds with sub-millisecond precision, on a clock the code under test cannot fake. */
function now() {
  return timeOrigin + realNow();
}

function emit(record) {
  if (!eventsFile) return;
  if (withRss && record.pid === process.pid && (record.event === 'start' || record.event === 'end')) record.rssBytes = rss();
  if (fd === undefined) fd = fs.openSync(eventsFile, 'a');
  fs.writeSync(fd, JSON.stringify(record) + '\n');
}

/** A test file as events name it: POSIX, relative to the runner's directory. */
function relativeFile(file) {
  if (!file) return '(unknown)';
  if (file.startsWith('file://')) file = new URL(file).pathname;
  return path.relative(process.cwd(), file).split(path.sep).join('/');
}

/** The first non-empty line of a message, at most 500 characters. */
function firstLine(text) {
  if (text === undefined || text === null) return undefined;
  const line = String(text)
    .split('\n')
    .map((part) => part.trim())
    .find(Boolean);
  return line ? line.slice(0, 500) : undefined;
}

/**
 * Ids that tell apart tests of the same name in one file: the first keeps `file::name`, the n-th
 * occurrence (in the order the runner reports them) becomes `file::name#n`. `start` and `end` count
 * apart, so a start and its end get the same id.
 */
function occurrences() {
  const seen = { start: new Map(), end: new Map() };
  return (kind, file, name) => {
    const key = file + '\u0000' + name;
    const count = (seen[kind].get(key) || 0) + 1;
    seen[kind].set(key, count);
    return count === 1 ? file + '::' + name : file + '::' + name + '#' + count;
  };
}

module.exports = { now, emit, relativeFile, firstLine, occurrences };

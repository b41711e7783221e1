// JavaScript shared by the Node reporters (shipped as text): appending events, one writeSync per line.
// Written without template literals so it can live inside a TypeScript template string.

/** Set to 1 (by mem-profile): events written from the process that runs the test carry its resident memory. */
export const EVENT_RSS_ENV = 'TESTPACE_EVENT_RSS';

/** Body shared by every reporter; expects `fs` and `path` in scope. */
export const EMITTER_JS = String.raw`
var TESTPACE_EVENTS = process.env.TESTPACE_EVENTS;
// Set by mem-profile: events written from the process that runs the test carry its resident memory.
var TESTPACE_EVENT_RSS = process.env.${EVENT_RSS_ENV} === '1';
var testpaceFd;
// Epoch milliseconds with sub-millisecond precision.
function testpaceNow() { return performance.timeOrigin + performance.now(); }
function testpaceEmit(record) {
  if (!TESTPACE_EVENTS) return;
  if (TESTPACE_EVENT_RSS && record.pid === process.pid && (record.event === 'start' || record.event === 'end')) record.rssBytes = process.memoryUsage.rss();
  if (testpaceFd === undefined) testpaceFd = fs.openSync(TESTPACE_EVENTS, 'a');
  fs.writeSync(testpaceFd, JSON.stringify(record) + '\n');
}
function testpaceFile(file) {
  if (!file) return '(unknown)';
  if (file.indexOf('file://') === 0) file = new URL(file).pathname;
  return path.relative(process.cwd(), file).split(path.sep).join('/');
}
function testpaceFirstLine(text) {
  if (text === undefined || text === null) return undefined;
  var lines = String(text).split('\n').map(function (line) { return line.trim(); }).filter(Boolean);
  return lines.length ? lines[0].slice(0, 500) : undefined;
}
`;

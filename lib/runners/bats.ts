// bats: testpace's report formatter (bats-formatter.cjs) given with --report-formatter (a path there
// needs bats >= 1.9). bats tees its test stream to it while its own formatter writes the usual output,
// unchanged; the stream names each file by its path and each test's begin and end as they happen.
// Older bats takes only its own report formatters: there its JUnit report is read after the run, and
// bats then adds "# in N ms" to its TAP lines (the junit formatter turns on its timing). A user's own
// --report-formatter takes bats' one place for a report formatter: that report is read after the run.
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { type Adapter, type AdapterContext, insertArgs, optionValue, requireInsertAt, writeReporter } from './adapter.ts';
import type { TestEndEvent, TestStartEvent } from './events.ts';
import type { JunitCase } from './junit.ts';
import formatter from './bats-formatter.cjs?raw';

/** How long to wait, after bats has exited, for the formatter (which bats does not wait for) to finish. */
const FORMATTER_WAIT_MS = 10_000;

async function waitFor(ready: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ready()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
}

export const instrumentBats: Adapter = async (context) => {
  const at = requireInsertAt(context, 'bats');
  const args = context.command.slice(at);
  const userFormatter = optionValue(args, ['--report-formatter', '-F']);
  if (userFormatter) return readUserReport(context, userFormatter, args, []);
  if (!acceptsFormatterPath(context, at)) {
    const reportDir = path.join(context.tmpDir, 'bats-report');
    mkdirSync(reportDir, { recursive: true });
    const command = insertArgs(context.command, at, ['--report-formatter', 'junit', '--output', reportDir]);
    const warning = 'this bats (before 1.9) takes no report formatter of testpace\'s: its JUnit report was read after the run, and bats added "# in N ms" to its TAP lines';
    return readUserReport({ ...context, command, cwd: context.cwd }, 'junit', [...command.slice(at)], [warning]);
  }
  const script = writeReporter(context, 'bats-formatter.cjs', `#!${process.execPath}\n${formatter}`);
  chmodSync(script, 0o755);
  const reportDir = path.join(context.tmpDir, 'bats-report');
  mkdirSync(reportDir, { recursive: true });
  const done = path.join(context.tmpDir, 'bats-formatter.done');
  // bats passes no arguments to a report formatter: the done file's name comes through the environment.
  const command = insertArgs(context.command, at, ['--report-formatter', script, '--output', reportDir]);
  const env = { ...context.env, TESTPACE_BATS_DONE: done };
  const afterExit = async () =>
    (await waitFor(async () => existsSync(done), FORMATTER_WAIT_MS)) ? [] : [`bats' test stream did not end within ${FORMATTER_WAIT_MS / 1000} s of its exit; tests after that are not in this document`];
  return { command, env, afterExit };
};

/**
 * The user's junit report formatter: read after the run. bats names each file in it relative to
 * its first argument (its --base-path), and gives no start times: events are laid out back to back
 * from each file's timestamp.
 */
function readUserReport(context: AdapterContext, reportFormatter: string, args: readonly string[], notes: string[]): ReturnType<Adapter> {
  if (reportFormatter !== 'junit') {
    const warning = `bats runs the user's --report-formatter ${reportFormatter} in place of testpace's, and it is not junit: its tests are not in this document`;
    return Promise.resolve({ command: [...context.command], env: context.env, afterExit: async () => [warning] });
  }
  const warnings = notes.length ? notes : ["bats runs the user's --report-formatter junit in place of testpace's: tests are read from its report after the run, without start times"];
  const outputDir = path.resolve(context.cwd, optionValue(args, ['--output', '-o']) ?? '.');
  // Ours were inserted before the user's arguments: the base path is the first of theirs.
  // bats' --base-path for the report: its first path argument.
  const valued = ['--output', '-o', '--report-formatter', '-F', '--formatter', '-f', '--jobs', '-j', '--filter', '--filter-tags', '--setup-suite-file', '--code-quote-style'];
  const basePath = args.find((arg, i) => !arg.startsWith('-') && !valued.includes(args[i - 1] ?? ''));
  const afterExit = async () => {
    const report = path.join(outputDir, 'report.xml');
    const complete = await waitFor(async () => (await readFile(report, 'utf8').catch(() => '')).trimEnd().endsWith('</testsuites>'), FORMATTER_WAIT_MS);
    if (!complete) return [...warnings, `bats wrote no complete JUnit report within ${FORMATTER_WAIT_MS / 1000} s of exiting; its tests are not in this document`];
    // Loaded here, after the run (see junit.ts).
    const { readJunit } = await import('./junit.ts');
    const cases: JunitCase[] = [];
    const read = await readJunit(report, (testCase) => cases.push(testCase));
    const base = basePath ? path.resolve(context.cwd, basePath) : context.cwd;
    const root = base.endsWith('.bats') ? path.dirname(base) : base;
    const lines: string[] = [];
    let clock = 0;
    let suite: string | undefined;
    for (const testCase of cases) {
      if (testCase.suite !== suite) {
        suite = testCase.suite;
        clock = Math.max(clock, testCase.suiteTimestampMs ?? clock);
      }
      const file = path.relative(context.cwd, path.resolve(root, testCase.classname ?? testCase.file)).split(path.sep).join('/');
      const identity = { file, name: testCase.name, id: `${file}::${testCase.name}`, worker: null, pid: 0 };
      const start: TestStartEvent = { event: 'start', ...identity, t: clock };
      // Runner events need a duration: an unreadable one counts as none here, and read.warnings says so.
      clock += testCase.durationMs ?? 0;
      const end: TestEndEvent = { event: 'end', ...identity, t: clock, outcome: testCase.outcome, durationMs: testCase.durationMs ?? 0 };
      if (testCase.message) end.message = testCase.message;
      lines.push(JSON.stringify(start), JSON.stringify(end));
    }
    if (lines.length) await appendFile(context.eventsFile, lines.join('\n') + '\n');
    return [...warnings, ...read.warnings];
  };
  return Promise.resolve({ command: [...context.command], env: context.env, afterExit });
}

/** The bats script the command runs (libexec/bats-core/bats), following npm and pnpm shims; undefined when not found. */
function batsScript(context: AdapterContext, at: number): string | undefined {
  const token = context.command[at - 1]!;
  const dirs = [...(at > 1 ? [path.join(context.cwd, 'node_modules', '.bin')] : []), ...(context.env.PATH ?? '').split(path.delimiter)];
  const candidates = token.includes('/') ? [path.resolve(context.cwd, token)] : dirs.map((dir) => path.join(dir, token));
  const found = candidates.find((file) => existsSync(file));
  if (!found) return undefined;
  let bin = realpathSync(found);
  // An npm or pnpm shim runs the package's bin/bats through "$basedir/...".
  const shim = /"\$basedir\/([^"]*\/bin\/bats)"/.exec(readFileSync(bin, 'utf8').slice(0, 4096));
  if (shim) bin = realpathSync(path.join(path.dirname(found), shim[1]!));
  const script = path.join(path.dirname(bin), '..', 'libexec', 'bats-core', 'bats');
  return existsSync(script) ? script : undefined;
}

/** Whether the command's bats takes a path as --report-formatter (bats >= 1.9). */
function acceptsFormatterPath(context: AdapterContext, at: number): boolean {
  try {
    const script = batsScript(context, at);
    if (!script) return false;
    const text = readFileSync(script, 'utf8');
    const option = text.indexOf('--report-formatter)');
    return option !== -1 && text.slice(option, text.indexOf(';;', option)).includes('/.*');
  } catch {
    return false;
  }
}

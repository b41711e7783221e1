// bats: its JUnit report, written next to its normal output with --report-formatter junit (bats >= 1.5),
// read once bats has exited. The report has no start times and only file basenames, so events are
// laid out back to back from each file's timestamp and files are found again from the command's paths.
import { mkdirSync } from 'node:fs';
import { appendFile, readFile, readdir, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import type { TestEndEvent, TestStartEvent } from './events.ts';
import type { AdapterContext, Instrumented } from './instrument.ts';
import { insertArgs, requireInsertAt } from './instrument.ts';
import type { JunitCase } from './junit.ts';

async function batsFiles(cwd: string, args: readonly string[]): Promise<Map<string, string>> {
  const byBase = new Map<string, string>();
  const visit = async (target: string, depth: number) => {
    const info = await stat(target).catch(() => undefined);
    if (!info) return;
    if (info.isFile() && target.endsWith('.bats')) {
      const relative = path.relative(cwd, target).split(path.sep).join('/');
      if (!byBase.has(path.basename(target))) byBase.set(path.basename(target), relative);
    } else if (info.isDirectory() && depth < 8) {
      for (const entry of await readdir(target)) if (entry !== 'node_modules' && !entry.startsWith('.')) await visit(path.join(target, entry), depth + 1);
    }
  };
  for (const arg of args) if (!arg.startsWith('-')) await visit(path.resolve(cwd, arg), 0);
  return byBase;
}

// bats writes its report through `tee >(formatter > report.xml)` and does not wait for the
// formatter: when bats exits the report may not be complete yet, above all on a busy machine.
async function completeReport(file: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.trimEnd().endsWith('</testsuites>')) return true;
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
}

/** How long to wait for the JUnit report after bats has exited. */
const REPORT_WAIT_MS = 10_000;

export async function instrumentBats(context: AdapterContext): Promise<Instrumented> {
  const at = requireInsertAt(context, 'bats');
  const reportDir = path.join(context.tmpDir, 'bats-report');
  mkdirSync(reportDir, { recursive: true });
  const command = insertArgs(context.command, at, ['--report-formatter', 'junit', '--output', reportDir]);
  const afterExit = async () => {
    const files = await batsFiles(context.cwd, context.command.slice(at));
    const report = path.join(reportDir, 'report.xml');
    const cases: JunitCase[] = [];
    if (!(await completeReport(report, REPORT_WAIT_MS))) {
      // Interrupted, or bats failed before writing its report: no tests to tell of, and say so.
      return [`bats wrote no complete JUnit report within ${REPORT_WAIT_MS / 1000} s of exiting; its tests are not in this document`];
    }
    // Loaded here, after the run (see junit.ts).
    const { readJunit } = await import('./junit.ts');
    await readJunit(report, (testCase) => cases.push(testCase));
    const lines: string[] = [];
    let clock = 0;
    let suite: string | undefined;
    for (const testCase of cases) {
      if (testCase.suite !== suite) {
        suite = testCase.suite;
        clock = Math.max(clock, testCase.suiteTimestampMs ?? clock);
      }
      const base = testCase.classname ?? testCase.file;
      const file = files.get(base) ?? base;
      const identity = { file, name: testCase.name, id: `${file}::${testCase.name}`, worker: null, pid: 0 };
      const start: TestStartEvent = { event: 'start', ...identity, t: clock };
      clock += testCase.durationMs;
      const end: TestEndEvent = { event: 'end', ...identity, t: clock, outcome: testCase.outcome, durationMs: testCase.durationMs };
      if (testCase.message) end.message = testCase.message;
      lines.push(JSON.stringify(start), JSON.stringify(end));
    }
    if (lines.length) await appendFile(context.eventsFile, lines.join('\n') + '\n');
    return [];
  };
  return { command, env: context.env, afterExit };
}

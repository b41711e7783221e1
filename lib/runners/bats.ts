// bats: its JUnit report, written next to its normal output with --report-formatter junit (bats >= 1.5),
// read once bats has exited. The report has no start times and only file basenames, so events are
// laid out back to back from each file's timestamp and files are found again from the command's paths.
import { appendFile, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TestEndEvent, TestStartEvent } from './events.ts';
import type { AdapterContext, Instrumented } from './instrument.ts';
import { insertArgs, requireInsertAt } from './instrument.ts';
import { type JunitCase, readJunit } from './junit.ts';

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

export async function instrumentBats(context: AdapterContext): Promise<Instrumented> {
  const at = requireInsertAt(context, 'bats');
  const reportDir = path.join(context.tmpDir, 'bats-report');
  await mkdir(reportDir, { recursive: true });
  const command = insertArgs(context.command, at, ['--report-formatter', 'junit', '--output', reportDir]);
  const afterExit = async () => {
    const files = await batsFiles(context.cwd, context.command.slice(at));
    const cases: JunitCase[] = [];
    try {
      await readJunit(path.join(reportDir, 'report.xml'), (testCase) => cases.push(testCase));
    } catch {
      return; // bats did not get as far as writing its report (interrupted, or failed to start)
    }
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
  };
  return { command, env: context.env, afterExit };
}

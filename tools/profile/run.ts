// testpace-profile: runs the test command (warm-up + measured runs), collects every test's events
// through the runner's adapter (or its JUnit XML), and writes the profile document.
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stderrPalette } from '../../lib/colour.ts';
import { documentHeader } from '../../lib/document-header.ts';
import { pythonVersion } from '../../lib/environment.ts';
import { listenForSignals } from '../../lib/command.ts';
import { ExitCode, InputError, UsageError, formatError } from '../../lib/errors.ts';
import { programExists, suggestProgram } from '../../lib/find-command.ts';
import type { Io } from '../../lib/io.ts';
import { checkWritable, documentTarget, documentWritten, formatDocument, writeDocument } from '../../lib/output.ts';
import type { FileTiming, ProfileStatus, TestResult } from '../../lib/profile-document.ts';
import { type RunnerName, detectRunner } from '../../lib/runners/detect.ts';
import { inFlight, readRunEvents } from '../../lib/runners/events.ts';
import { OutputTail } from '../../lib/runners/output-tail.ts';
import { reportedPython } from '../../lib/runners/pytest-plugin.ts';
import { assembleRun, filesFromEvents, inferLanes, testsFromEvents } from './assemble.ts';
import type { ProfileOptions } from './options.ts';
import { type CpuProfiling, prepareCpuProfile } from './cpu-profile.ts';
import { shellExitCode } from './execute.ts';
import type { ProfileDocument, ProfileRunner, RunRecord } from './built-document.ts';
import { runProgress } from './run-progress.ts';
import { measuredRuns, summariseRuns, summariseTests } from './statistics.ts';
import { type RunSetup, environmentOnce, makeTmpRoot, startRun } from './start.ts';
import { formatSummary } from './summary-text.ts';

function resolveRunner(options: ProfileOptions, io: Io): ProfileRunner {
  if (options.junit) return 'junit';
  const detected = detectRunner(options.command);
  if (options.runner) {
    if (detected && detected !== options.runner) {
      throw new UsageError(
        `--runner ${options.runner}: the command "${options.command.join(' ')}" does not look like ${options.runner} (it runs ${detected})`,
        `drop --runner to profile it as ${detected}, or give the command that runs ${options.runner}`,
      );
    }
    return options.runner as RunnerName;
  }
  if (detected) return detected;
  const program = options.command[0]!;
  if (!programExists(program, io.cwd, io.env)) {
    const guess = suggestProgram(program, io.cwd);
    throw new UsageError(`${program}: command not found`, guess ? `did you mean ${guess}?` : 'is it installed, and on PATH?');
  }
  throw new UsageError(
    `cannot tell which test runner "${options.command.join(' ')}" runs`,
    'name it with --runner (pytest, vitest, jest, node-test, mocha, bats), or read its JUnit XML with --junit FILE',
  );
}

/** Lines of the command's output a run that ended before any test quotes. */
const TAIL_LINES = 12;

function endedBeforeAnyTest(index: number, exitCode: number, tail: string[]): string {
  const what = `run ${index}: no test results were recorded (exit code ${exitCode})`;
  if (tail.length === 0) return `${what}; the command's output says why`;
  return `${what}; the last lines of the command's output:\n${tail.map((line) => `    ${line}`).join('\n')}`;
}

function statusOf(runs: readonly RunRecord[], unreadable: boolean): ProfileStatus {
  if (runs.some((r) => r.interrupted)) return 'interrupted';
  if (unreadable) return 'error';
  return measuredRuns(runs).every((r) => r.exitCode === 0) ? 'passed' : 'failed';
}

export async function run(options: ProfileOptions, io: Io): Promise<number> {
  const runner = resolveRunner(options, io);
  const cwd = io.cwd;
  const target = documentTarget(io, options.out, 'profile');
  const documentOnStdout = target.out === undefined;
  // Before any test runs: a document that cannot be written would waste the whole run.
  if (target.out) await checkWritable(path.resolve(cwd, target.out), target.out);
  const cores = os.availableParallelism();
  // The environment (git state) is collected while the first run goes on, so that its git process
  // counts neither in the run's CPU (see execute) nor after the run. Python's version comes from the
  // pytest plugin.
  const colour = stderrPalette(io);
  const runtimes: Record<string, string> = {};
  const startEnvironment = environmentOnce(io);

  const total = options.warmup + options.runs;
  const runs: RunRecord[] = [];
  const warnings: string[] = [];
  let unreadable: InputError | undefined;
  let cpuProfiling: CpuProfiling | undefined;
  const tmpRoot = makeTmpRoot();
  const signals = listenForSignals();
  const progress = runProgress(io, colour, { total, quiet: options.quiet });
  let interruptedBy: string | undefined;
  try {
    if (options.cpuProfile) {
      cpuProfiling = await prepareCpuProfile(runner, path.join(tmpRoot, 'cpu-profile'), io.env);
      if (cpuProfiling) warnings.push(`--cpu-profile: every run ran under ${cpuProfiling.profiler}; its timings include the profiler's overhead`);
      else warnings.push(`--cpu-profile: not available for ${runner}`);
    }
    const outputTail = new OutputTail();
    const setup: RunSetup = {
      runner,
      command: options.command,
      io,
      quiet: options.quiet,
      documentOnStdout,
      timeoutMs: options.timeoutMs,
      killAfterMs: options.killAfterMs,
      signals,
      tmpRoot,
      extraEnv: cpuProfiling?.env,
      outputTail,
    };
    for (let index = 0; index < total && !signals.received; index++) {
      const warmup = index < options.warmup;
      progress.start(index, warmup);
      outputTail.clear();
      const started = await startRun(setup, index, index === 0 ? startEnvironment : undefined);
      const { eventsFile, runtimeFile } = started;
      const execution = await started.execution;
      progress.end();
      warnings.push(...((await started.afterExit?.()) ?? []));
      if (runner === 'pytest' && !runtimes.python) {
        const reported = reportedPython(runtimeFile);
        if (reported) runtimes.python = reported;
      }
      let tests: TestResult[] = [];
      let files: FileTiming[] = [];
      let sessionStartMs: number | undefined;
      if (runner === 'junit') {
        try {
          // Loaded only here, after the run (see lib/runners/junit.ts).
          const { junitTests } = await import('./junit-results.ts');
          const read = await junitTests(path.resolve(cwd, options.junit!), options.junit!, execution.startEpochMs);
          tests = read.tests;
          for (const warning of read.warnings) if (!warnings.includes(warning)) warnings.push(warning);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          if (!execution.interruptedBy) unreadable ??= error;
          warnings.push(error.message);
        }
      } else {
        const { events, files: fileEvents, sessions } = readRunEvents(eventsFile);
        tests = testsFromEvents(events, execution.startEpochMs);
        inferLanes(tests);
        files = filesFromEvents(fileEvents, execution.startEpochMs);
        const session = sessions[0];
        if (session) sessionStartMs = Math.round((session.t - execution.startEpochMs) * 1000) / 1000;
        if (execution.interruptedBy) {
          const open = inFlight(events);
          if (open.length) warnings.push(`run ${index}: in flight when stopped: ${open.slice(0, 5).map((e) => `${e.file} › ${e.name}`).join('; ')}${open.length > 5 ? ` and ${open.length - 5} more` : ''}`);
        }
      }
      if (tests.length === 0 && !execution.interruptedBy && !unreadable) {
        warnings.push(endedBeforeAnyTest(index, shellExitCode(execution), outputTail.lines(TAIL_LINES)));
      }
      if (execution.leftovers > 0) warnings.push(`run ${index}: the command left ${execution.leftovers} process(es) running when it ended; testpace ended them (SIGTERM, then SIGKILL after --kill-after)`);
      runs.push(assembleRun({ index, warmup, execution, tests, files, sessionStartMs, cores }));
      if (execution.interruptedBy) {
        interruptedBy = execution.interruptedBy;
        warnings.push(`run ${index} was stopped by ${interruptedBy === 'timeout' ? `--timeout after ${options.timeoutMs} ms` : interruptedBy}; its data is partial`);
      }
    }
  } catch (error) {
    rmSync(tmpRoot, { recursive: true, force: true });
    throw error;
  } finally {
    progress.done();
    signals.dispose();
  }
  if (signals.received && !interruptedBy) interruptedBy = signals.received;
  if (runs.length === 0) {
    rmSync(tmpRoot, { recursive: true, force: true });
    io.stderr.write(`testpace-profile: interrupted by ${interruptedBy} before the first run started\n`);
    return 128 + (os.constants.signals[interruptedBy as NodeJS.Signals] ?? 0);
  }

  try {
    if (runner === 'pytest' && !runtimes.python) {
      const python = await pythonVersion(cwd);
      if (python) runtimes.python = python;
    }
    const [environment, documentCwd] = await startEnvironment();
    Object.assign(environment.runtimes, runtimes);
    const measured = measuredRuns(runs);
    const tests = summariseTests(measured);
    const document: ProfileDocument = {
      ...documentHeader('profile', 'profile'),
      environment,
      command: options.command,
      cwd: documentCwd,
      runner,
      status: statusOf(runs, unreadable !== undefined),
      runs,
      tests,
      summary: summariseRuns(runs, measured, tests),
    };
    if (interruptedBy && runs.every((r) => !r.interrupted)) {
      // The signal came between runs: the data is complete for the runs made, but not all were made.
      document.status = 'interrupted';
      warnings.push(`stopped by ${interruptedBy} after ${runs.length} of ${total} runs`);
    }
    if (cpuProfiling) {
      try {
        const section = await cpuProfiling.summarise(cwd);
        if (section) document.cpuProfile = section;
        else warnings.push('--cpu-profile: the profiler wrote no data');
      } catch (error) {
        warnings.push(`--cpu-profile: ${(error as Error).message}`);
      }
    }
    if (warnings.length) document.warnings = warnings;
    await writeDocument(io, target, formatDocument(document));
    io.stderr.write(formatSummary(document, colour, { cores }));
    io.stderr.write(
      colour.dim(
        documentWritten('profile', target, [
          [`testpace-report ${target.out}`, 'the slowest tests and files, setup vs call'],
          [`testpace-optimize --profile ${target.out}`, 'what to fix and what it saves'],
        ]),
      ),
    );

    if (interruptedBy === 'timeout') return ExitCode.fail;
    if (interruptedBy) return 128 + (os.constants.signals[interruptedBy as NodeJS.Signals] ?? 0);
    if (unreadable) {
      io.stderr.write(formatError('profile', unreadable, options.debug));
      return ExitCode.usage;
    }
    const failing = measured.find((r) => r.exitCode !== 0);
    if (!failing || options.allowFailures) return ExitCode.ok;
    return shellExitCode(failing);
  } finally {
    rmSync(tmpRoot, { recursive: true, force: true });
  }
}

// testpace-mem-profile: run the command, sample its process tree, attribute memory to tests, write
// the memory document and the summary. Exits with the command's own code (1 when --max-rss tripped).
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { constants } from 'node:os';
import { stderrPalette } from '../../lib/colour.ts';
import { displayCwd } from '../../lib/display-cwd.ts';
import { documentHeader } from '../../lib/document-header.ts';
import { collectEnvironment, pythonVersion } from '../../lib/environment.ts';
import { type CommandEnd, type RunningCommand, commandStdio, listenForSignals, startCommand } from '../../lib/command.ts';
import { ExitCode, UsageError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import { checkWritable, documentTarget, documentWritten, formatDocument, writeDocument } from '../../lib/output.ts';
import { type RunnerName, detectRunner, instrument } from '../../lib/runners/index.ts';
import { RUNTIME_FILE_ENV, reportedPython } from '../../lib/runners/pytest-plugin.ts';
import { EVENT_RSS_ENV } from '../../lib/runners/events.ts';
import { printable } from '../../lib/printable.ts';
import type { MemProfileOptions } from './options.ts';
import { type Status, buildDocument } from './document.ts';
import { followEventsSync } from './events-follower.ts';
import { exitReportEnv, readExitReport } from './exit-report.ts';
import { formatBytes } from '../../lib/format.ts';
import { type LimitHit, type Monitor, startMonitor } from './monitor.ts';
import { createProcfsSampler, procfsAvailable } from './procfs-sampler.ts';
import { createPsSampler } from './ps-sampler.ts';
import { Recorder } from './recorder.ts';
import type { Sampler } from './sampler.ts';
import { renderSummary } from './summary.ts';
import { TestTracker } from './test-tracker.ts';
import { TRACEMALLOC_MODULE, TRACEMALLOC_PLUGIN_SOURCE, readTracemallocPeaks, tracemallocEnv } from './tracemalloc-plugin.ts';

/** How long after the launch the environment is collected (or at the end of a shorter run). */
const ENVIRONMENT_AFTER_MS = 100;

/** Which sampler to use; decided before the command starts, so that a refusal leaves nothing running. */
function samplerKind(options: MemProfileOptions): 'procfs' | 'ps' {
  const kind = options.sampler === 'auto' ? (procfsAvailable() ? 'procfs' : 'ps') : options.sampler;
  if (kind === 'procfs' && !procfsAvailable()) throw new UsageError('--sampler procfs: /proc is not available here', 'use --sampler ps');
  return kind;
}

/** vitest, jest, node:test and mocha: Node processes that report their ru_maxrss as they exit. */
const isNodeRunner = (runner: RunnerName | undefined): boolean => runner !== undefined && runner !== 'pytest' && runner !== 'bats';

function createSampler(kind: 'procfs' | 'ps', options: MemProfileOptions, root: number): Sampler {
  return kind === 'procfs' ? createProcfsSampler({ root, includeRoot: true, youngMs: options.intervalMs }) : createPsSampler({ root, includeRoot: true });
}

/** A run in progress: its command launched and its tree being sampled; finished by finishSession. */
export interface Session {
  /** The options it was started with. */
  options: MemProfileOptions;
  io: Io;
  tmpDir: string;
  runner: RunnerName | undefined;
  warnings: string[];
  running: RunningCommand;
  /** Milliseconds since the command was launched. */
  now: () => number;
  /** The run's environment (its git state and the rest): collected once the command is under way. */
  environment: () => ReturnType<typeof collectEnvironment>;
  sampler: Sampler;
  recorder: Recorder;
  tracker: TestTracker | undefined;
  follower: ReturnType<typeof followEventsSync> | undefined;
  monitor: Monitor;
  afterExit: (() => Promise<string[]>) | undefined;
  files: { runtime: string; exitReport: string; tracemalloc: string };
  /** What happened while it ran: the limit tripped. */
  state: { limitHit?: LimitHit };
  /** Stops forwarding signals to the command, and the environment's collection if not begun. */
  release(): void;
}

/**
 * Prepares the run (temp directory, the runner's adapters, the environment of the command), launches
 * the command and starts sampling it. Whatever it made is removed when it fails.
 */
export async function startSession(options: MemProfileOptions, io: Io): Promise<Session> {
  const warnings: string[] = [];
  const runner: RunnerName | undefined = options.tests ? detectRunner(options.command) : undefined;
  const kind = samplerKind(options);
  // Before the command runs: a document that cannot be written would waste the whole run.
  const target = documentTarget(io, options.out, 'mem-profile');
  if (target.out) await checkWritable(path.resolve(io.cwd, target.out), target.out);
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'testpace-mem-'));
  try {
    let command = options.command;
    // The pytest plugin writes the version of the Python that runs the tests here (no python3 of our own to ask).
    const files = { runtime: path.join(tmpDir, 'runtime.json'), exitReport: path.join(tmpDir, 'exit-report.jsonl'), tracemalloc: path.join(tmpDir, 'tracemalloc.jsonl') };
    let env: NodeJS.ProcessEnv = runner === 'pytest' ? { ...io.env, [RUNTIME_FILE_ENV]: files.runtime } : { ...io.env };
    let afterExit: (() => Promise<string[]>) | undefined;
    const eventsFile = path.join(tmpDir, 'events.jsonl');
    // bats reports its tests only after the run, from its JUnit XML, without processes or exact times.
    const attributable = runner !== undefined && runner !== 'bats';
    if (runner === 'bats') warnings.push('bats reports its tests only after the run (JUnit XML, without processes or exact times): memory is not attributed to them');
    if (attributable) {
      const instrumented = await instrument(runner, options.command, { cwd: io.cwd, eventsFile, tmpDir, env });
      command = instrumented.command;
      // Reporters that run in the tests' own process stamp each event with its resident memory.
      env = { ...instrumented.env, [EVENT_RSS_ENV]: '1' };
      afterExit = instrumented.afterExit;
    }
    if (isNodeRunner(runner)) env = await exitReportEnv(env, tmpDir, files.exitReport);
    if (options.tracemalloc) {
      if (runner === 'pytest') {
        await writeFile(path.join(tmpDir, `${TRACEMALLOC_MODULE}.py`), TRACEMALLOC_PLUGIN_SOURCE);
        env = tracemallocEnv(env, tmpDir, files.tracemalloc);
      } else warnings.push(`--tracemalloc applies to pytest runs only; ${runner ?? 'this command'} ran without it`);
    }
    const documentOnStdout = target.out === undefined;
    const signals = listenForSignals();
    let running: RunningCommand;
    try {
      running = await startCommand({
        argv: command,
        cwd: io.cwd,
        env,
        ...commandStdio(io, { quiet: options.quiet, documentOnStdout }),
        killAfterMs: options.killAfterMs,
        interrupts: signals,
      });
    } catch (error) {
      signals.dispose();
      throw error;
    }
    const epochMs = performance.timeOrigin + running.startedAt;
    const now = () => performance.now() - running.startedAt;
    // Its git process would delay the command's start: not before the launch, and not at once after it
    // either, while the command is starting on a machine with few cores.
    let collected: ReturnType<typeof collectEnvironment> | undefined;
    const environment = () => {
      clearTimeout(collectLater);
      collected ??= collectEnvironment(io.cwd, io.env, {});
      collected.catch(() => undefined);
      return collected;
    };
    const collectLater = setTimeout(environment, ENVIRONMENT_AFTER_MS);
    const sampler = createSampler(kind, options, running.pid);
    const recorder = new Recorder();
    // vitest, jest and node:test report from the process that coordinates the workers running the tests.
    const coordinating = runner === 'vitest' || runner === 'jest' || runner === 'node-test';
    const tracker = attributable ? new TestTracker(epochMs, recorder, coordinating) : undefined;

    const paint = stderrPalette(io);
    const state: Session['state'] = {};
    const follower = attributable ? followEventsSync(eventsFile) : undefined;
    const monitor = startMonitor({
      sampler,
      recorder,
      intervalMs: options.intervalMs,
      now,
      maxRssBytes: options.maxRssBytes,
      events: follower && tracker ? { file: eventsFile, poll: () => follower.poll(), tracker } : undefined,
      onLimit(hit) {
        state.limitHit = hit;
        io.stderr.write(
          paint.red(`testpace-mem-profile: the tree reached ${formatBytes(hit.rssBytes)}, over --max-rss ${formatBytes(options.maxRssBytes!)}`) +
            (hit.testInFlight ? ` (test in flight: ${printable(hit.testInFlight)})` : '') +
            '; stopping the run\n',
        );
        running.stop('limit');
      },
    });

    const release = () => {
      signals.dispose();
      clearTimeout(collectLater);
    };
    return { options, io, tmpDir, runner, warnings, running, now, environment, sampler, recorder, tracker, follower, monitor, afterExit, files, state, release };
  } catch (error) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw error;
  }
}

/** Waits for the command, then writes the document and the summary; returns the tool's exit code. */
export async function finishSession(session: Session, options: MemProfileOptions, io: Io): Promise<number> {
  const { running, sampler, recorder, tracker, follower, monitor, state, warnings, runner, files } = session;
  const paint = stderrPalette(io);
  try {
    const exited = await running.exited;
    const wallMs = exited.endedAt - running.startedAt;
    let exit: CommandEnd;
    try {
      await monitor.stop();
      exit = await running.ended;
    } finally {
      session.release();
      sampler.close?.();
    }
    if (exit.leftovers > 0) warnings.push(`the command left ${exit.leftovers} process(es) running when it ended; testpace ended them (SIGTERM, then SIGKILL after --kill-after)`);
    if (session.afterExit) {
      warnings.push(...(await session.afterExit()));
      if (follower && tracker) tracker.events(follower.poll(), session.now(), undefined);
    }
    follower?.close();

    if (isNodeRunner(runner)) recorder.exited(await readExitReport(files.exitReport));
    const { limitHit } = state;
    const interrupted = exit.stoppedBy === 'limit' || exit.stoppedBy === 'timeout' ? undefined : exit.stoppedBy;
    const status: Status = limitHit ? 'limit-exceeded' : interrupted ? 'interrupted' : exit.exitCode === 0 ? 'passed' : 'failed';
    const runtimes: Record<string, string> = {};
    if (runner === 'pytest') {
      const reported = reportedPython(files.runtime);
      const version = reported ?? (await pythonVersion(io.cwd));
      if (version) runtimes.python = version;
    }
    const environment = await session.environment();
    Object.assign(environment.runtimes, runtimes);
    if (tracker && tracker.finished().length === 0) warnings.push(`no test events came from ${runner}; memory is not attributed to tests`);
    const document = buildDocument({
      header: documentHeader('memory', 'mem-profile'),
      environment,
      command: options.command,
      cwd: await displayCwd(io.cwd),
      runner: runner ?? 'command',
      status,
      exitCode: exit.exitCode,
      signal: exit.signal,
      wallMs,
      intervalMs: options.intervalMs,
      sampler: sampler.kind,
      recorder,
      tracker,
      warmupMs: options.warmupMs,
      thresholds: { growthPct: options.leakGrowthPct, r2: options.leakR2 },
      leakMinDurationMs: options.leakMinDurationMs,
      maxPoints: options.maxPoints,
      maxRssBytes: options.maxRssBytes,
      limitHit,
      warnings,
      tracemallocPeaks: options.tracemalloc && runner === 'pytest' ? await readTracemallocPeaks(files.tracemalloc) : undefined,
    });
    const target = documentTarget(io, options.out, 'mem-profile');
    await writeDocument(io, target, formatDocument(document));
    io.stderr.write(renderSummary(document, options.top, paint));
    io.stderr.write(paint.dim(documentWritten('mem-profile', target, [[`testpace-report ${target.out}`, 'peaks, growth and the process table']])));
    if (status === 'limit-exceeded') return ExitCode.fail;
    if (interrupted) return 128 + (constants.signals[interrupted] ?? 2);
    if (exit.exitCode !== null) return exit.exitCode;
    return 128 + (exit.signal ? (constants.signals[exit.signal as NodeJS.Signals] ?? 1) : 1);
  } finally {
    rmSync(session.tmpDir, { recursive: true, force: true });
  }
}

/** Runs the command from start to end. */
export async function run(options: MemProfileOptions, io: Io): Promise<number> {
  return finishSession(await startSession(options, io), options, io);
}

// testpace-mem-profile: run the command, sample its process tree, attribute memory to tests, write
// the memory document and the summary. Exits with the command's own code (1 when --max-rss tripped).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { constants } from 'node:os';
import { stderrPalette } from '../../lib/colour.ts';
import { displayCwd } from '../../lib/display-cwd.ts';
import { documentHeader } from '../../lib/document.ts';
import { collectEnvironment, pythonVersion } from '../../lib/environment.ts';
import { ExitCode, UsageError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import { formatDocument, writeProduct } from '../../lib/output.ts';
import { type RunnerName, detectRunner, instrument } from '../../lib/runners/index.ts';
import { RUNTIME_FILE_ENV, reportedPython } from '../../lib/runners/pytest-plugin.ts';
import { EVENT_RSS_ENV } from '../../lib/runners/reporter-common.ts';
import type { MemProfileOptions } from './cli.ts';
import { type Status, buildDocument } from './document.ts';
import { followEventsSync } from './events-follower.ts';
import { exitReportEnv, readExitReport } from './exit-report.ts';
import { formatBytes } from './format.ts';
import { type LimitHit, startMonitor } from './monitor.ts';
import { createProcfsSampler, procfsAvailable } from './procfs-sampler.ts';
import { createPsSampler } from './ps-sampler.ts';
import { Recorder } from './recorder.ts';
import { wrapperPython } from './rusage-wrapper.ts';
import type { Sampler } from './sampler.ts';
import { type Exit, launch } from './spawn.ts';
import { renderSummary } from './summary.ts';
import { TestTracker } from './test-tracker.ts';
import { TRACEMALLOC_MODULE, TRACEMALLOC_PLUGIN_SOURCE, readTracemallocPeaks, tracemallocEnv } from './tracemalloc-plugin.ts';

/** After SIGTERM to a tree over its limit, how long it gets before SIGKILL. */
const KILL_GRACE_MS = 3000;

/** Which sampler to use; decided before the command starts, so that a refusal leaves nothing running. */
function samplerKind(options: MemProfileOptions): 'procfs' | 'ps' {
  const kind = options.sampler === 'auto' ? (procfsAvailable() ? 'procfs' : 'ps') : options.sampler;
  if (kind === 'procfs' && !procfsAvailable()) throw new UsageError('--sampler procfs: /proc is not available here', 'use --sampler ps');
  return kind;
}

function createSampler(kind: 'procfs' | 'ps', options: MemProfileOptions, root: number, includeRoot: boolean): Sampler {
  return kind === 'procfs' ? createProcfsSampler({ root, includeRoot, youngMs: options.intervalMs }) : createPsSampler({ root, includeRoot });
}

export async function run(options: MemProfileOptions, io: Io): Promise<number> {
  const paint = stderrPalette(io);
  const warnings: string[] = [];
  const runner: RunnerName | undefined = options.tests ? detectRunner(options.command) : undefined;
  const kind = samplerKind(options);
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'testpace-mem-'));
  try {
    let command = options.command;
    // The pytest plugin writes the version of the Python that runs the tests here (no python3 of our own to ask).
    const runtimeFile = path.join(tmpDir, 'runtime.json');
    let env: NodeJS.ProcessEnv = runner === 'pytest' ? { ...io.env, [RUNTIME_FILE_ENV]: runtimeFile } : { ...io.env };
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
    const exitReportFile = path.join(tmpDir, 'exit-report.jsonl');
    const nodeRunner = runner !== undefined && runner !== 'pytest' && runner !== 'bats';
    if (nodeRunner) env = await exitReportEnv(env, tmpDir, exitReportFile);
    const tracemallocFile = path.join(tmpDir, 'tracemalloc.jsonl');
    if (options.tracemalloc) {
      if (runner === 'pytest') {
        await writeFile(path.join(tmpDir, `${TRACEMALLOC_MODULE}.py`), TRACEMALLOC_PLUGIN_SOURCE);
        env = tracemallocEnv(env, tmpDir, tracemallocFile);
      } else warnings.push(`--tracemalloc applies to pytest runs only; ${runner ?? 'this command'} ran without it`);
    }
    const python = options.rusage ? wrapperPython(io.env) : undefined;
    if (options.rusage && !python) warnings.push("python3 not found: the children's ru_maxrss (kernel peak) was not measured");

    const started = performance.now();
    const epochMs = performance.timeOrigin + started;
    const now = () => performance.now() - started;
    const running = await launch({ command, cwd: io.cwd, env, python, tmpDir, output: options.quiet ? undefined : io.stderr });
    // After the launch: its git process would only delay the command's start.
    const environmentPromise = collectEnvironment(io.cwd, io.env, {});
    environmentPromise.catch(() => undefined);
    const sampler = createSampler(kind, options, running.pid, !running.wrapped);
    const recorder = new Recorder();
    // vitest, jest and node:test report from the process that coordinates the workers running the tests.
    const coordinating = runner === 'vitest' || runner === 'jest' || runner === 'node-test';
    const tracker = attributable ? new TestTracker(epochMs, recorder, coordinating) : undefined;

    let limitHit: LimitHit | undefined;
    let interrupted: NodeJS.Signals | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const follower = attributable ? followEventsSync(eventsFile) : undefined;
    const monitor = startMonitor({
      sampler,
      recorder,
      intervalMs: options.intervalMs,
      now,
      maxRssBytes: options.maxRssBytes,
      events: follower && tracker ? { file: eventsFile, poll: () => follower.poll(), tracker } : undefined,
      onLimit(hit) {
        limitHit = hit;
        io.stderr.write(
          paint.red(`testpace-mem-profile: the tree reached ${formatBytes(hit.rssBytes)}, over --max-rss ${formatBytes(options.maxRssBytes!)}`) +
            (hit.testInFlight ? ` (test in flight: ${hit.testInFlight})` : '') +
            '; stopping the run\n',
        );
        running.signalGroup('SIGTERM');
        killTimer = setTimeout(() => running.signalGroup('SIGKILL'), KILL_GRACE_MS);
      },
    });

    // Ctrl-C reaches only testpace (the command has its own process group): pass it on, and on a second one, kill.
    const onSignal = (signal: NodeJS.Signals) => {
      running.signalGroup(interrupted ? 'SIGKILL' : signal);
      interrupted = signal;
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let exit: Exit;
    try {
      exit = await running.exited;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (killTimer) clearTimeout(killTimer);
      await monitor.stop();
      sampler.close?.();
    }
    const wallMs = now();
    if (afterExit) {
      warnings.push(...(await afterExit()));
      if (follower && tracker) tracker.events(follower.poll(), now(), undefined);
    }
    follower?.close();

    if (nodeRunner) recorder.exited(await readExitReport(exitReportFile));
    const status: Status = limitHit ? 'limit-exceeded' : interrupted ? 'interrupted' : exit.exitCode === 0 ? 'passed' : 'failed';
    const runtimes: Record<string, string> = {};
    if (runner === 'pytest') {
      const reported = reportedPython(runtimeFile);
      const version = reported ?? (await pythonVersion(io.cwd));
      if (version) runtimes.python = version;
    }
    const environment = await environmentPromise;
    Object.assign(environment.runtimes, runtimes);
    if (attributable && tracker && tracker.finished().length === 0) warnings.push(`no test events came from ${runner}; memory is not attributed to tests`);
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
      childrenMaxRssBytes: exit.childrenMaxRssBytes,
      tracker,
      warmupMs: options.warmupMs,
      thresholds: { growthPct: options.leakGrowthPct, r2: options.leakR2 },
      maxPoints: options.maxPoints,
      maxRssBytes: options.maxRssBytes,
      limitHit,
      warnings,
      tracemallocPeaks: options.tracemalloc && runner === 'pytest' ? await readTracemallocPeaks(tracemallocFile) : undefined,
    });
    await writeProduct(io, options.out, formatDocument(document));
    io.stderr.write(renderSummary(document, options.top, paint));
    if (status === 'limit-exceeded') return ExitCode.fail;
    if (interrupted) return 128 + (constants.signals[interrupted] ?? 2);
    if (exit.exitCode !== null) return exit.exitCode;
    return 128 + (exit.signal ? (constants.signals[exit.signal as NodeJS.Signals] ?? 1) : 1);
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}

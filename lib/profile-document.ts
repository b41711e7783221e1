// The profile document (schemas/profile.schema.json) as TypeScript types, once, for its producer
// (profile) and its readers (report, optimize, select). Types only; optional here means optional in
// the schema, so a reader must not rely on what one producer happens to always write.
import type { DocumentHeader } from './document-header.ts';
import type { Environment } from './environment.ts';
import type { RunnerName } from './runners/detect.ts';
import type { TestOutcome } from './runners/events.ts';
import type { TimingStats } from './stats.ts';

/** The runner a document speaks of (schemas/common: runner): 'junit' for JUnit XML, 'command' for a plain command. */
export type DocumentRunner = RunnerName | 'junit' | 'command';

/** How the profiled command ended: interrupted = a signal or --timeout (partial data); error = results unreadable. */
export type ProfileStatus = 'passed' | 'failed' | 'interrupted' | 'error';

/** One test's outcome (profile $defs/outcome); the same values as the runner events carry. */
export type Outcome = TestOutcome;

/** Per-phase durations where the runner reports them (pytest: setup/call/teardown). */
export interface Phases {
  setupMs?: number;
  callMs?: number;
  teardownMs?: number;
}

/** One test in one run ($defs/testResult); startMs/endMs are relative to the start of the run's process. */
export interface TestResult {
  file: string;
  name: string;
  id?: string;
  outcome: Outcome;
  durationMs: number;
  phases?: Phases;
  startMs?: number;
  endMs?: number;
  worker?: string;
  retries?: number;
  message?: string;
}

/** One worker's share of a run ($defs/worker): utilisation = busyMs / run wall time. */
export interface WorkerUse {
  id: string;
  tests: number;
  busyMs: number;
  utilisation: number;
}

/** Tests by outcome ($defs/counts). */
export interface Counts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  error: number;
}

/** One test file in one run ($defs/fileTiming): its whole time in its worker and the runner's set-up phases. */
export interface FileTiming {
  file: string;
  durationMs: number;
  startMs?: number;
  endMs?: number;
  environmentMs?: number;
  prepareMs?: number;
  collectMs?: number;
  setupMs?: number;
}

/** User and system CPU of a run's whole process tree. */
export interface RunCpu {
  userMs: number;
  systemMs: number;
}

/** One run of the command ($defs/run); warm-up runs are recorded but left out of the statistics. */
export interface Run {
  index: number;
  warmup: boolean;
  startedAt?: string;
  wallMs: number;
  cpu?: RunCpu;
  exitCode: number | null;
  signal: string | null;
  interrupted: boolean;
  collectionMs?: number | null;
  sessionStartMs?: number;
  tailMs?: number | null;
  workers?: WorkerUse[];
  parallelEfficiency?: number | null;
  counts?: Counts;
  files?: FileTiming[];
  tests: TestResult[];
}

/** One test over all measured runs ($defs/testSummary); outcome is that of the last measured run. */
export interface TestSummary {
  file: string;
  name: string;
  id?: string;
  outcome: Outcome;
  outcomes?: Outcome[];
  durationMs: TimingStats;
  setupMs?: TimingStats;
  callMs?: TimingStats;
  teardownMs?: TimingStats;
  worker?: string;
  flaky: boolean;
  outlierRuns?: number[];
}

/** The whole profile over its measured runs ($defs/summary). */
export interface ProfileSummary {
  runs: number;
  warmup: number;
  wallMs: TimingStats;
  cpuMs?: TimingStats;
  collectionMs?: TimingStats;
  testsMs?: TimingStats;
  counts: Counts;
  flaky: number;
  workers?: number;
  parallelEfficiency?: number | null;
}

/** One source profile of a profile merged from CI shards. */
export interface ShardSource {
  source: string;
  wallMs: number;
  tests: number;
}

/** One function's time in the runtime's own profiler. */
export interface CpuHotspot {
  name: string;
  file: string;
  line: number;
  calls?: number;
  selfMs: number;
  cumulativeMs: number;
}

/** Function-level hotspots from cProfile or V8 --cpu-prof ($defs/cpuProfile). */
export interface CpuProfileSection {
  profiler: 'cProfile' | 'v8';
  functions: CpuHotspot[];
}

/** A profile document: where the time of a test run goes, test by test, over one or more runs. */
export interface ProfileDocument extends DocumentHeader<'profile'> {
  environment: Environment;
  command: string[];
  cwd: string;
  runner: DocumentRunner;
  status: ProfileStatus;
  shards?: ShardSource[];
  runs: Run[];
  tests: TestSummary[];
  summary: ProfileSummary;
  cpuProfile?: CpuProfileSection;
  warnings?: string[];
}

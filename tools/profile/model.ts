// The profile document's shape (schemas/profile.schema.json), as the tool builds it.
import type { DocumentHeader } from '../../lib/document.ts';
import type { Environment } from '../../lib/environment.ts';
import type { TestOutcome } from '../../lib/runners/events.ts';
import type { TimingStats } from '../../lib/stats.ts';

export type ProfileRunner = 'pytest' | 'vitest' | 'jest' | 'node-test' | 'mocha' | 'bats' | 'junit';
export type ProfileStatus = 'passed' | 'failed' | 'interrupted' | 'error';

export interface Phases {
  setupMs?: number;
  callMs?: number;
  teardownMs?: number;
}

export interface TestResult {
  file: string;
  name: string;
  id?: string;
  outcome: TestOutcome;
  durationMs: number;
  phases?: Phases;
  startMs?: number;
  endMs?: number;
  worker?: string;
  retries?: number;
  message?: string;
}

export interface WorkerUse {
  id: string;
  tests: number;
  busyMs: number;
  utilisation: number;
}

export interface Counts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  error: number;
}

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

export interface RunRecord {
  index: number;
  warmup: boolean;
  startedAt: string;
  wallMs: number;
  cpu?: { userMs: number; systemMs: number };
  exitCode: number | null;
  signal: string | null;
  interrupted: boolean;
  collectionMs: number | null;
  sessionStartMs?: number;
  tailMs: number | null;
  workers: WorkerUse[];
  parallelEfficiency: number | null;
  counts: Counts;
  files?: FileTiming[];
  tests: TestResult[];
}

export interface TestSummary {
  file: string;
  name: string;
  id?: string;
  outcome: TestOutcome;
  outcomes: TestOutcome[];
  durationMs: TimingStats;
  setupMs?: TimingStats;
  callMs?: TimingStats;
  teardownMs?: TimingStats;
  worker?: string;
  flaky: boolean;
  outlierRuns?: number[];
}

export interface ProfileSummary {
  runs: number;
  warmup: number;
  wallMs: TimingStats;
  cpuMs?: TimingStats;
  collectionMs?: TimingStats;
  testsMs?: TimingStats;
  counts: Counts;
  flaky: number;
  workers: number;
  parallelEfficiency: number | null;
}

export interface CpuHotspot {
  name: string;
  file: string;
  line: number;
  calls?: number;
  selfMs: number;
  cumulativeMs: number;
}

export interface CpuProfileSection {
  profiler: 'cProfile' | 'v8';
  functions: CpuHotspot[];
}

export interface ProfileDocument extends DocumentHeader<'profile'> {
  environment: Environment;
  command: string[];
  cwd: string;
  runner: ProfileRunner;
  status: ProfileStatus;
  runs: RunRecord[];
  tests: TestSummary[];
  summary: ProfileSummary;
  cpuProfile?: CpuProfileSection;
  warnings?: string[];
}

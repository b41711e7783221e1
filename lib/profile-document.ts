// The profile document's types, for its producer (profile) and its readers (report, optimize,
// select): generated from schemas/profile.schema.json (lib/generated/), named here as the code uses
// them. Optional means optional in the schema, so a reader must not rely on what one producer
// happens to always write.
import type { ProfileDocument, Run, Worker } from './generated/documents.ts';

export type {
  Counts,
  CpuProfile as CpuProfileSection,
  FileTiming,
  Outcome,
  Phases,
  ProfileDocument,
  ProfileSummary,
  Run,
  Runner as DocumentRunner,
  TestResult,
  TestSummary,
} from './generated/documents.ts';

/** How the profiled command ended: interrupted = a signal or --timeout (partial data); error = results unreadable. */
export type ProfileStatus = ProfileDocument['status'];

/** One worker's share of a run: utilisation = busyMs / run wall time. */
export type WorkerUse = Worker;

/** User and system CPU of a run's whole process tree. */
export type RunCpu = NonNullable<Run['cpu']>;

/** One source profile of a profile merged from CI shards. */
export type ShardSource = NonNullable<ProfileDocument['shards']>[number];

/** One function of a cpuProfile section. */
export type CpuHotspot = NonNullable<ProfileDocument['cpuProfile']>['functions'][number];


// The profile document as this tool builds it: the shared types (lib/profile-document.ts, after
// schemas/profile.schema.json) with the fields profile always writes made required, so its own code
// need not guard them. Readers of profile documents use the shared types, where they are optional.
import type {
  DocumentRunner,
  ProfileDocument as SharedProfileDocument,
  ProfileSummary as SharedProfileSummary,
  Run,
  TestSummary as SharedTestSummary,
} from '../../lib/profile-document.ts';

/** The runners profile measures: every document runner but a plain 'command'. */
export type ProfileRunner = Exclude<DocumentRunner, 'command'>;

/** One run as profile records it. */
export type RunRecord = Run & Required<Pick<Run, 'startedAt' | 'collectionMs' | 'tailMs' | 'workers' | 'parallelEfficiency' | 'counts'>>;

/** One test over the measured runs as profile summarises it. */
export type TestSummary = SharedTestSummary & Required<Pick<SharedTestSummary, 'outcomes'>>;

/** The summary as profile writes it. */
export type ProfileSummary = SharedProfileSummary & Required<Pick<SharedProfileSummary, 'workers' | 'parallelEfficiency'>>;

/** The document as profile writes it. */
export interface ProfileDocument extends SharedProfileDocument {
  runner: ProfileRunner;
  runs: RunRecord[];
  tests: TestSummary[];
  summary: ProfileSummary;
}

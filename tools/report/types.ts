// The documents the report reads and writes: the types generated from schemas/ (lib/generated/),
// and the parts of them the report's code names. Documents are validated before they reach these types.
import type { ComparisonDocument, MemoryDocument, OptimizationDocument, SelectionDocument } from '../../lib/generated/documents.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import type { BenchmarkDocument } from './benchmark-document.ts';
import type { Status } from './verdict.ts';

export type { Thresholds } from './verdict.ts';

export type {
  BudgetResult,
  ComparisonDocument,
  Delta,
  Leak,
  MemoryDocument,
  OptimizationDocument,
  Savings,
  SelectionDocument,
  Side,
} from '../../lib/generated/documents.ts';

export type TestStatus = Status | 'new' | 'removed';
/** One test or benchmark compared. */
export type TestDelta = ComparisonDocument['tests'][number];
export type TotalDelta = NonNullable<ComparisonDocument['total']>;
export type Phase = 'setup' | 'call' | 'teardown';
/** A phase summed over the tests, run by run: which phase moved the total. */
export type PhaseDelta = NonNullable<ComparisonDocument['phases']>[number];

export type ReportDocument = ProfileDocument | MemoryDocument | OptimizationDocument | SelectionDocument | ComparisonDocument | BenchmarkDocument;

/** A document together with where it was read from. */
export interface Loaded<D = ReportDocument> {
  source: string;
  document: D;
}

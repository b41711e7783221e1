// What a report run is asked to do: kept apart from cli.ts so that run.ts does not import the command line.
import type { RollingStat } from './history.ts';
import type { Thresholds } from './types.ts';

export type ReportFormat = 'terminal' | 'markdown' | 'html' | 'json';

export interface ReportOptions {
  /** `report` renders (and compares); `merge` merges shard profiles into one profile; `import` reads benchmark harnesses' JSON into a benchmark document. */
  mode: 'report' | 'merge' | 'import';
  /** Documents named on the command line; empty means stdin when it is not a terminal. */
  documents: string[];
  format: ReportFormat;
  out: string | undefined;
  github: boolean;
  /** Baselines, each compared with the current document of its kind (a profile, a benchmark document). */
  baselines: string[];
  thresholds: Thresholds;
  /** Limits that fail the run whatever the history: from --budget (the config's are read by run). */
  budgets: string[];
  /** Whether to read budgets from the project's config (testpace.config.json, package.json, pyproject.toml). */
  useConfig: boolean;
  /** Compare documents even when they look unrelated (different projects). */
  allowUnrelated: boolean;
  failOnRegression: boolean;
  history: string | undefined;
  historyWindow: number;
  historyStat: RollingStat;
  historyBranch: string | undefined;
  record: boolean;
  top: number;
  debug: boolean;
  /** The clock, for the createdAt of written documents (tests pin it). */
  now?: Date;
}

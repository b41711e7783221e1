// What the analysers of each language hand to the rules: tests, fixtures and raw hits, per file.
import type { RunnerName } from '../../lib/runners/detect.ts';

export type Language = 'python' | 'javascript' | 'bats';

/** A test runner as documents name it. */
export type Runner = RunnerName;

/** The rules a finding names (schemas/optimization.schema.json: rule). */
export type { Rule } from '../../lib/generated/documents.ts';

/** Who a hit belongs to: the test or fixture (hook) whose body holds it; null at module level. */
export interface Owner {
  kind: 'test' | 'fixture';
  name: string;
}

/** One suspicious call or write found in a body, before thresholds and profile data apply. */
export interface Hit {
  rule: 'sleep' | 'real-network' | 'real-database' | 'subprocess' | 'parallel-unsafe';
  line: number;
  column: number;
  owner: Owner | null;
  /** sleep: {call, seconds}; parallel-unsafe: {kind, name, module?}; others: {call}. */
  /**
   * sleep: {call, seconds, shown?}; parallel-unsafe: {kind, name, module?, key?} where kind 'patched' and
   * 'reset' are restores only (monkeypatch, a module's reset function) and key names the state; others: {call}.
   */
  detail: { call?: string; seconds?: number | null; shown?: string; kind?: string; name?: string; module?: string; key?: string };
  /** Inside a finally block or an after-hook: a restore rather than a leak. */
  restore: boolean;
}

export interface StaticTest {
  /** The runner's full name (pytest `Class::test`, JS `describe > test`). */
  name: string;
  line: number;
  endLine: number;
  /** Hash of the normalised body (names of locals erased); null for an empty body. */
  hash: string | null;
  /** Names of fixtures or hooks that run for this test (resolved to StaticFixture.name). */
  fixtures: string[];
  /** What the test mutates of what fixtures build (pytest: fixture parameters; JS: names a hook assigns). */
  mutates?: string[];
}

export interface StaticFixture {
  name: string;
  line: number;
  /** function: runs around each test (pytest function scope, beforeEach, bats setup). */
  scope: string;
  /** How the runner calls it, for the fix text: pytest-fixture, beforeEach, setup. */
  kind: 'pytest-fixture' | 'beforeEach' | 'afterEach' | 'bats-setup' | 'bats-teardown' | 'xunit-setup' | 'xunit-teardown';
  /** Tests the fixture runs for (testKey). Filled by the analyser (JS, bats) or by the pytest resolver. */
  users: string[];
  /** Users (testKey) that mutate what the fixture builds: widening its scope needs a copy per test. */
  mutatedBy?: string[];
}

export interface FileAnalysis {
  /** POSIX path relative to the working directory. */
  file: string;
  language: Language;
  runner: Runner;
  error?: { line: number; message: string };
  tests: StaticTest[];
  fixtures: StaticFixture[];
  hits: Hit[];
  /** Modules the file imports (Python: for -X importtime). */
  imports: string[];
  /** Python: the line of each module-level import. */
  importLines?: Record<string, number>;
}

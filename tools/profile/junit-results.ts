// Test results of a run read from the JUnit XML the command wrote (--junit). JUnit has durations
// but no start times or workers, so results carry no timeline.
import { stat } from 'node:fs/promises';
import { InputError } from '../../lib/errors.ts';
import type { TestResult } from '../../lib/profile-document.ts';
import { readJunit } from '../../lib/runners/junit.ts';

const round = (value: number) => Math.round(value * 1000) / 1000;

/** Reads the run's JUnit file; a file older than the run is someone else's, and an InputError. */
export async function junitTests(file: string, source: string, runStartEpochMs: number): Promise<{ tests: TestResult[]; warnings: string[] }> {
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new InputError(source, 'no such file after the run; expected the command to write its JUnit XML there');
  // mtime has a coarse resolution on some file systems: a second of slack.
  if (info.mtimeMs < runStartEpochMs - 1000) {
    throw new InputError(source, 'was not written by this run (it is older than the run); expected the command to write its JUnit XML there');
  }
  const tests: TestResult[] = [];
  const { warnings } = await readJunit(file, (testCase) => {
    // An unreadable time stays unknown (no durationMs), rather than a 0 that would read as fast.
    const result: TestResult = { file: testCase.file, name: testCase.name, id: testCase.id, outcome: testCase.outcome };
    if (testCase.durationMs !== undefined) result.durationMs = round(testCase.durationMs);
    if (testCase.message) result.message = testCase.message;
    tests.push(result);
  }, source);
  return { tests, warnings };
}

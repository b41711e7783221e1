// Shared by the profile tests: run the built tool on a project and validate what it wrote.
import path from 'node:path';
import { expect } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import type { ProfileDocument, TestSummary } from '../../tools/profile/built-document.ts';
import { type ProcessResult, examplesDir, runBinary } from '../helpers.ts';

export interface Profiled extends ProcessResult {
  document: ProfileDocument;
}

/** Runs testpace-profile on `cwd`, and checks the document on stdout against the profile schema. */
export async function profile(cwd: string, args: string[]): Promise<Profiled> {
  const result = await runBinary('profile', args, { cwd });
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    throw new Error(`no document on stdout (exit ${result.code}); stderr:\n${result.stderr}`);
  }
  return { ...result, document: validateDocument<ProfileDocument>(parsed, 'stdout', ['profile']) };
}

export const example = (runner: string): string => path.join(examplesDir, runner);

/** The test whose name ends with `name` (names carry describe blocks for JS runners). */
export function testNamed(document: ProfileDocument, name: string): TestSummary {
  const found = document.tests.find((t) => t.name === name || t.name.endsWith(` > ${name}`));
  expect(found, `test "${name}" in ${document.tests.map((t) => t.name).join(', ')}`).toBeDefined();
  return found!;
}

/** The physical truth every runner must show: a 300 ms sleep measures at least 300 ms and well under 1.5 s. */
export function expectSleep(test: TestSummary, ms: number): void {
  expect(test.durationMs.median).toBeGreaterThanOrEqual(ms - 1); // timer granularity: a runner may report 299.9
  expect(test.durationMs.median).toBeLessThan(1500);
}

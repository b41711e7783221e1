// Test names as the runner adapters write them (lib/runners), so findings join with profiles:
// pytest `Class::test_x` (the nodeid after the file), JS runners `describe > test`, bats the test's title.
import type { Runner } from './file-analysis.ts';

export function joinTestName(runner: Runner, path: readonly string[]): string {
  return path.join(runner === 'pytest' ? '::' : ' > ');
}

/** The key a test name joins on: parameters of a parametrized pytest test are dropped. */
export function baseName(name: string): string {
  const bracket = name.indexOf('[');
  return bracket > 0 ? name.slice(0, bracket) : name;
}

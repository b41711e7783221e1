// Test identity shared by every document (schemas/common: testId): join on file and full name.
import path from 'node:path';

export interface TestId {
  /** Repo-relative POSIX path of the file that defines the test. */
  file: string;
  /** The runner's full test name. */
  name: string;
  /** The runner-native id, when it has one. */
  id?: string;
}

/** The key that joins the same test across documents and runs. */
export function testKey(test: Pick<TestId, 'file' | 'name'>): string {
  return `${test.file}\u0000${test.name}`;
}

/** A path relative to `root`, with forward slashes (identity paths are POSIX on every OS). */
export function toPosixRelative(root: string, file: string): string {
  const relative = path.relative(root, path.resolve(root, file));
  return relative.split(path.sep).join('/');
}

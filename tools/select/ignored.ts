// Files git ignores that a runner may still collect: generated tests in an ignored directory are
// run by pytest and vitest alike, so discovery looks there too (issue 14). Dependency, cache and
// build directories are not entered: runners skip them, and they can hold many thousands of files.
import { globSync } from 'tinyglobby';

const SKIPPED = /(^|\/)(node_modules|\.git|__pycache__|\.pytest_cache|\.mypy_cache|\.ruff_cache|\.tox|\.nox|\.venv|venv|\.cache|coverage|\.nyc_output|dist|build|site-packages|[^/]*\.egg-info|\.next|\.nuxt|\.turbo|\.testpace|target)(\/|$)/;

/** The ignored entries a runner may collect from (not dependency, cache or build directories, nor select's own cache). */
export const relevantIgnored = (entries: readonly string[]): string[] => entries.filter((entry) => !SKIPPED.test(entry));

/** The files of git's ignored entries (`status --ignored=matching`: files, and directories ending in `/`), outside skipped directories. */
export function ignoredFiles(root: string, entries: readonly string[]): string[] {
  const files: string[] = [];
  for (const entry of relevantIgnored(entries)) {
    if (!entry.endsWith('/')) {
      files.push(entry);
      continue;
    }
    for (const file of globSync(['**'], { cwd: `${root}/${entry}`, dot: true, ignore: ['**/node_modules/**', '**/__pycache__/**', '**/.git/**'] })) {
      const path = entry + file;
      if (!SKIPPED.test(path)) files.push(path);
    }
  }
  return files;
}

// Decides, for each changed file, whether the graph can answer for it, whether it is noise
// (docs, licences: the ignore list), or whether it changes what the graph cannot see — a
// lockfile, a manifest, a tsconfig, a runner config, a setup file, a root conftest.py, a file
// of unknown kind — in which case every test runs, and the reason says which file and why.
import path from 'node:path';
import picomatch from 'picomatch';
import type { Project } from './project.ts';

export type Verdict = { kind: 'graph' } | { kind: 'ignored'; why: string } | { kind: 'run-all'; why: string };

/** Ignored unless the user's config says otherwise: text nobody imports and no runner reads. */
export const DEFAULT_IGNORE = [
  '**/*.md',
  '**/*.markdown',
  '**/*.rst',
  '**/*.adoc',
  '**/LICENSE*',
  '**/LICENCE*',
  '**/COPYING*',
  '**/CHANGELOG*',
  '**/AUTHORS*',
  '**/CODEOWNERS',
  'docs/**',
  '.github/**',
  '.gitlab/**',
  '.vscode/**',
  '.idea/**',
  '**/.gitignore',
  '**/.gitattributes',
  '**/.editorconfig',
  '**/.prettierrc*',
  '**/.prettierignore',
  '**/.eslintignore',
  '**/.DS_Store',
  '.testpace/**',
  '**/__pycache__/**',
  '**/.pytest_cache/**',
];

const TRIGGERS: Array<[RegExp, string]> = [
  [/^(package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lockb?|poetry\.lock|Pipfile\.lock|uv\.lock|pdm\.lock)$/, 'a lockfile changed: installed dependencies may differ'],
  [/^(package\.json|pnpm-workspace\.yaml|lerna\.json|\.npmrc|\.yarnrc(\.yml)?|\.nvmrc|\.node-version|\.python-version)$/, 'a package manifest changed: dependencies, scripts or module settings may differ'],
  [/^(pyproject\.toml|setup\.py|setup\.cfg|Pipfile|(requirements|constraints)[\w.-]*\.(txt|in))$/, 'a Python project manifest changed: dependencies or test settings may differ'],
  [/^(tsconfig|jsconfig)[\w.-]*\.json$/, 'a TypeScript config changed: module resolution and compilation may differ'],
  [/^(\.?pytest\.ini|tox\.ini|noxfile\.py)$/, 'a pytest config changed'],
  [/^(jest|vitest|vite|vitest\.workspace|babel|jest\.setup|vitest\.setup)\.config\.[cm]?[jt]s$|^jest\.config\.json$|^vitest\.workspace\.[cm]?[jt]s$/, 'a test runner config changed'],
  [/^(\.mocharc(\.[\w]+)?|\.babelrc(\.[\w]+)?|\.swcrc|babel\.config\.json)$/, 'a test runner or compiler config changed'],
  [/^testpace\.config\.json$/, 'the testpace config changed'],
];

export interface Classifier {
  classify(file: string, inGraph: boolean): Verdict;
}

export function createClassifier(project: Project): Classifier {
  const runAll = project.config.runAll.length > 0 ? picomatch(project.config.runAll, { dot: true }) : () => false;
  const userIgnore = project.config.ignore.length > 0 ? picomatch(project.config.ignore, { dot: true }) : () => false;
  const defaultIgnore = picomatch(DEFAULT_IGNORE, { dot: true });
  const setup = new Map<string, string>();
  for (const runner of project.runners) {
    for (const file of runner.setupFiles) setup.set(file, `${runner.runner} runs it before every test (${runner.config ?? 'default config'})`);
    if (runner.config) setup.set(runner.config, `it configures ${runner.runner}`);
  }
  const pytestRoots = new Set(project.runners.filter((r) => r.runner === 'pytest').map((r) => r.dir));

  const classify = (file: string, known: boolean): Verdict => {
    if (runAll(file)) return { kind: 'run-all', why: `it matches a runAll glob of ${project.config.source}` };
    if (userIgnore(file)) return { kind: 'ignored', why: `it matches an ignore glob of ${project.config.source}` };
    const base = path.posix.basename(file);
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    if (base === 'conftest.py' && (dir === '' || pytestRoots.has(dir))) return { kind: 'run-all', why: 'a root conftest.py changed: its fixtures and hooks apply to every test' };
    for (const [pattern, why] of TRIGGERS) if (pattern.test(base)) return { kind: 'run-all', why };
    const setupWhy = setup.get(file);
    if (setupWhy) return { kind: 'run-all', why: `a setup file changed: ${setupWhy}` };
    if (known || file.includes('__snapshots__/') || file.includes('__mocks__/')) return { kind: 'graph' };
    if (defaultIgnore(file)) return { kind: 'ignored', why: 'documentation or editor/CI settings (default ignore list)' };
    return { kind: 'run-all', why: 'a file of unknown kind changed, that no test is known to read (add it to "ignore" in the testpace config if it never affects tests)' };
  };
  return { classify };
}

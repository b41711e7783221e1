// What the repository is made of, as each runner sees it: which runner configs exist, which files
// are tests (discovered the way each runner discovers them), setup files, module aliases, Python
// import roots, and the user's testpace config (declared edges, run-all globs, ignore globs).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseIni } from 'ini';
import { parse as parseToml } from 'smol-toml';
import { InputError } from '../../lib/errors.ts';
import { type Literal, isExpression, literalProperty, stringList } from './config-literals.ts';

export type RunnerName = 'pytest' | 'jest' | 'vitest' | 'mocha' | 'node-test' | 'bats' | 'custom';

/** One runner's view of a directory. Paths are repo-relative POSIX. */
export interface RunnerProject {
  runner: RunnerName;
  /** Directory the runner runs in ('' for the repo root). */
  dir: string;
  /** The config file that defined it, if any. */
  config: string | null;
  /** Globs (repo-relative) of its test files. */
  include: string[];
  /** Regexes on repo-relative paths (jest testRegex), in addition to `include`. */
  includeRegex: RegExp[];
  exclude: string[];
  /** Setup files: a change to one runs everything. */
  setupFiles: string[];
  /** Module aliases: prefix or regex → replacement (repo-relative when it is a path). */
  aliases: Array<{ find: RegExp; replace: string }>;
  /** Python import roots (pytest pythonpath, rootdir). */
  pythonPath: string[];
}

/** The user's testpace config. */
export interface TestpaceConfig {
  source: string | null;
  /** Declared edges: a change to a file matching `from` affects files matching `to`. */
  edges: Array<{ from: string; to: string[] }>;
  runAll: string[];
  ignore: string[];
  tests: string[] | null;
}

export interface Project {
  root: string;
  runners: RunnerProject[];
  config: TestpaceConfig;
  warnings: string[];
}

const JS_TEST_DEFAULTS = ['**/__tests__/**/*.?([mc])[jt]s?(x)', '**/?(*.)+(spec|test).?([mc])[jt]s?(x)'];
const VITEST_DEFAULTS = ['**/*.{test,spec}.?(c|m)[jt]s?(x)'];
const NODE_TEST_DEFAULTS = ['**/*.test.?(c|m)js', '**/*-test.?(c|m)js', '**/*_test.?(c|m)js', '**/test-*.?(c|m)js', '**/test.?(c|m)js', '**/test/**/*.?(c|m)js'];
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**'];

const join = (dir: string, glob: string): string => {
  const clean = glob.replace(/^\.\//, '');
  if (clean.startsWith('/')) return clean.slice(1);
  return dir ? path.posix.normalize(`${dir}/${clean}`) : path.posix.normalize(clean);
};

function readText(root: string, file: string): string {
  try {
    return readFileSync(path.join(root, file), 'utf8');
  } catch {
    return '';
  }
}

function readJson(root: string, file: string): Record<string, unknown> | null {
  const text = readText(root, file);
  if (!text) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const emptyProject = (runner: RunnerName, dir: string, config: string | null): RunnerProject => ({
  runner,
  dir,
  config,
  include: [],
  includeRegex: [],
  exclude: [...ALWAYS_EXCLUDED],
  setupFiles: [],
  aliases: [],
  pythonPath: [],
});

const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);

// --- pytest -----------------------------------------------------------------------------------

function pytestSection(root: string, file: string): Record<string, unknown> | null {
  const base = path.posix.basename(file);
  const text = readText(root, file);
  try {
    if (base === 'pyproject.toml') {
      const toml = parseToml(text) as { tool?: { pytest?: Record<string, unknown> & { ini_options?: Record<string, unknown> } } };
      const pytest = toml.tool?.pytest;
      if (!pytest) return null;
      return pytest.ini_options ?? pytest;
    }
    const ini = parseIni(text) as Record<string, Record<string, unknown>>;
    if (base === 'pytest.ini' || base === '.pytest.ini') return ini.pytest ?? {};
    if (base === 'tox.ini') return ini.pytest ?? null;
    if (base === 'setup.cfg') return ini['tool:pytest'] ?? null;
  } catch (error) {
    throw new InputError(file, `cannot read the pytest settings: ${(error as Error).message.split('\n')[0]}`);
  }
  return null;
}

const splitIni = (value: unknown): string[] => (Array.isArray(value) ? asStrings(value) : typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : []);

function pytestProject(root: string, file: string | null, dir: string, files: Set<string>): RunnerProject {
  const section = file ? (pytestSection(root, file) ?? {}) : {};
  const project = emptyProject('pytest', dir, file);
  const testpaths = splitIni(section.testpaths);
  const patterns = splitIni(section.python_files);
  const names = patterns.length > 0 ? patterns : ['test_*.py', '*_test.py'];
  for (const testpath of testpaths.length > 0 ? testpaths : ['.']) {
    const base = join(dir, testpath);
    if (files.has(base)) project.include.push(base);
    else for (const name of names) project.include.push(base === '.' ? `**/${name}` : `${base}/**/${name}`);
  }
  project.exclude.push('**/.tox/**', '**/.venv/**', '**/venv/**', '**/site-packages/**');
  project.pythonPath = [dir, ...splitIni(section.pythonpath).map((p) => join(dir, p))];
  if (files.has(join(dir, 'conftest.py'))) project.setupFiles.push(join(dir, 'conftest.py'));
  return project;
}

// --- jest -------------------------------------------------------------------------------------

function readConfigObject(root: string, file: string): { get(key: string): Literal | undefined } {
  if (file.endsWith('.json')) {
    const json = readJson(root, file) ?? {};
    const value = path.posix.basename(file) === 'package.json' ? ((json.jest as Record<string, unknown>) ?? {}) : json;
    return { get: (key) => value[key] as Literal | undefined };
  }
  const text = readText(root, file);
  return { get: (key) => literalProperty(text, key) };
}

function jestProject(root: string, file: string, warnings: string[]): RunnerProject[] {
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const config = readConfigObject(root, file);
  const rootDirValue = config.get('rootDir');
  const rootDir = typeof rootDirValue === 'string' ? join(dir, rootDirValue) : dir;
  const expand = (value: string): string => value.replace(/<rootDir>\/?/g, rootDir ? `${rootDir}/` : '');
  const projects = config.get('projects');
  if (Array.isArray(projects) && projects.length > 0) {
    // Each project is a directory (with its own config) or an inline config; inline ones fall back to defaults.
    const result: RunnerProject[] = [];
    for (const entry of projects) {
      if (typeof entry === 'string') {
        const projectDir = expand(entry).replace(/\/$/, '');
        const nested = emptyProject('jest', projectDir, file);
        nested.include = JS_TEST_DEFAULTS.map((glob) => join(projectDir, glob));
        result.push(nested);
      } else {
        const nested = emptyProject('jest', rootDir, file);
        const match = typeof entry === 'object' && !Array.isArray(entry) && !isExpression(entry) ? stringList(entry.testMatch) : null;
        nested.include = (match ?? JS_TEST_DEFAULTS).map((glob) => (glob.includes('<rootDir>') ? expand(glob) : join(rootDir, glob)));
        result.push(nested);
      }
    }
    return result;
  }
  const project = emptyProject('jest', dir, file);
  const roots = stringList(config.get('roots'));
  const rootDirs = roots ? roots.map((r) => expand(r).replace(/\/$/, '')) : [rootDir];
  const testMatch = stringList(config.get('testMatch'));
  const testRegex = stringList(config.get('testRegex'));
  if (testMatch === null || testRegex === null) warnings.push(`${file}: testMatch/testRegex is not a literal; using jest's defaults`);
  if (testRegex && testRegex.length > 0) {
    for (const source of testRegex) {
      try {
        project.includeRegex.push(new RegExp(source));
      } catch {
        warnings.push(`${file}: testRegex ${JSON.stringify(source)} is not a valid regular expression`);
      }
    }
  } else {
    for (const glob of testMatch ?? JS_TEST_DEFAULTS) {
      if (glob.startsWith('!')) project.exclude.push(expand(glob.slice(1)));
      else if (glob.includes('<rootDir>')) project.include.push(expand(glob));
      else for (const r of rootDirs) project.include.push(join(r, glob));
    }
  }
  for (const key of ['setupFiles', 'setupFilesAfterEnv', 'globalSetup', 'globalTeardown', 'snapshotResolver', 'testEnvironment']) {
    for (const value of stringList(config.get(key)) ?? []) {
      if (value.startsWith('.') || value.includes('<rootDir>')) project.setupFiles.push(value.includes('<rootDir>') ? expand(value) : join(dir, value));
    }
  }
  const mapper = config.get('moduleNameMapper');
  if (mapper && typeof mapper === 'object' && !Array.isArray(mapper) && !isExpression(mapper)) {
    for (const [pattern, target] of Object.entries(mapper)) {
      const replacement = stringList(target)?.[0];
      if (replacement === undefined) continue;
      try {
        project.aliases.push({ find: new RegExp(pattern), replace: expand(replacement) });
      } catch {
        warnings.push(`${file}: moduleNameMapper key ${JSON.stringify(pattern)} is not a valid regular expression`);
      }
    }
  } else if (mapper !== undefined) warnings.push(`${file}: moduleNameMapper is not a literal object; its aliases are not followed`);
  return [project];
}

// --- vitest -----------------------------------------------------------------------------------

function vitestProject(root: string, file: string, warnings: string[]): RunnerProject {
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const text = readText(root, file);
  const project = emptyProject('vitest', dir, file);
  const include = stringList(literalProperty(text, 'include', 'test'));
  if (include === null) warnings.push(`${file}: test.include is not a literal; using vitest's defaults`);
  project.include = (include ?? VITEST_DEFAULTS).map((glob) => join(dir, glob));
  const exclude = stringList(literalProperty(text, 'exclude', 'test'));
  if (exclude) project.exclude.push(...exclude.map((glob) => join(dir, glob)));
  for (const key of ['setupFiles', 'globalSetup']) {
    for (const value of stringList(literalProperty(text, key, 'test')) ?? []) project.setupFiles.push(join(dir, value));
  }
  const alias = literalProperty(text, 'alias');
  const entries: Array<[string, Literal]> = [];
  if (Array.isArray(alias)) {
    for (const item of alias) {
      if (item && typeof item === 'object' && !Array.isArray(item) && !isExpression(item) && typeof item.find === 'string' && item.replacement !== undefined) {
        entries.push([item.find, item.replacement]);
      }
    }
  } else if (alias && typeof alias === 'object' && !isExpression(alias)) entries.push(...Object.entries(alias));
  for (const [key, value] of entries) {
    const target = typeof value === 'string' ? value : isExpression(value) ? value.paths.find((p) => p.startsWith('.') || p.startsWith('/')) : undefined;
    if (target === undefined) {
      warnings.push(`${file}: alias ${JSON.stringify(key)} is not a literal path; imports through it may be unresolved`);
      continue;
    }
    const replacement = target.startsWith('/') && !target.startsWith(`/${dir}`) ? target : join(dir, target);
    project.aliases.push({ find: new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=/|$)`), replace: replacement });
  }
  return project;
}

// --- mocha, node:test, bats ---------------------------------------------------------------------

function mochaProject(root: string, file: string): RunnerProject {
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const project = emptyProject('mocha', dir, file);
  const base = path.posix.basename(file);
  let spec: string[] | null | undefined;
  let requires: string[] = [];
  let recursive = false;
  if (base === 'package.json' || base.endsWith('.json') || base.endsWith('.jsonc')) {
    const json = base === 'package.json' ? ((readJson(root, file)?.mocha as Record<string, unknown>) ?? {}) : (readJson(root, file) ?? {});
    spec = asStrings(json.spec);
    requires = [...asStrings(json.require), ...asStrings(json.file)];
    recursive = json.recursive === true;
  } else if (/\.ya?ml$/.test(base)) {
    const text = readText(root, file);
    const block = /^spec:\s*(.*)$/m.exec(text);
    spec = block ? (block[1]!.trim() ? [block[1]!.trim().replace(/^['"]|['"]$/g, '')] : [...text.slice(block.index).matchAll(/^\s+-\s*['"]?([^'"\n]+)/gm)].map((m) => m[1]!)) : undefined;
    recursive = /^recursive:\s*true/m.test(text);
  } else {
    const text = readText(root, file);
    spec = stringList(literalProperty(text, 'spec'));
    requires = stringList(literalProperty(text, 'require')) ?? [];
  }
  const specs = spec && spec.length > 0 ? spec : [recursive ? './test/**/*.{js,cjs,mjs}' : './test/*.{js,cjs,mjs}'];
  project.include = specs.map((glob) => (/[*{]/.test(glob) || /\.[cm]?[jt]s$/.test(glob) ? join(dir, glob) : `${join(dir, glob)}/${recursive ? '**/' : ''}*.{js,cjs,mjs}`));
  project.setupFiles = requires.filter((r) => r.startsWith('.')).map((r) => join(dir, r));
  return project;
}

function nodeTestProject(dir: string, script: string, file: string): RunnerProject {
  const project = emptyProject('node-test', dir, file);
  const args = script.slice(script.indexOf('--test') + '--test'.length).split(/\s+|&&|;/);
  const targets: string[] = [];
  for (const arg of args) {
    if (!arg || arg.startsWith('-')) continue;
    if (/^(node|npm|npx|pnpm)$/.test(arg)) break;
    targets.push(arg.replace(/^['"]|['"]$/g, ''));
  }
  if (targets.length === 0) project.include = NODE_TEST_DEFAULTS.map((glob) => join(dir, glob));
  for (const target of targets) {
    if (/[*{]/.test(target) || /\.[cm]?[jt]s$/.test(target)) project.include.push(join(dir, target));
    else project.include.push(...NODE_TEST_DEFAULTS.map((glob) => join(join(dir, target), glob)), `${join(dir, target)}/**/*.?(c|m)js`);
  }
  return project;
}

// --- testpace config ----------------------------------------------------------------------------

function parseTestpaceConfig(value: unknown, source: string): TestpaceConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(source, 'expected an object with "edges", "runAll", "ignore" or "tests"');
  const record = value as Record<string, unknown>;
  const known = new Set(['edges', 'runAll', 'ignore', 'tests', '$schema']);
  for (const key of Object.keys(record)) {
    if (!known.has(key)) throw new InputError(source, `unknown setting "${key}"; expected edges, runAll, ignore or tests`, { jsonPath: `$.${key}` });
  }
  const globs = (key: string): string[] => {
    const v = record[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((g) => typeof g === 'string')) throw new InputError(source, 'expected an array of glob strings', { jsonPath: `$.${key}` });
    return v as string[];
  };
  const edges: TestpaceConfig['edges'] = [];
  const rawEdges = record.edges ?? [];
  if (!Array.isArray(rawEdges)) throw new InputError(source, 'expected an array of {"from": glob, "to": [globs]}', { jsonPath: '$.edges' });
  rawEdges.forEach((edge: unknown, index) => {
    const e = edge as { from?: unknown; to?: unknown };
    const to = typeof e?.to === 'string' ? [e.to] : e?.to;
    if (typeof e?.from !== 'string' || !Array.isArray(to) || !to.every((g) => typeof g === 'string')) {
      throw new InputError(source, 'expected {"from": glob, "to": glob or [globs]}', { jsonPath: `$.edges[${index}]` });
    }
    edges.push({ from: e.from, to: to as string[] });
  });
  return { source, edges, runAll: globs('runAll'), ignore: globs('ignore'), tests: record.tests === undefined ? null : globs('tests') };
}

function loadTestpaceConfig(root: string, files: Set<string>): TestpaceConfig {
  if (files.has('testpace.config.json')) {
    const text = readText(root, 'testpace.config.json');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new InputError('testpace.config.json', `not JSON: ${(error as Error).message}`);
    }
    return parseTestpaceConfig(value, 'testpace.config.json');
  }
  const pkg = files.has('package.json') ? readJson(root, 'package.json') : null;
  if (pkg && pkg.testpace !== undefined) return parseTestpaceConfig(pkg.testpace, 'package.json "testpace"');
  if (files.has('pyproject.toml')) {
    let toml: { tool?: { testpace?: unknown } };
    try {
      toml = parseToml(readText(root, 'pyproject.toml')) as typeof toml;
    } catch (error) {
      throw new InputError('pyproject.toml', `not TOML: ${(error as Error).message.split('\n')[0]}`);
    }
    if (toml.tool?.testpace !== undefined) return parseTestpaceConfig(toml.tool.testpace, 'pyproject.toml [tool.testpace]');
  }
  return { source: null, edges: [], runAll: [], ignore: [], tests: null };
}

// --- putting it together ------------------------------------------------------------------------

/** Finds every runner project in the repository. */
export function loadProject(root: string, files: string[], fileSet: Set<string>): Project {
  const warnings: string[] = [];
  const runners: RunnerProject[] = [];
  const pytestDirs = new Set<string>();
  let hasPython = false;
  for (const file of files) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    if (base.endsWith('.py')) hasPython = true;
    if (/^(\.?pytest\.ini|pyproject\.toml|tox\.ini|setup\.cfg)$/.test(base)) {
      if (pytestDirs.has(dir)) continue;
      const section = pytestSection(root, file);
      if (section || base === 'pytest.ini' || base === '.pytest.ini') {
        pytestDirs.add(dir);
        runners.push(pytestProject(root, file, dir, fileSet));
      }
    } else if (/^jest\.config\.(js|cjs|mjs|ts|cts|mts|json)$/.test(base)) {
      runners.push(...jestProject(root, file, warnings));
    } else if (/^(vitest|vite)\.config\.(js|cjs|mjs|ts|cts|mts)$/.test(base)) {
      if (base.startsWith('vite.') && (files.includes(join(dir, base.replace('vite.', 'vitest.'))) || !/\btest\s*:/.test(readText(root, file)))) continue;
      runners.push(vitestProject(root, file, warnings));
    } else if (/^\.mocharc\.(json|jsonc|ya?ml|js|cjs)$/.test(base)) {
      runners.push(mochaProject(root, file));
    } else if (base === 'package.json') {
      const pkg = readJson(root, file);
      if (!pkg) continue;
      if (pkg.jest !== undefined) runners.push(...jestProject(root, file, warnings));
      if (pkg.mocha !== undefined) runners.push(mochaProject(root, file));
      const scripts = Object.values((pkg.scripts as Record<string, string>) ?? {}).filter((s) => typeof s === 'string');
      const nodeTest = scripts.find((s) => /\bnode\b[^&;|]*--test\b/.test(s));
      if (nodeTest) runners.push(nodeTestProject(dir, nodeTest, file));
      if (scripts.some((s) => /\bmocha\b/.test(s)) && pkg.mocha === undefined && !files.some((f) => f.startsWith(dir ? `${dir}/.mocharc` : '.mocharc'))) {
        runners.push(mochaProject(root, file));
      }
      if (scripts.some((s) => /\bvitest\b/.test(s)) && !files.some((f) => /^(vitest|vite)\.config\./.test(f.slice(dir ? dir.length + 1 : 0)) && f.startsWith(dir))) {
        const project = emptyProject('vitest', dir, file);
        project.include = VITEST_DEFAULTS.map((glob) => join(dir, glob));
        runners.push(project);
      }
      if (scripts.some((s) => /\bjest\b/.test(s)) && pkg.jest === undefined && !files.some((f) => f.startsWith(dir ? `${dir}/jest.config.` : 'jest.config.'))) {
        const project = emptyProject('jest', dir, file);
        project.include = JS_TEST_DEFAULTS.map((glob) => join(dir, glob));
        runners.push(project);
      }
    }
  }
  if (hasPython && pytestDirs.size === 0) runners.push(pytestProject(root, null, '', fileSet));
  if (files.some((f) => f.endsWith('.bats'))) {
    const bats = emptyProject('bats', '', null);
    bats.include = ['**/*.bats'];
    runners.push(bats);
  }
  return { root, runners, config: loadTestpaceConfig(root, fileSet), warnings };
}

/** The test files among `files`, with the runner projects that own each. */
export function discoverTests(project: Project, files: string[], override: string[] | null): Map<string, RunnerProject[]> {
  const tests = new Map<string, RunnerProject[]>();
  const globs = override ?? project.config.tests;
  if (globs) {
    const custom = emptyProject('custom', '', null);
    const match = picomatch(globs, { dot: true });
    for (const file of files) if (match(file)) tests.set(file, [custom]);
    return tests;
  }
  for (const runner of project.runners) {
    const include = runner.include.length > 0 ? picomatch(runner.include, { dot: true }) : () => false;
    const exclude = picomatch(runner.exclude, { dot: true });
    const prefix = runner.dir ? `${runner.dir}/` : '';
    for (const file of files) {
      if (prefix && !file.startsWith(prefix)) continue;
      if (runner.runner === 'pytest' && !file.endsWith('.py')) continue;
      if (!(include(file) || runner.includeRegex.some((r) => r.test(file))) || exclude(file)) continue;
      if (path.posix.basename(file) === 'conftest.py') continue;
      const owners = tests.get(file);
      if (owners) owners.push(runner);
      else tests.set(file, [runner]);
    }
  }
  return tests;
}

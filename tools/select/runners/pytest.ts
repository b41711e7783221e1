// pytest: the rootdir's ini file (pytest.ini, pyproject.toml, tox.ini, setup.cfg) gives testpaths,
// python_files, pythonpath and norecursedirs; each conftest.py's literal collect_ignore and
// collect_ignore_glob lists (and --ignore in addopts) name files pytest leaves out of collection.
// `xargs pytest` would run those anyway (paths given on its command line are never ignored), so
// select must leave them out itself.
import path from 'node:path';
import { parse as parseIni } from 'ini';
import { parse as parseToml } from 'smol-toml';
import { InputError } from '../../../lib/errors.ts';
import { type RunnerProject, asStrings, dirOf, emptyProject, join, parseArgs, readText } from './common.ts';

/** The files that can configure pytest. */
export const PYTEST_CONFIG = /^(\.?pytest\.ini|pyproject\.toml|tox\.ini|setup\.cfg)$/;

/** The pytest settings in a config file, or null when it has none. */
export function pytestSection(root: string, file: string): Record<string, unknown> | null {
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

// pytest's default norecursedirs; `.*` covers .git, .tox, .venv and the like.
const NORECURSE = ['*.egg', '.*', '_darcs', 'build', 'CVS', 'dist', 'node_modules', 'venv', '{arch}'];

/** fnmatch, as pytest matches collect_ignore_glob: `*` also crosses `/`. */
export function fnmatchRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) source += '\\[';
      else {
        const body = pattern.slice(i + 1, close);
        source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** The literal strings of `name = [...]`, `name += [...]`, `name.append("x")`, `name.extend([...])` in a conftest. */
function literalList(text: string, name: string): string[] {
  const out: string[] = [];
  const strings = (body: string): string[] => [...body.matchAll(/(['"])((?:\\.|(?!\1).)*)\1/g)].map((m) => m[2]!);
  for (const match of text.matchAll(new RegExp(`^\\s*${name}\\s*\\+?=\\s*\\[([^\\]]*)\\]`, 'gm'))) out.push(...strings(match[1]!));
  for (const match of text.matchAll(new RegExp(`^\\s*${name}\\.(?:append|extend)\\(([^)]*)\\)`, 'gm'))) out.push(...strings(match[1]!));
  return out;
}

/** The files a conftest.py tells pytest to skip (collect_ignore, collect_ignore_glob), as ignore rules. */
export function conftestIgnores(root: string, conftest: string): RunnerProject['ignore'] {
  const text = readText(root, conftest);
  if (!text.includes('collect_ignore')) return [];
  const dir = dirOf(conftest);
  const rules: RunnerProject['ignore'] = [];
  for (const entry of literalList(text, 'collect_ignore')) {
    const target = join(dir, entry);
    rules.push({ glob: target, why: `${conftest} collect_ignore ${JSON.stringify(entry)}` }, { glob: `${target}/**`, why: `${conftest} collect_ignore ${JSON.stringify(entry)}` });
  }
  for (const entry of literalList(text, 'collect_ignore_glob')) {
    rules.push({ regex: fnmatchRegex(join(dir, entry)), why: `${conftest} collect_ignore_glob ${JSON.stringify(entry)}` });
  }
  return rules;
}

/** The runner project of one pytest rootdir (`file` is its config, or null for the defaults). */
export function pytestProject(root: string, file: string | null, dir: string, files: Set<string>, commandPaths: string[] | null = null): RunnerProject {
  const section = file ? (pytestSection(root, file) ?? {}) : {};
  const project = emptyProject('pytest', dir, file);
  // Paths given on the command line replace testpaths.
  const testpaths = commandPaths ?? splitIni(section.testpaths);
  const patterns = splitIni(section.python_files);
  const names = patterns.length > 0 ? patterns : ['test_*.py', '*_test.py'];
  for (const testpath of testpaths.length > 0 ? testpaths : ['.']) {
    const base = join(dir, testpath.replace(/::.*$/, ''));
    if (files.has(base) || base.endsWith('.py')) project.include.push(base);
    else for (const name of names) project.include.push(base === '.' ? `**/${name}` : `${base}/**/${name}`);
  }
  const norecurse = splitIni(section.norecursedirs);
  for (const pattern of norecurse.length > 0 ? norecurse : NORECURSE) {
    project.exclude.push(`${dir ? `${dir}/` : ''}**/${pattern}/**`);
  }
  project.exclude.push('**/site-packages/**');
  const addopts = parseArgs(splitIni(section.addopts), new Set(['--ignore', '--ignore-glob', '-p', '-k', '-m', '-c', '-o']));
  for (const ignored of addopts.options.get('--ignore') ?? []) {
    const target = join(dir, ignored);
    project.ignore.push({ glob: target, why: `${file} addopts --ignore=${ignored}` }, { glob: `${target}/**`, why: `${file} addopts --ignore=${ignored}` });
  }
  for (const ignored of addopts.options.get('--ignore-glob') ?? []) project.ignore.push({ regex: fnmatchRegex(join(dir, ignored)), why: `${file} addopts --ignore-glob=${ignored}` });
  for (const conftest of files) {
    if (conftest.endsWith('conftest.py') && path.posix.basename(conftest) === 'conftest.py' && (!dir || conftest.startsWith(`${dir}/`))) project.ignore.push(...conftestIgnores(root, conftest));
  }
  project.pythonPath = [dir, ...splitIni(section.pythonpath).map((p) => join(dir, p))];
  if (files.has(join(dir, 'conftest.py'))) project.setupFiles.push(join(dir, 'conftest.py'));
  return project;
}

/** The test paths of a pytest command line (`pytest -q tests/unit`, `python -m pytest x.py`). */
export function pytestCommandPaths(args: string[]): string[] {
  const valued = new Set(['-k', '-m', '-p', '-c', '-o', '--rootdir', '--ignore', '--ignore-glob', '--deselect', '-n', '--maxfail', '--tb', '-r', '--junitxml', '--junit-xml', '--basetemp', '--confcutdir', '--import-mode', '--durations', '-W', '--cov', '--log-level']);
  return parseArgs(args, valued).positionals;
}

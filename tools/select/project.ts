// What the repository is made of, as each runner sees it: which runner configs exist, which files
// are tests (discovered the way each runner discovers them: runners/*.ts, one file per runner),
// setup files, module aliases, Python import roots, and the user's testpace config. A test command
// given after `--` (or found in package.json scripts) says which files the runner will run.
import path from 'node:path';
import picomatch from 'picomatch';
import { UsageError } from '../../lib/errors.ts';
import { batsProject } from './runners/bats.ts';
import { type RunnerName, type RunnerProject, argsAfter, dirOf, emptyProject, readJson, readText, shellCommands } from './runners/common.ts';
import { JEST_CONFIG, jestDefaultProject, jestProject } from './runners/jest.ts';
import { MOCHA_CONFIG, mochaProject } from './runners/mocha.ts';
import { nodeTestProject } from './runners/node-test.ts';
import { PYTEST_CONFIG, pytestCommandPaths, pytestProject, pytestSection } from './runners/pytest.ts';
import { VITEST_CONFIG, vitestDefaultProject, vitestProject } from './runners/vitest.ts';
import { type TestpaceConfig, loadTestpaceConfig } from './testpace-config.ts';

export type { RunnerName, RunnerProject } from './runners/common.ts';
export type { TestpaceConfig } from './testpace-config.ts';

export interface Project {
  root: string;
  runners: RunnerProject[];
  config: TestpaceConfig;
  warnings: string[];
  /** The runner of the test command given after `--`: only its files are tests. */
  command: RunnerProject | null;
}

const MOCHA = /^_?mocha$/;

/** The runner a command runs, with its arguments: `npx mocha a`, `python -m pytest x`, `node --test y`, `npm test` (through the script). */
function commandRunner(words: string[]): { runner: Exclude<RunnerName, 'custom'>; args: string[] } | null {
  const pytest = argsAfter(words, /^(pytest|py\.test)$/);
  if (pytest) return { runner: 'pytest', args: pytest };
  const python = argsAfter(words, /^python[\d.]*$/);
  if (python && python[0] === '-m' && python[1] === 'pytest') return { runner: 'pytest', args: python.slice(2) };
  for (const [runner, name] of [['vitest', /^vitest$/], ['jest', /^jest$/], ['mocha', MOCHA], ['bats', /^bats$/]] as const) {
    const args = argsAfter(words, name);
    if (args) return { runner, args: runner === 'vitest' ? args.filter((a) => !['run', 'watch', 'related'].includes(a)) : args };
  }
  const node = argsAfter(words, /^node$/);
  if (node?.includes('--test')) return { runner: 'node-test', args: node.filter((a) => a !== '--test') };
  return null;
}

/** Finds every runner project in the repository; `command` is the test command given after `--`, if any. */
export function loadProject(root: string, files: string[], fileSet: Set<string>, command: string[] | null = null): Project {
  const warnings: string[] = [];
  const runners: RunnerProject[] = [];
  const pytestConfigs = new Map<string, string>();
  const mochaConfigs = new Map<string, string>();
  const vitestConfigs = new Set<string>();
  const jestConfigs = new Set<string>();
  const packages: string[] = [];
  let hasPython = false;
  let hasBats = false;
  for (const file of files) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    const dir = dirOf(file);
    if (base.endsWith('.py')) hasPython = true;
    else if (base.endsWith('.bats')) hasBats = true;
    if (PYTEST_CONFIG.test(base)) {
      if (pytestConfigs.has(dir)) continue;
      if (pytestSection(root, file) || base === 'pytest.ini' || base === '.pytest.ini') {
        pytestConfigs.set(dir, file);
        runners.push(pytestProject(root, file, dir, fileSet));
      }
    } else if (JEST_CONFIG.test(base)) {
      jestConfigs.add(dir);
      runners.push(...jestProject(root, file, warnings));
    } else if (VITEST_CONFIG.test(base)) {
      if (base.startsWith('vite.') && (fileSet.has(path.posix.join(dir, base.replace('vite.', 'vitest.'))) || !/\btest\s*:/.test(readText(root, file)))) continue;
      vitestConfigs.add(dir);
      runners.push(vitestProject(root, file, warnings));
    } else if (MOCHA_CONFIG.test(base)) {
      mochaConfigs.set(dir, file);
    } else if (base === 'package.json' && !file.includes('node_modules/')) packages.push(file);
  }

  let batsCommands: string[][] = [];
  const batsSetup = new Set<string>();
  const withScripts = new Set<string>();
  for (const file of packages) {
    const pkg = readJson(root, file);
    if (!pkg) continue;
    const dir = dirOf(file);
    if (pkg.jest !== undefined) {
      jestConfigs.add(dir);
      runners.push(...jestProject(root, file, warnings));
    }
    const scripts = Object.values((pkg.scripts as Record<string, unknown>) ?? {}).filter((s): s is string => typeof s === 'string');
    const commands = scripts.flatMap(shellCommands);
    const mochaConfig = mochaConfigs.get(dir) ?? (pkg.mocha !== undefined ? file : undefined);
    const mochaRuns = commands.map((c) => argsAfter(c, MOCHA)).filter((a): a is string[] => a !== null);
    if (mochaRuns.length > 0 || mochaConfig) {
      withScripts.add(dir);
      const seen = new Set<string>();
      for (const args of mochaRuns.length > 0 ? mochaRuns : [null]) {
        const project = mochaProject(root, mochaConfig ?? file, args);
        const signature = project.include.join('\0');
        if (seen.has(signature)) continue;
        seen.add(signature);
        runners.push(project);
      }
    }
    const nodeRuns = commands.map((c) => argsAfter(c, /^node$/)).filter((a): a is string[] => a !== null && a.includes('--test'));
    if (nodeRuns.length > 0) runners.push(nodeTestProject(dir, file, nodeRuns.map((a) => a.filter((w) => w !== '--test'))));
    if (!vitestConfigs.has(dir) && commands.some((c) => argsAfter(c, /^vitest$/))) runners.push(vitestDefaultProject(dir, file));
    if (!jestConfigs.has(dir) && commands.some((c) => argsAfter(c, /^jest$/))) runners.push(jestDefaultProject(dir, file));
    if (dir === '') {
      batsCommands = commands.map((c) => argsAfter(c, /^bats$/)).filter((a): a is string[] => a !== null);
      // A bats of the repository itself (bin/bats test) runs every test: it is a setup file.
      for (const c of commands) for (const word of c) if (/(^|\/)bats$/.test(word) && word.includes('/') && fileSet.has(word.replace(/^\.\//, ''))) batsSetup.add(word.replace(/^\.\//, ''));
    }
  }
  for (const [dir, file] of mochaConfigs) if (!withScripts.has(dir)) runners.push(mochaProject(root, file));
  if (hasPython && pytestConfigs.size === 0) runners.push(pytestProject(root, null, '', fileSet));
  if (hasBats) {
    const bats = batsProject('', packages.includes('package.json') && batsCommands.length > 0 ? 'package.json' : null, batsCommands);
    bats.setupFiles.push(...batsSetup);
    runners.push(bats);
  }

  let commandProject: RunnerProject | null = null;
  if (command && command.length > 0) {
    commandProject = projectOfCommand(root, command, runners, fileSet, warnings);
    commandProject.fromCommand = true;
    runners.unshift(commandProject);
  }
  // A setup file named without its extension (mocha --require test/support/env) is the file node loads.
  for (const runner of runners) {
    runner.setupFiles = runner.setupFiles.map((file) => (fileSet.has(file) ? file : (['.js', '.cjs', '.mjs', '.ts', '/index.js'].map((e) => file + e).find((f) => fileSet.has(f)) ?? file)));
  }
  return { root, runners, config: loadTestpaceConfig(root, fileSet), warnings, command: commandProject };
}

/** The runner project of a test command (`-- npx mocha "test/**"`), or a usage error when no known runner is in it. */
function projectOfCommand(root: string, command: string[], runners: RunnerProject[], fileSet: Set<string>, warnings: string[]): RunnerProject {
  let words = command.length === 1 ? (shellCommands(command[0]!)[0] ?? []) : command;
  // npm test / npm run x / pnpm x / yarn x: the script's own command.
  const manager = /^(npm|pnpm|yarn|bun)$/.test(words[0] ?? '');
  if (manager) {
    const name = words[1] === 'run' || words[1] === 'run-script' ? words[2] : words[1] === 'test' || words[1] === 't' ? 'test' : words[1];
    const scripts = (readJson(root, 'package.json')?.scripts ?? {}) as Record<string, string>;
    const script = name ? scripts[name] : undefined;
    if (script) {
      for (const part of shellCommands(script)) {
        if (commandRunner(part)) {
          words = part;
          break;
        }
      }
    }
  }
  const found = commandRunner(words);
  if (!found) throw new UsageError(`cannot tell which test runner "${command.join(' ')}" runs`, 'give the runner command itself after --, e.g. -- npx mocha "test/**/*.js", -- pytest tests, -- node --test test/');
  const { runner, args } = found;
  const same = runners.filter((r) => r.runner === runner && r.dir === '');
  if (runner === 'pytest') {
    const config = same[0]?.config ?? null;
    const paths = pytestCommandPaths(args);
    return pytestProject(root, config, '', fileSet, paths.length > 0 ? paths : null);
  }
  if (runner === 'mocha') return mochaProject(root, same[0]?.config ?? 'package.json', args);
  if (runner === 'node-test') return nodeTestProject('', 'package.json', [args]);
  if (runner === 'bats') return batsProject('', null, [args]);
  // jest and vitest take filters, not files: their config decides.
  if (same[0]) return { ...same[0] };
  warnings.push(`${runner}: no config found; using its defaults`);
  return runner === 'jest' ? jestDefaultProject('', 'package.json') : vitestDefaultProject('', 'package.json');
}

/** Why a runner leaves `file` out although its include matches, or null. */
export function ignoredBy(runner: RunnerProject, file: string): string | null {
  for (const rule of runner.ignore) {
    if (rule.glob !== undefined && picomatch.isMatch(file, rule.glob, { dot: true })) return rule.why;
    if (rule.regex && rule.regex.test(rule.absolute ? `/${file}` : file)) return rule.why;
  }
  return null;
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
  for (const runner of project.command ? [project.command] : project.runners) {
    const include = runner.include.length > 0 ? picomatch(runner.include, { dot: true }) : () => false;
    const exclude = picomatch(runner.exclude, { dot: true });
    const ignore = runner.ignore.length > 0 ? (file: string) => ignoredBy(runner, file) !== null : () => false;
    const prefix = runner.dir ? `${runner.dir}/` : '';
    for (const file of files) {
      if (prefix && !file.startsWith(prefix)) continue;
      if (runner.runner === 'pytest' && !file.endsWith('.py')) continue;
      if (!(include(file) || runner.includeRegex.some((r) => r.test(file))) || exclude(file) || ignore(file)) continue;
      if (path.posix.basename(file) === 'conftest.py') continue;
      const owners = tests.get(file);
      if (owners) owners.push(runner);
      else tests.set(file, [runner]);
    }
  }
  return tests;
}

/** Runners that say the project has tests (a config or a script runs them), as opposed to defaults guessed from file types. */
export function declaredRunners(project: Project): RunnerProject[] {
  return project.runners.filter((r) => r.config !== null || r.fromCommand);
}

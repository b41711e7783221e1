// jest: testMatch/testRegex, roots, projects and <rootDir> from jest.config.* or package.json
// "jest"; testPathIgnorePatterns (regular expressions on the path) leave files out, as jest does;
// moduleNameMapper maps specifiers to files (the whole specifier becomes the mapped path).
import path from 'node:path';
import { type Literal, asObject, literalProperty, stringList } from '../config-literals.ts';
import { type RunnerProject, dirOf, emptyProject, join, readJson, readText } from './common.ts';

export const JEST_CONFIG = /^jest\.config\.(js|cjs|mjs|ts|cts|mts|json)$/;
export const JS_TEST_DEFAULTS = ['**/__tests__/**/*.?([mc])[jt]s?(x)', '**/?(*.)+(spec|test).?([mc])[jt]s?(x)'];

function readConfigObject(root: string, file: string): { get(key: string): Literal | undefined } {
  if (file.endsWith('.json')) {
    const json = readJson(root, file) ?? {};
    const value = path.posix.basename(file) === 'package.json' ? ((json.jest as Record<string, unknown>) ?? {}) : json;
    return { get: (key) => value[key] as Literal | undefined };
  }
  const text = readText(root, file);
  return { get: (key) => literalProperty(text, key) };
}

export function jestProject(root: string, file: string, warnings: string[]): RunnerProject[] {
  const dir = dirOf(file);
  const config = readConfigObject(root, file);
  const rootDirValue = config.get('rootDir');
  const rootDir = typeof rootDirValue === 'string' ? join(dir, rootDirValue) : dir;
  const expand = (value: string): string => value.replace(/<rootDir>\/?/g, rootDir ? `${rootDir}/` : '');
  const ignorePatterns = (project: RunnerProject, value: Literal | undefined): void => {
    const patterns = stringList(value);
    if (patterns === null) warnings.push(`${file}: testPathIgnorePatterns is not a literal; no test file is left out by it`);
    for (const pattern of patterns ?? []) {
      // jest matches these against the absolute path; repo-relative paths get a leading `/`.
      const source = pattern.includes('<rootDir>') ? pattern.replace(/<rootDir>\/?/g, `^/${rootDir ? `${rootDir}/` : ''}`) : pattern;
      try {
        project.ignore.push({ regex: new RegExp(source), why: `${file} testPathIgnorePatterns ${JSON.stringify(pattern)}`, absolute: true });
      } catch {
        warnings.push(`${file}: testPathIgnorePatterns ${JSON.stringify(pattern)} is not a valid regular expression`);
      }
    }
  };
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
        const inline = asObject(entry);
        const match = inline ? stringList(inline.testMatch) : null;
        nested.include = (match ?? JS_TEST_DEFAULTS).map((glob) => (glob.includes('<rootDir>') ? expand(glob) : join(rootDir, glob)));
        if (inline) ignorePatterns(nested, inline.testPathIgnorePatterns);
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
  ignorePatterns(project, config.get('testPathIgnorePatterns'));
  for (const key of ['setupFiles', 'setupFilesAfterEnv', 'globalSetup', 'globalTeardown', 'snapshotResolver', 'testEnvironment']) {
    for (const value of stringList(config.get(key)) ?? []) {
      if (value.startsWith('.') || value.includes('<rootDir>')) project.setupFiles.push(value.includes('<rootDir>') ? expand(value) : join(dir, value));
    }
  }
  const mapperValue = config.get('moduleNameMapper');
  const mapper = asObject(mapperValue);
  if (mapper) {
    for (const [pattern, target] of Object.entries(mapper)) {
      const replacement = stringList(target)?.[0];
      if (replacement === undefined) continue;
      try {
        project.aliases.push({ find: new RegExp(pattern), replace: expand(replacement), whole: true });
      } catch {
        warnings.push(`${file}: moduleNameMapper key ${JSON.stringify(pattern)} is not a valid regular expression`);
      }
    }
  } else if (mapperValue !== undefined) warnings.push(`${file}: moduleNameMapper is not a literal object; its aliases are not followed`);
  return [project];
}

/** jest run from a package.json script with no config: its defaults. */
export function jestDefaultProject(dir: string, file: string): RunnerProject {
  const project = emptyProject('jest', dir, file);
  project.include = JS_TEST_DEFAULTS.map((glob) => join(dir, glob));
  return project;
}



// vitest (and vite configs with a `test` block): test.include/exclude (read where vitest reads
// them: keys of `test` itself, never those of `test.coverage`), setup files, and resolve.alias in
// its object and array forms, with string or regular-expression keys.
import { type Literal, asObject, expressionPath, isExpression, isRegex, literalProperty, stringList } from '../config-literals.ts';
import { type RunnerProject, dirOf, emptyProject, join, readText } from './common.ts';

export const VITEST_CONFIG = /^(vitest|vite)\.config\.(js|cjs|mjs|ts|cts|mts)$/;
export const VITEST_DEFAULTS = ['**/*.{test,spec}.?(c|m)[jt]s?(x)'];
// What configDefaults.exclude holds (vitest 3): a config that spreads it keeps these.
const VITEST_DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**'];

/** The strings of a list literal, with `...configDefaults.exclude` spread in; null when an item is not literal. */
function excludeList(value: Literal | undefined): string[] | null | undefined {
  if (value === undefined || typeof value === 'string') return stringList(value);
  if (!Array.isArray(value)) return null;
  const out: string[] = [];
  for (const item of value) {
    if (typeof item === 'string') out.push(item);
    else if (isExpression(item) && /^\.\.\.\s*(configDefaults|defaultExclude)/.test(item.expression)) out.push(...VITEST_DEFAULT_EXCLUDE);
    else return null;
  }
  return out;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The aliases of a `resolve.alias` (or `test.alias`) literal, as find → replacement (repo-relative). */
function readAliases(file: string, dir: string, alias: Literal | undefined, warnings: string[]): RunnerProject['aliases'] {
  const entries: Array<[RegExp | string, Literal]> = [];
  if (Array.isArray(alias)) {
    for (const value of alias) {
      const item = asObject(value);
      if (!item || item.replacement === undefined) {
        warnings.push(`${file}: an alias entry is not a literal { find, replacement }; imports through it may be unresolved`);
        continue;
      }
      const find = item.find;
      if (typeof find === 'string') entries.push([find, item.replacement]);
      else if (isRegex(find)) {
        try {
          entries.push([new RegExp(find.regex, find.flags), item.replacement]);
        } catch {
          warnings.push(`${file}: alias /${find.regex}/ is not a valid regular expression`);
        }
      } else warnings.push(`${file}: an alias's find is not a literal; imports through it may be unresolved`);
    }
  } else if (asObject(alias)) entries.push(...Object.entries(asObject(alias)!));
  else if (alias !== undefined) warnings.push(`${file}: resolve.alias is not a literal; imports through it may be unresolved`);
  const aliases: RunnerProject['aliases'] = [];
  for (const [key, value] of entries) {
    const target = expressionPath(value);
    if (target === undefined) {
      warnings.push(`${file}: alias ${String(key)} is not a literal path; imports through it may be unresolved`);
      continue;
    }
    // vite replaces what the find matched (`importee.replace(find, replacement)`); a string find matches itself or a prefix before `/`.
    const replacement = target.startsWith('/') && !target.startsWith(`/${dir}`) ? target : join(dir, target);
    aliases.push({ find: typeof key === 'string' ? new RegExp(`^${escapeRegex(key)}(?=/|$)`) : key, replace: replacement });
  }
  return aliases;
}

export function vitestProject(root: string, file: string, warnings: string[]): RunnerProject {
  const dir = dirOf(file);
  const text = readText(root, file);
  const project = emptyProject('vitest', dir, file);
  const test = literalProperty(text, 'test');
  const settings = asObject(test) ?? {};
  if (test !== undefined && !asObject(test)) warnings.push(`${file}: test is not a literal object; using vitest's defaults`);
  const include = stringList(settings.include);
  if (include === null) warnings.push(`${file}: test.include is not a literal; using vitest's defaults`);
  project.include = (include ?? VITEST_DEFAULTS).map((glob) => join(dir, glob));
  const exclude = excludeList(settings.exclude);
  if (exclude === null) warnings.push(`${file}: test.exclude is not a literal; no file is excluded`);
  for (const glob of exclude ?? []) project.ignore.push({ glob: join(dir, glob), why: `${file} test.exclude ${JSON.stringify(glob)}` });
  for (const key of ['setupFiles', 'globalSetup']) {
    for (const value of stringList(settings[key]) ?? []) project.setupFiles.push(join(dir, value));
  }
  const resolve = literalProperty(text, 'resolve');
  const alias = asObject(resolve)?.alias;
  project.aliases.push(...readAliases(file, dir, alias, warnings), ...readAliases(file, dir, settings.alias, warnings));
  return project;
}

/** A vitest run from a package.json script with no config file: vitest's defaults. */
export function vitestDefaultProject(dir: string, file: string): RunnerProject {
  const project = emptyProject('vitest', dir, file);
  project.include = VITEST_DEFAULTS.map((glob) => join(dir, glob));
  return project;
}

// Resolves JavaScript/TypeScript specifiers the way the runtime and the runners do.
// Relative specifiers are probed against the in-memory file list (extensions, index files,
// `./x.js` → `x.ts`): that is most of a repository's imports, and a probe against a Set costs
// nanoseconds where a resolver's file-system walk costs tens of microseconds. Everything else —
// package.json `exports`/`imports` (#subpaths), node_modules, symlinked workspaces — goes to
// enhanced-resolve, which implements those rules fully; tsconfig `paths`/`baseUrl`/`extends` come
// from get-tsconfig's matcher; runner aliases (jest moduleNameMapper, vite alias) come from the
// runner configs. Deleted files are part of the file list, so importers of a deleted path resolve to it.
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import enhancedResolve from 'enhanced-resolve';
import picomatch from 'picomatch';
import { type TsConfigResult, createPathsMatcher, getTsconfig } from 'get-tsconfig';
import type { RunnerProject } from './project.ts';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.json', '.node'];
const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx', '.d.ts'], '.jsx': ['.tsx'], '.mjs': ['.mts', '.d.mts'], '.cjs': ['.cts', '.d.cts'] };
const BUILTINS = new Set(builtinModules);

interface PackageJson {
  name?: string;
  main?: string;
  module?: string;
  source?: string;
  exports?: unknown;
}

// The paths package.json "exports" maps a subpath to, under any condition (all of them: select
// must not miss the one a runner picks). Handles strings, condition objects, arrays and `*` patterns.
function exportTargets(json: PackageJson, subpath: string): string[] {
  const out: string[] = [];
  const collect = (value: unknown, star: string | null): void => {
    if (typeof value === 'string') out.push(star === null ? value : value.replace(/\*/g, star));
    else if (Array.isArray(value)) for (const item of value) collect(item, star);
    else if (value && typeof value === 'object') for (const item of Object.values(value)) collect(item, star);
  };
  const exports = json.exports;
  if (exports === undefined || exports === null) return out;
  const map = typeof exports === 'string' || Array.isArray(exports) || !Object.keys(exports as object).some((k) => k.startsWith('.')) ? { '.': exports } : (exports as Record<string, unknown>);
  for (const [key, value] of Object.entries(map)) {
    if (key === subpath) collect(value, null);
    else if (key.includes('*')) {
      const [head, tail] = key.split('*') as [string, string];
      if (subpath.startsWith(head) && subpath.endsWith(tail) && subpath.length >= head.length + tail.length) collect(value, subpath.slice(head.length, subpath.length - tail.length));
    }
  }
  return out;
}

export type Resolution = { file: string } | { external: true } | { error: string };

export interface JsResolver {
  resolve(from: string, specifier: string): Resolution;
  /** Files matching a glob made of a template literal (`./locale/*.json`), relative to `from`. */
  glob(from: string, pattern: string): string[];
}

export function createJsResolver(root: string, fileSet: Set<string>, dirs: Set<string>, runners: RunnerProject[]): JsResolver {
  const fileSystem = new enhancedResolve.CachedInputFileSystem(fs, 60_000);
  const resolver = enhancedResolve.ResolverFactory.createResolver({
    fileSystem,
    useSyncFileSystemCalls: true,
    extensions: EXTENSIONS,
    extensionAlias: { '.js': ['.ts', '.tsx', '.js'], '.mjs': ['.mts', '.mjs'], '.cjs': ['.cts', '.cjs'] },
    conditionNames: ['source', 'development', 'node', 'import', 'require', 'module', 'default', 'types'],
    mainFields: ['source', 'module', 'main', 'types'],
    exportsFields: ['exports'],
    importsFields: ['imports'],
    symlinks: true,
  });
  const tsconfigCache = new Map<string, TsConfigResult | null>();
  const matcherCache = new Map<string, ((specifier: string) => string[]) | null>();
  const bareCache = new Map<string, Resolution>();
  const relativeCache = new Map<string, Resolution>();
  const aliasRunners = runners.filter((r) => r.aliases.length > 0);

  const probe = (candidate: string): string | null => {
    // `../src/` names the directory: its index.
    let p = path.posix.normalize(candidate).replace(/(.)\/+$/, '$1');
    if (p === '.' || p === './') p = '';
    if (p.startsWith('../') || p === '..') return null;
    if (fileSet.has(p)) return p;
    const ext = path.posix.extname(p);
    const mapped = JS_TO_TS[ext];
    if (mapped) {
      const stem = p.slice(0, -ext.length);
      for (const alternative of mapped) if (fileSet.has(stem + alternative)) return stem + alternative;
    }
    for (const extension of EXTENSIONS) if (fileSet.has(p + extension)) return p + extension;
    if (p === '' || dirs.has(p)) {
      const pkg = p ? `${p}/package.json` : 'package.json';
      if (fileSet.has(pkg)) {
        try {
          const json = JSON.parse(fs.readFileSync(path.join(root, pkg), 'utf8')) as { main?: string; module?: string; source?: string };
          for (const main of [json.source, json.module, json.main]) {
            if (typeof main === 'string' && main !== '.' && main !== './') {
              const hit = probe(p ? `${p}/${main}` : main);
              if (hit) return hit;
            }
          }
        } catch {
          // a broken package.json: the index probe below still applies
        }
      }
      const index = p ? `${p}/index` : 'index';
      for (const extension of EXTENSIONS) if (fileSet.has(index + extension)) return index + extension;
    }
    return null;
  };

  const tsconfigFor = (dir: string): TsConfigResult | null => {
    const known = tsconfigCache.get(dir);
    if (known !== undefined) return known;
    let result: TsConfigResult | null = null;
    try {
      result = getTsconfig(path.join(root, dir)) ?? null;
      if (result && !path.relative(root, result.path).split(path.sep).every((part) => part !== '..')) result = null;
    } catch {
      result = null;
    }
    tsconfigCache.set(dir, result);
    return result;
  };

  const pathsMatcher = (dir: string): ((specifier: string) => string[]) | null => {
    const tsconfig = tsconfigFor(dir);
    if (!tsconfig) return null;
    const known = matcherCache.get(tsconfig.path);
    if (known !== undefined) return known;
    const matcher = createPathsMatcher(tsconfig);
    matcherCache.set(tsconfig.path, matcher);
    return matcher;
  };

  const toRepo = (absolute: string): string | null => {
    const relative = path.relative(root, absolute);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
    return relative.split(path.sep).join('/');
  };

  // A workspace package's built entry (dist/index.js) maps back to its source (src/index.ts).
  const toSource = (file: string): string | null => {
    if (fileSet.has(file)) return file;
    const swapped = file.replace(/\/(dist|build|lib|out)\//, '/src/').replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
    return probe(swapped);
  };

  // Packages of this repository by name (workspaces, or a package importing itself): they resolve
  // to their source even when their package.json points at a build output that does not exist yet.
  let packages: Map<string, { dir: string; json: PackageJson }> | undefined;
  const localPackages = (): Map<string, { dir: string; json: PackageJson }> => {
    if (packages) return packages;
    packages = new Map();
    for (const file of fileSet) {
      if (!(file === 'package.json' || file.endsWith('/package.json')) || file.includes('node_modules/')) continue;
      try {
        const json = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as PackageJson;
        if (typeof json.name === 'string') packages.set(json.name, { dir: path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file), json });
      } catch {
        // unreadable or deleted: not a package we can resolve into
      }
    }
    return packages;
  };

  const resolveWorkspace = (specifier: string): Resolution | null => {
    const parts = specifier.split('/');
    const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    const local = localPackages().get(name);
    if (!local) return null;
    const sub = specifier.slice(name.length).replace(/^\//, '');
    const { dir, json } = local;
    const inDir = (p: string): string => path.posix.normalize(dir ? `${dir}/${p}` : p);
    const candidates: string[] = [];
    for (const target of exportTargets(json, sub ? `./${sub}` : '.')) candidates.push(inDir(target));
    if (!sub) for (const main of [json.source, json.module, json.main]) if (typeof main === 'string') candidates.push(inDir(main));
    candidates.push(inDir(sub ? `src/${sub}` : 'src/index'), inDir(sub || 'index'));
    for (const candidate of candidates) {
      const hit = toSource(candidate) ?? probe(candidate);
      if (hit) return { file: hit };
    }
    return { error: `the workspace package ${name} has no file for ${sub ? `./${sub}` : 'its entry point'}` };
  };

  const resolveBare = (fromDir: string, specifier: string): Resolution => {
    const key = `${fromDir}\0${specifier}`;
    const known = bareCache.get(key);
    if (known) return known;
    let result: Resolution;
    try {
      const resolved = resolver.resolveSync({}, path.join(root, fromDir), specifier);
      if (resolved === false) result = { external: true };
      else {
        const real = toRepo(resolved);
        if (real === null || real.includes('node_modules/')) result = { external: true };
        else result = { file: toSource(real) ?? real };
      }
    } catch (error) {
      result = { error: String((error as Error).message).split('\n')[0]!.slice(0, 200) };
    }
    bareCache.set(key, result);
    return result;
  };

  const resolve = (from: string, specifier: string): Resolution => {
    const spec = specifier.replace(/\?.*$/, ''); // `./x.svg?raw`
    const fromDir = path.posix.dirname(from) === '.' ? '' : path.posix.dirname(from);
    // Runner aliases of the projects that contain this file (jest maps relative specifiers too: `\.css$`).
    for (const runner of aliasRunners) {
      if (runner.dir && !from.startsWith(`${runner.dir}/`)) continue;
      for (const alias of runner.aliases) {
        const match = alias.find.exec(spec);
        if (!match) continue;
        // jest maps the whole specifier to the mapped path; vite replaces what the find matched.
        const replaced = alias.whole ? alias.replace.replace(/\$(\d+)/g, (_, n: string) => match[Number(n)] ?? '') : spec.replace(alias.find, alias.replace);
        const hit = probe(replaced.replace(/^\//, ''));
        if (hit) return { file: hit };
        if (!replaced.startsWith('.') && !replaced.startsWith('/') && replaced !== spec) return resolve(from, replaced);
      }
    }
    if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
      const key = `${fromDir}\0${spec}`;
      let result = relativeCache.get(key);
      if (!result) {
        const hit = probe(fromDir ? `${fromDir}/${spec}` : spec);
        result = hit ? { file: hit } : { error: 'no such file' };
        relativeCache.set(key, result);
      }
      return result;
    }
    if (spec.startsWith('node:') || BUILTINS.has(spec) || /^[a-z]+:/.test(spec)) return { external: true };
    if (spec.startsWith('/')) {
      const inRepo = toRepo(spec);
      const hit = inRepo === null ? null : probe(inRepo);
      return hit ? { file: hit } : { external: true };
    }
    const matcher = pathsMatcher(fromDir);
    if (matcher) {
      for (const candidate of matcher(spec)) {
        const inRepo = toRepo(candidate);
        const hit = inRepo === null ? null : probe(inRepo);
        if (hit) return { file: hit };
      }
    }
    return resolveWorkspace(spec) ?? resolveBare(fromDir, spec);
  };

  // A glob from a template literal (`./locale/*.json`) or import.meta.glob (`./pages/**/*.ts`,
  // `/src/**/*.ts` from the Vite project's root), against the file list.
  const viteRoots = runners.filter((r) => r.runner === 'vitest').map((r) => r.dir).sort((a, b) => b.length - a.length);
  const glob = (from: string, pattern: string): string[] => {
    let full: string;
    if (pattern.startsWith('./') || pattern.startsWith('../')) full = path.posix.normalize(`${path.posix.dirname(from)}/${pattern}`);
    else if (pattern.startsWith('/')) {
      const base = viteRoots.find((dir) => dir === '' || from.startsWith(`${dir}/`)) ?? '';
      full = path.posix.normalize(`${base}/${pattern.slice(1)}`).replace(/^\//, '');
    } else return [];
    const special = full.search(/[*?[{]/);
    const prefix = special === -1 ? full : full.slice(0, special);
    const matcher = picomatch(full, { dot: true });
    const out: string[] = [];
    for (const file of fileSet) if (file.startsWith(prefix) && matcher(file)) out.push(file);
    return out;
  };

  return { resolve, glob };
}

/** Whether a file is JavaScript or TypeScript source. */
export const isJsFile = (file: string): boolean => /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/.test(file);

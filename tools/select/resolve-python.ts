// Resolves Python imports to files the way the interpreter under pytest finds them: on the
// sys.path entries pytest sets up (the test's rootdir-based basedir in the default "prepend"
// import mode, `pythonpath` from the ini file, the rootdir itself, a src/ layout), through
// package `__init__.py` chains (importing a.b.c runs a/__init__.py and a/b/__init__.py first),
// and `from pkg import name` where name may be a submodule.
import path from 'node:path';
import type { Ref } from './scan-js.ts';
import type { RunnerProject } from './project.ts';
import { PYTHON_STDLIB } from './python-stdlib.ts';

export interface PythonResolution {
  files: string[];
  /** Set when the import looks local (its package exists here) but the module was not found. */
  error?: string;
}

export interface PythonResolver {
  resolve(from: string, ref: Ref): PythonResolution;
}

export function createPythonResolver(fileSet: Set<string>, dirs: Set<string>, runners: RunnerProject[]): PythonResolver {
  const pytest = runners.filter((r) => r.runner === 'pytest');
  const basedirCache = new Map<string, string>();
  const rootsCache = new Map<string, string[]>();
  const join = (dir: string, rest: string): string => (dir ? `${dir}/${rest}` : rest);

  // The first ancestor directory that is not a package: what pytest's prepend mode puts on sys.path.
  const basedir = (dir: string): string => {
    const known = basedirCache.get(dir);
    if (known !== undefined) return known;
    let current = dir;
    while (current && fileSet.has(join(current, '__init__.py'))) current = current.includes('/') ? current.slice(0, current.lastIndexOf('/')) : '';
    basedirCache.set(dir, current);
    return current;
  };

  const rootsFor = (dir: string): string[] => {
    const known = rootsCache.get(dir);
    if (known) return known;
    const roots = [basedir(dir)];
    for (const runner of pytest) {
      if (runner.dir && !(dir === runner.dir || dir.startsWith(`${runner.dir}/`))) continue;
      roots.push(...runner.pythonPath);
      const src = join(runner.dir, 'src');
      if (dirs.has(src)) roots.push(src);
    }
    roots.push('');
    if (dirs.has('src')) roots.push('src');
    const unique = [...new Set(roots)];
    rootsCache.set(dir, unique);
    return unique;
  };

  // The files importing `parts` (under `base`) executes: each package's __init__.py, then the module.
  const moduleFiles = (base: string, parts: string[], withChain: boolean): string[] | null => {
    const out: string[] = [];
    let dir = base;
    for (let i = 0; i < parts.length - 1; i++) {
      dir = join(dir, parts[i]!);
      if (withChain && fileSet.has(`${dir}/__init__.py`)) out.push(`${dir}/__init__.py`);
      else if (!dirs.has(dir)) return null;
    }
    const last = join(dir, parts[parts.length - 1]!);
    if (fileSet.has(`${last}.py`)) out.push(`${last}.py`);
    else if (fileSet.has(`${last}/__init__.py`)) out.push(`${last}/__init__.py`);
    else if (dirs.has(last)) {
      // A namespace package: nothing runs, but it exists.
    } else return null;
    return out;
  };

  const submodules = (packagePath: string, names: string[] | undefined): string[] => {
    const out: string[] = [];
    for (const name of names ?? []) {
      if (name === '*') continue;
      const candidate = join(packagePath, name);
      if (fileSet.has(`${candidate}.py`)) out.push(`${candidate}.py`);
      else if (fileSet.has(`${candidate}/__init__.py`)) out.push(`${candidate}/__init__.py`);
    }
    return out;
  };

  // The modules a pattern (`pkg.*`, from an f-string) can name under `base`.
  const globModules = (base: string, parts: string[]): string[] => {
    const source = parts.map((part) => part.split('*').map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('/');
    const pattern = new RegExp(`^${base ? `${base.replace(/[.+?^${}()|[\]\\]/g, '\\$&')}/` : ''}${source}(\\.py|/__init__\\.py)$`);
    return [...fileSet].filter((file) => pattern.test(file));
  };

  const resolve = (from: string, ref: Ref): PythonResolution => {
    const fromDir = path.posix.dirname(from) === '.' ? '' : path.posix.dirname(from);
    const level = ref.level ?? 0;
    const parts = ref.specifier ? ref.specifier.split('.') : [];
    if (ref.glob) {
      let base = fromDir;
      for (let i = 1; i < level; i++) base = base.includes('/') ? base.slice(0, base.lastIndexOf('/')) : '';
      const bases = level > 0 ? [base] : rootsFor(fromDir);
      const files = [...new Set(bases.flatMap((b) => globModules(b, parts)))].filter((f) => f !== from);
      return files.length > 0 || level > 0 ? { files } : { files: [] };
    }
    if (level > 0) {
      let base = fromDir;
      for (let i = 1; i < level; i++) base = base.includes('/') ? base.slice(0, base.lastIndexOf('/')) : '';
      if (parts.length === 0) {
        const init = join(base, '__init__.py');
        const files = [...(fileSet.has(init) ? [init] : []), ...submodules(base, ref.names)];
        return files.length > 0 || dirs.has(base) ? { files } : { files: [], error: 'no such package' };
      }
      const files = moduleFiles(base, parts, true);
      if (!files) return { files: [], error: 'no such module' };
      return { files: [...files, ...submodules(join(base, parts.join('/')), ref.names)] };
    }
    if (parts.length === 0) return { files: [] };
    let localTop = false;
    const found: string[] = [];
    let namespace = false;
    for (const root of rootsFor(fromDir)) {
      const top = join(root, parts[0]!);
      if (fileSet.has(`${top}.py`) || dirs.has(top)) localTop = true;
      const files = moduleFiles(root, parts, true);
      if (files && files.length === 0 && !fileSet.has(`${top}/__init__.py`)) {
        // A directory without __init__.py is a namespace package only if no regular module of that name comes later on sys.path.
        namespace = true;
        continue;
      }
      if (files) {
        found.push(...files, ...submodules(join(root, parts.join('/')), ref.names));
        break; // the first sys.path entry that has it wins, as in Python
      }
    }
    if (found.length > 0) return { files: [...new Set(found)] };
    // The standard library is loaded before any test runs; a directory named like one of its modules does not shadow it.
    if (PYTHON_STDLIB.has(parts[0]!) || namespace) return { files: [] };
    // Not here: the standard library or an installed package, unless its top-level package is ours.
    return localTop ? { files: [], error: 'no such module in the local package' } : { files: [] };
  };

  return { resolve };
}

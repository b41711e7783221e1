// The heaviest imports of the Python test modules, measured by `python3 -X importtime`: the modules the
// test files import are imported (not the test files, and no test runs) in one fresh interpreter, with
// the pytest `pythonpath` setting and the rootdir on sys.path as pytest would have them.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseIni } from 'ini';
import { parse as parseToml } from 'smol-toml';
import { runHelper } from '../../lib/subprocess.ts';

export interface ImportCost {
  module: string;
  cumulativeMs: number;
}

/** pytest's `pythonpath` ini option (pytest.ini, pyproject.toml, tox.ini, setup.cfg), as directories. */
export function pytestPythonPath(cwd: string): string[] {
  const read = (name: string) => (existsSync(path.join(cwd, name)) ? readFileSync(path.join(cwd, name), 'utf8') : undefined);
  const words = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : []);
  try {
    const ini = read('pytest.ini');
    if (ini !== undefined) return words(parseIni(ini).pytest?.pythonpath);
    const pyproject = read('pyproject.toml');
    const options = pyproject === undefined ? undefined : ((parseToml(pyproject).tool as Record<string, Record<string, unknown>> | undefined)?.pytest?.ini_options as Record<string, unknown> | undefined);
    if (options) return words(options.pythonpath);
    for (const [name, section] of [['tox.ini', 'pytest'], ['setup.cfg', 'tool:pytest']] as const) {
      const text = read(name);
      if (text !== undefined && parseIni(text)[section]) return words(parseIni(text)[section].pythonpath);
    }
  } catch {
    return [];
  }
  return [];
}

/** Cumulative import time of each requested top-level module, heaviest first; modules that fail to import are left out. */
export async function measureImports(modules: readonly string[], cwd: string, python: string, env: NodeJS.ProcessEnv): Promise<ImportCost[]> {
  const paths = [cwd, ...pytestPythonPath(cwd).map((p) => path.resolve(cwd, p))];
  const program = [
    'import sys',
    `sys.path[:0] = ${JSON.stringify(paths)}`,
    `for name in ${JSON.stringify(modules)}:`,
    '    try:',
    // __import__, not importlib.import_module: only the former goes through the C import that -X importtime times.
    '        __import__(name)',
    '    except BaseException:',
    '        pass',
  ].join('\n');
  const output = await runHelper(python, ['-X', 'importtime', '-c', program], { cwd, env: { ...env, PYTHONDONTWRITEBYTECODE: '1' }, anyExit: true }).catch(() => null);
  if (output === null) return [];
  // Lines: "import time:  self [us] | cumulative | imported package"; nesting is indentation of the name.
  const costs = new Map<string, number>();
  for (const line of output.stderr.split('\n')) {
    if (!line.startsWith('import time:')) continue;
    const parts = line.slice('import time:'.length).split('|');
    if (parts.length !== 3) continue;
    const cumulative = Number(parts[1]!.trim());
    const name = parts[2]!.slice(1);
    if (name.startsWith(' ') || !Number.isFinite(cumulative)) continue;
    // A top-level line covers the module asked for and the package it belongs to.
    if (modules.some((m) => m === name || m.startsWith(name + '.'))) costs.set(name, Math.max(costs.get(name) ?? 0, cumulative / 1000));
  }
  return [...costs].map(([module, cumulativeMs]) => ({ module, cumulativeMs })).sort((a, b) => b.cumulativeMs - a.cumulativeMs);
}

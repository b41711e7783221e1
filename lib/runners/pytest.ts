// pytest: testpace's plugin (pytest_plugin.py) loaded with `-p` after `pytest`/`-m pytest`, found
// through PYTHONPATH; with pytest hidden behind make, tox or a script, through PYTEST_PLUGINS.
import path from 'node:path';
import { type Adapter, insertArgs, writeRunFile } from './adapter.ts';
import { PYTEST_PLUGIN_MODULE, PYTEST_PLUGIN_SOURCE } from './pytest-plugin.ts';

/**
 * The command with `NAME=value` assignments before the runner (`env PYTHONPATH=src pytest`, which
 * would replace the environment's value) extended with `extra`, joined by `separator`.
 */
function extendAssignments(command: readonly string[], end: number, name: string, extra: string, separator: string): string[] {
  return command.map((arg, i) => (i < end && arg.startsWith(`${name}=`) ? `${name}=${[extra, arg.slice(name.length + 1)].filter(Boolean).join(separator)}` : arg));
}

export const instrumentPytest: Adapter = async (context) => {
  writeRunFile(context, `${PYTEST_PLUGIN_MODULE}.py`, PYTEST_PLUGIN_SOURCE);
  const pythonPath = [context.tmpDir, context.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  const env: NodeJS.ProcessEnv = { ...context.env, PYTHONPATH: pythonPath };
  const end = context.insertAt ?? context.command.length;
  const command = extendAssignments(context.command, end, 'PYTHONPATH', context.tmpDir, path.delimiter);
  if (context.insertAt === undefined) {
    const plugins = [env.PYTEST_PLUGINS, PYTEST_PLUGIN_MODULE].filter(Boolean).join(',');
    return { command: extendAssignments(command, end, 'PYTEST_PLUGINS', PYTEST_PLUGIN_MODULE, ','), env: { ...env, PYTEST_PLUGINS: plugins } };
  }
  return { command: insertArgs(command, context.insertAt, ['-p', PYTEST_PLUGIN_MODULE]), env };
};

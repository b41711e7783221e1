// pytest: testpace's plugin (pytest_plugin.py) loaded with `-p` after `pytest`/`-m pytest`, found
// through PYTHONPATH; with pytest hidden behind make, tox or a script, through PYTEST_PLUGINS.
import path from 'node:path';
import { type Adapter, insertArgs, writeRunFile } from './adapter.ts';
import { PYTEST_PLUGIN_MODULE, PYTEST_PLUGIN_SOURCE } from './pytest-plugin.ts';

export const instrumentPytest: Adapter = async (context) => {
  writeRunFile(context, `${PYTEST_PLUGIN_MODULE}.py`, PYTEST_PLUGIN_SOURCE);
  const pythonPath = [context.tmpDir, context.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  const env: NodeJS.ProcessEnv = { ...context.env, PYTHONPATH: pythonPath };
  if (context.insertAt === undefined) {
    const plugins = [env.PYTEST_PLUGINS, PYTEST_PLUGIN_MODULE].filter(Boolean).join(',');
    return { command: [...context.command], env: { ...env, PYTEST_PLUGINS: plugins } };
  }
  return { command: insertArgs(context.command, context.insertAt, ['-p', PYTEST_PLUGIN_MODULE]), env };
};

// The configuration testpace gives vitest (copied to the run's temp dir, passed with --config): the
// user's own configuration, whatever it exports, with testpace's reporter added beside the reporters
// it configures (or vitest's defaults). The adapter writes the two files imported here next to it:
// the user's config re-exported (or an empty one) and the settings below.
import userConfig from './vitest-user-config.mjs';
import settings from './vitest-settings.json';

/** reporter: testpace's reporter module; hook: whether vitest calls configureVitest (>= 3.1); workspace: vitest < 4's workspace file beside the user's config. */
const { reporter, hook, workspace } = settings;

const plugin = {
  name: 'testpace',
  // Called once per project, after vitest has resolved its reporters (its defaults included): add ours once.
  configureVitest({ vitest }) {
    const reporters = vitest.config.reporters;
    if (!reporters.some((entry) => (Array.isArray(entry) ? entry[0] : entry) === reporter)) reporters.push([reporter, {}]);
  },
};

export default async function testpaceConfig(env) {
  let config = typeof userConfig === 'function' ? await userConfig(env) : userConfig;
  config = (await config) ?? {};
  const test = { ...config.test };
  // vitest < 4 looks for a workspace file next to the config file, which is now this one.
  if (workspace && test.workspace === undefined) test.workspace = workspace;
  const plugins = [...(config.plugins ?? [])];
  if (test.reporters !== undefined) test.reporters = [...(Array.isArray(test.reporters) ? test.reporters : [test.reporters]), reporter];
  else if (hook) plugins.push(plugin);
  else test.reporters = ['default', reporter];
  return { ...config, test, plugins };
}

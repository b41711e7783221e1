'use strict';
// The configuration testpace gives jest (copied to the run's temp dir, passed with --config): the user's
// own, read by the running jest's own jest-config exactly as jest would read it, with testpace's reporter
// added beside the reporters it configures (or jest's default). jest-settings.json, written next to it
// by the adapter, names the user's --config (if any), the directory jest starts from and the reporter.
const { createRequire } = require('node:module');
const settings = require('./jest-settings.json');

/** The jest-config module of the jest that runs: found from jest's own entry script, whatever the layout (pnpm included). */
function jestConfig() {
  const main = require.main?.filename ?? process.argv[1];
  const chains = [['jest-config'], ['jest-cli', 'jest-config'], ['jest', 'jest-cli', 'jest-config'], ['@jest/core', 'jest-config']];
  for (const chain of chains) {
    try {
      let from = main;
      for (const name of chain.slice(0, -1)) from = createRequire(from).resolve(`${name}/package.json`);
      return createRequire(from)(chain.at(-1));
    } catch {
      // not in this layout: try the next
    }
  }
  throw new Error('testpace: cannot find the jest-config of the running jest');
}

module.exports = async function testpaceJestConfig() {
  const { config } = await jestConfig().readInitialOptions(settings.config ?? undefined, { packageRootOrConfig: settings.cwd });
  const reporters = config.reporters ?? ['default'];
  return { ...config, reporters: [...reporters, settings.reporter] };
};

'use strict';
// The configuration testpace gives jest (copied to the run's temp dir, passed with --config): the user's
// own, read by the running jest's own jest-config exactly as jest would read it, with testpace's reporter
// added beside the reporters it configures (or jest's default). jest-settings.json, written next to it
// by the adapter, names the user's --config (if any), the directory jest starts from and the reporter.
const { createHash } = require('node:crypto');
const { createRequire } = require('node:module');
const path = require('node:path');
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

/**
 * The id jest gives a project config without one (jest-config's normalize), its transform cache named
 * after it: jest reads the config of the directory it starts in as project 0.
 */
function jestId(config, configPath) {
  return createHash('sha1')
    .update(path.normalize(config.rootDir))
    .update(configPath ?? '')
    .update('0')
    .digest('hex')
    .slice(0, 32);
}

module.exports = async function testpaceJestConfig() {
  const { config, configPath } = await jestConfig().readInitialOptions(settings.config ?? undefined, { packageRootOrConfig: settings.cwd });
  const reporters = config.reporters ?? ['default'];
  // The id jest would give the user's config, not this file's: the same transform cache as a bare run.
  return { ...config, id: config.id ?? jestId(config, configPath), reporters: [...reporters, settings.reporter] };
};

// The real public projects bench/select-mutation.ts breaks, one module at a time. Each entry says
// how to run the project's whole suite with its own runner and read which test files failed, how
// to list its test files (the denominator of the share selected), and which files to break.
// A developer clones each from its public repository (or a local mirror) and installs its
// dependencies as the project documents; nothing of these projects is committed here.

export type RealRunner = 'pytest' | 'vitest' | 'jest' | 'mocha' | 'node-test' | 'bats';

export interface RealProject {
  name: string;
  /** owner+name, as mirrored (and owner/name on the public host). */
  mirror: string;
  runner: RealRunner;
  /** Globs of the files to break (sources, not tests). */
  sources: string[];
  /** Extra environment for the runs (e.g. PYTHONPATH=src, so the checkout is tested, not an installed copy). */
  env?: Record<string, string>;
  /** A shell command run before each suite run (a build the tests import the output of). */
  build?: string;
  /** The test files as the project runs them (globs), for runners that take files (mocha, node:test, bats). */
  tests?: string[];
  /** Extra arguments for the runner (mocha: --require, --recursive). */
  args?: string[];
  /** A peer that lists related tests: jest --findRelatedTests, vitest related. */
  peer?: 'jest' | 'vitest';
}

const PYTHON = { PYTHONPATH: 'src', PYTHONDONTWRITEBYTECODE: '1' };

export const REAL_PROJECTS: RealProject[] = [
  { name: 'attrs', mirror: 'python-attrs+attrs', runner: 'pytest', sources: ['src/**/*.py'], env: PYTHON },
  { name: 'click', mirror: 'pallets+click', runner: 'pytest', sources: ['src/**/*.py'], env: PYTHON },
  { name: 'packaging', mirror: 'pypa+packaging', runner: 'pytest', sources: ['src/**/*.py'], env: PYTHON },
  { name: 'structlog', mirror: 'hynek+structlog', runner: 'pytest', sources: ['src/**/*.py'], env: PYTHON },
  { name: 'ufo', mirror: 'unjs+ufo', runner: 'vitest', sources: ['src/**/*.ts'], peer: 'vitest' },
  { name: 'luxon', mirror: 'moment+luxon', runner: 'jest', sources: ['src/**/*.js'], peer: 'jest' },
  { name: 'sinon', mirror: 'sinonjs+sinon', runner: 'mocha', sources: ['src/**/*.js'], tests: ['test/{src,issues,scripts}/**/*-test.js'], args: ['--recursive'] },
  { name: 'express', mirror: 'expressjs+express', runner: 'mocha', sources: ['lib/**/*.js', 'index.js'], tests: ['test/*.js', 'test/acceptance/*.js'], args: ['--require', 'test/support/env', '--check-leaks'] },
  { name: 'marked', mirror: 'markedjs+marked', runner: 'node-test', sources: ['src/**/*.ts'], build: 'node esbuild.config.js >/dev/null', tests: ['test/unit/*.test.js', 'test/run-spec-tests.js'] },
  { name: 'bats-core', mirror: 'bats-core+bats-core', runner: 'bats', sources: ['lib/**/*.bash', 'libexec/**/*'], tests: ['test/*.bats'] },
];

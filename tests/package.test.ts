// The npm package as users get it: `npm pack` holds the five executables and nothing a user does not
// need, and each tool works after `npm i -D` and through `npx` from another project, on every Node
// users run (this machine's, and 22 and 24 as scripts/node-versions.sh fetches them).
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir, writeTree } from './helpers.ts';

const run = promisify(execFile);
const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const tools = ['profile', 'mem-profile', 'optimize', 'select', 'report'];

let work: string;
let tarball: string;
/** npm, its cache and its config kept inside the test's directory. */
let npmEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  work = await tempDir('testpace-package-');
  npmEnv = { ...process.env, npm_config_cache: path.join(work, 'npm-cache'), npm_config_userconfig: path.join(work, 'npmrc'), npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  // The bundles are built by the suite's global set-up; the pack script (prepack) would build them again.
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: repoRoot, env: npmEnv });
  tarball = path.join(work, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Each Node binary to run the tools with: this one, then those scripts/node-versions.sh provides.
 * Inside a Nix build (the flake's checks), which has no network, only this one.
 */
function nodes(): string[] {
  if (process.env.NIX_BUILD_TOP) return [process.execPath];
  const fetched = execFileSync(path.join(repoRoot, 'scripts', 'node-versions.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return [process.execPath, ...fetched.split('\n').filter(Boolean)];
}

describe('the npm package', () => {
  it('holds the five executables, testpace.mk and the package metadata, nothing else', () => {
    const listing = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    expect(listing).toEqual(['package/README.md', 'package/dist/testpace-mem-profile.cjs', 'package/dist/testpace-optimize.cjs', 'package/dist/testpace-profile.cjs', 'package/dist/testpace-report.cjs', 'package/dist/testpace-select.cjs', 'package/package.json', 'package/testpace.mk', ...(listing.includes('package/LICENSE') ? ['package/LICENSE'] : [])].sort());
    const manifest = JSON.parse(execFileSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(manifest.private).toBeUndefined();
    // Self-contained bundles: installing the package fetches nothing more.
    expect(manifest.dependencies).toBeUndefined();
  });

  it('works after npm i -D in another project, on each Node users run', async () => {
    const project = path.join(work, 'project');
    await writeTree(project, {
      'package.json': JSON.stringify({ name: 'user-project', version: '1.0.0', private: true, scripts: { test: 'node --test' } }),
      'src/cart.js': 'exports.total = (prices) => prices.reduce((a, b) => a + b, 0);\n',
      'test/cart.test.js': "const { test } = require('node:test');\nconst assert = require('node:assert');\nconst { total } = require('../src/cart.js');\ntest('adds', () => assert.strictEqual(total([1, 2]), 3));\ntest('waits', async () => { await new Promise((resolve) => setTimeout(resolve, 50)); });\n",
    });
    await run('npm', ['install', '--save-dev', '--offline', tarball], { cwd: project, env: npmEnv });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: project, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '-A', 'src', 'test', 'package.json');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'start');
    writeFileSync(path.join(project, 'src', 'cart.js'), 'exports.total = (prices) => prices.reduce((a, b) => a + b, 0); // changed\n');

    const bin = path.join(project, 'node_modules', '.bin');
    const seen: string[] = [];
    for (const node of nodes()) {
      // The executables start through `#!/usr/bin/env node`: the first node on PATH is the one they run on.
      const env = { ...npmEnv, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' };
      const tool = (name: string, args: string[]) => run(path.join(bin, `testpace-${name}`), args, { cwd: project, env, maxBuffer: 32 * 1024 * 1024 });
      const nodeVersion = execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
      for (const name of tools) expect((await tool(name, ['--version'])).stdout.trim(), `${name} on ${nodeVersion}`).toBe(version);

      const out = path.join(work, `v${nodeVersion}`);
      mkdirSync(out);
      await tool('profile', ['-q', '--out', path.join(out, 'profile.json'), '--', 'node', '--test', 'test/cart.test.js']);
      const profile = JSON.parse(readFileSync(path.join(out, 'profile.json'), 'utf8')) as { environment: { runtimes: { node: string } }; summary: { counts: { passed: number } } };
      expect(profile.environment.runtimes.node, 'profile ran on the Node first on PATH').toBe(nodeVersion);
      expect(profile.summary.counts.passed).toBe(2);
      await tool('mem-profile', ['-q', '--out', path.join(out, 'memory.json'), '--', 'node', '--test', 'test/cart.test.js']);
      expect(JSON.parse(readFileSync(path.join(out, 'memory.json'), 'utf8'))).toMatchObject({ kind: 'memory', status: 'passed' });
      await tool('optimize', ['test', '--profile', path.join(out, 'profile.json'), '--out', path.join(out, 'optimization.json')]);
      expect(JSON.parse(readFileSync(path.join(out, 'optimization.json'), 'utf8'))).toMatchObject({ kind: 'optimization' });
      expect((await tool('select', ['--since', 'HEAD'])).stdout).toBe('test/cart.test.js\n');
      expect((await tool('report', [path.join(out, 'profile.json'), '--format', 'markdown'])).stdout).toContain('adds');
      seen.push(nodeVersion);
    }
    if (!process.env.NIX_BUILD_TOP) expect(seen.map((v) => v.split('.')[0])).toEqual(expect.arrayContaining(['22', '24']));
  }, 600_000);

  it('runs through npx from a project that does not install it', async () => {
    const elsewhere = path.join(work, 'elsewhere');
    mkdirSync(elsewhere);
    const { stdout } = await run('npm', ['exec', '--yes', '--offline', `--package=${tarball}`, '--', 'testpace-select', '--version'], { cwd: elsewhere, env: npmEnv });
    expect(stdout.trim()).toBe(version);
    expect(readdirSync(elsewhere)).toEqual([]);
  }, 120_000);
});

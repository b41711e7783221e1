// The executables scripts/build.mjs writes: each is one file that runs alone, with an optional V8
// code cache beside it that is used only when it was made for that very code.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binary } from './helpers.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'testpace-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const idOf = (executable: string) => /^const ID = '([0-9a-f]{32})';$/m.exec(readFileSync(executable, 'utf8'))?.[1];
const version = (executable: string) => execFileSync(process.execPath, [executable, '--version'], { encoding: 'utf8' }).trim();

describe('built executables', () => {
  it('each come with a code cache made for their own code', () => {
    const ids = new Set<string>();
    for (const tool of ['profile', 'mem-profile', 'optimize', 'select', 'report']) {
      const id = idOf(binary(tool));
      expect(id, tool).toMatch(/^[0-9a-f]{32}$/);
      expect(readFileSync(`${binary(tool)}.cache`).toString('latin1', 0, 32), tool).toBe(id);
      ids.add(id!);
    }
    expect(ids.size).toBe(5);
  });

  it('run alone, beside another build\'s cache, and beside a damaged one', () => {
    const alone = path.join(tmp, 'alone', 'testpace-report.cjs');
    const foreign = path.join(tmp, 'foreign', 'testpace-report.cjs');
    const damaged = path.join(tmp, 'damaged', 'testpace-report.cjs');
    for (const file of [alone, foreign, damaged]) {
      mkdirSync(path.dirname(file), { recursive: true });
      copyFileSync(binary('report'), file);
    }
    copyFileSync(`${binary('profile')}.cache`, `${foreign}.cache`);
    const cache = readFileSync(`${binary('report')}.cache`);
    writeFileSync(`${damaged}.cache`, Buffer.concat([cache.subarray(0, 32), Buffer.alloc(cache.length - 32, 0x5a)]));
    const expected = version(binary('report'));
    expect(expected).toMatch(/^\d+\.\d+\.\d+/);
    for (const file of [alone, foreign, damaged]) expect(version(file), file).toBe(expected);
    const help = execFileSync(process.execPath, [damaged, '--help'], { encoding: 'utf8' });
    expect(help).toContain('testpace-report');
  });

  it('give optimize the same findings with its parser\'s cache, without it, and beside a damaged one', () => {
    const estreeCache = readFileSync(`${binary('optimize')}.estree.cache`);
    const executable = readFileSync(binary('optimize'), 'utf8');
    // The cache names the packed parser it was made for, and the executable carries that parser.
    const id = estreeCache.toString('latin1', 0, 32);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(executable.includes(id)).toBe(true);
    const project = path.join(tmp, 'project');
    mkdirSync(path.join(project, 'tests'), { recursive: true });
    writeFileSync(
      path.join(project, 'tests', 'cart.test.ts'),
      "import { it } from 'vitest';\nit('waits', async () => {\n  await new Promise((resolve) => setTimeout(resolve, 300));\n});\n",
    );
    const findings = (executable: string) => {
      const out = path.join(project, 'optimize.json');
      execFileSync(process.execPath, [executable, project, '--out', out], { stdio: 'ignore' });
      return (JSON.parse(readFileSync(out, 'utf8')) as { findings: Array<{ rule: string; file: string; line: number }> }).findings.map((f) => `${f.rule} ${f.file}:${f.line}`);
    };
    const expected = findings(binary('optimize'));
    expect(expected.some((f) => f.startsWith('sleep'))).toBe(true);
    for (const variant of ['alone', 'damaged']) {
      const copy = path.join(tmp, `optimize-${variant}`, 'testpace-optimize.cjs');
      mkdirSync(path.dirname(copy), { recursive: true });
      copyFileSync(binary('optimize'), copy);
      if (variant === 'damaged') {
        copyFileSync(`${binary('optimize')}.cache`, `${copy}.cache`);
        writeFileSync(`${copy}.estree.cache`, Buffer.concat([estreeCache.subarray(0, 32), Buffer.alloc(4096, 0x5a)]));
      }
      expect(findings(copy), variant).toEqual(expected);
    }
  });

  it('start Node without NODE_EXTRA_CA_CERTS and give it back, as it was, to the commands they run', () => {
    // A certificate file that cannot be read: Node warns about it as it starts, if it tries.
    const missing = path.join(tmp, 'missing-ca.pem');
    const seen = path.join(tmp, 'seen.txt');
    const show = `printf '%s|%s' "\${NODE_EXTRA_CA_CERTS-unset}" "\${TESTPACE_SAVED_NODE_EXTRA_CA_CERTS-unset}" > '${seen}'`;
    const { NODE_EXTRA_CA_CERTS: _, ...rest } = process.env;
    for (const [value, expected] of [[missing, `${missing}|unset`], ['', '|unset'], [undefined, 'unset|unset']] as const) {
      const env = value === undefined ? rest : { ...rest, NODE_EXTRA_CA_CERTS: value };
      // Run as users run it: the executable itself, through its first line.
      const result = spawnSync(binary('mem-profile'), ['--quiet', '--out', path.join(tmp, 'memory.json'), '--', 'sh', '-c', show], { env, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).not.toContain('extra certs');
      expect(readFileSync(seen, 'utf8')).toBe(expected);
    }
    // Started by `node` directly, the same file gets no such help: Node reads the variable itself.
    const direct = spawnSync(process.execPath, [binary('report'), '--version'], { env: { ...rest, NODE_EXTRA_CA_CERTS: missing }, encoding: 'utf8' });
    expect(direct.stderr).toContain('extra certs');
  });
});

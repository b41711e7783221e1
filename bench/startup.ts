// Start-up of each tool, median of interleaved runs beside `node -e 0` (the floor): `--version`
// (answered before the command line is parsed) and `--help` (yargs and the tool's options loaded).
// Each executable runs twice over: as built, with its V8 code cache, and a copy without the cache,
// so that what the cache saves is measured side by side (scripts/build.mjs). Executables run as users
// run them, through their first line (which keeps NODE_EXTRA_CA_CERTS from Node, see the build); when
// that variable is set, the floor is also measured without it.
// The budget: tools that do not parse source (profile, mem-profile, report) under ~120 ms.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../lib/stats.ts';
import { privateCopy } from './private-copy.ts';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 15);
const tools = ['profile', 'mem-profile', 'report', 'optimize', 'select'];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'testpace-bench-startup-'));
const cached = path.join(tmp, 'cached');
const uncached = path.join(tmp, 'uncached');
for (const dir of [cached, uncached]) mkdirSync(dir);
for (const tool of tools) {
  privateCopy(root, tool, cached);
  copyFileSync(path.join(root, 'dist', `testpace-${tool}.cjs`), path.join(uncached, `testpace-${tool}.cjs`));
}

function time(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(args[0]!, args.slice(1), { stdio: 'ignore', env });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

try {
  const floor: number[] = [];
  const certificates = process.env.NODE_EXTRA_CA_CERTS !== undefined;
  const { NODE_EXTRA_CA_CERTS: _, ...withoutCertificates } = process.env;
  const bareFloor: number[] = [];
  const flags = ['--version', '--help'];
  const samples = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    // Interleaved, so that machine noise falls on every command alike.
    floor.push(time([process.execPath, '-e', '0']));
    if (certificates) bareFloor.push(time([process.execPath, '-e', '0'], withoutCertificates));
    for (const tool of tools) {
      for (const flag of flags) {
        for (const [variant, dir] of [['cached', cached], ['uncached', uncached]] as const) {
          const key = `${tool} ${flag} ${variant}`;
          samples.set(key, [...(samples.get(key) ?? []), time([path.join(dir, `testpace-${tool}.cjs`), flag])]);
        }
      }
    }
  }
  // The ratios are to the floor the executables start from: Node without the certificates.
  const base = median(certificates ? bareFloor : floor);
  const floors = certificates ? `${median(floor).toFixed(1)} ms, ${base.toFixed(1)} ms without NODE_EXTRA_CA_CERTS` : `${base.toFixed(1)} ms`;
  console.log(`start-up, median of ${runs} interleaved runs (node -e 0: ${floors}); in brackets: the same executable without its code cache`);
  for (const tool of tools) {
    const cells = flags.map((flag) => {
      const m = median(samples.get(`${tool} ${flag} cached`)!);
      const without = median(samples.get(`${tool} ${flag} uncached`)!);
      return `${flag} ${m.toFixed(1).padStart(6)} ms (${(m / base).toFixed(2)}x node) [${without.toFixed(1)} ms]`;
    });
    const version = median(samples.get(`${tool} --version cached`)!);
    const budget = ['optimize', 'select'].includes(tool) ? '' : version <= 120 ? '  within 120 ms' : '  OVER 120 ms';
    console.log(`  testpace-${tool.padEnd(12)} ${cells.join('   ')}${budget}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

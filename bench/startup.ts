// Start-up of each tool as users start it (the executable itself, through its #! line): the median
// of interleaved runs of `--version` (answered before the command line is loaded) and `--help`
// (yargs and the tool's options loaded), beside `node -e 0`, the floor every tool starts from.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../lib/stats.ts';
import { privateCopy } from './private-copy.ts';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 15);
const tools = ['profile', 'mem-profile', 'report', 'optimize', 'select'];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'testpace-bench-startup-'));
const executables = new Map(tools.map((tool) => [tool, privateCopy(root, tool, tmp)]));

function time(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(args[0]!, args.slice(1), { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

try {
  const floor: number[] = [];
  const flags = ['--version', '--help'];
  const samples = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    // Interleaved, so that machine noise falls on every command alike.
    floor.push(time([process.execPath, '-e', '0']));
    for (const tool of tools) {
      for (const flag of flags) {
        const key = `${tool} ${flag}`;
        samples.set(key, [...(samples.get(key) ?? []), time([executables.get(tool)!, flag])]);
      }
    }
  }
  const base = median(floor);
  const certificates = process.env.NODE_EXTRA_CA_CERTS ? ` with NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS}` : '';
  console.log(`start-up, median of ${runs} interleaved runs (node -e 0: ${base.toFixed(1)} ms${certificates}), Node ${process.version}`);
  for (const tool of tools) {
    const cells = flags.map((flag) => {
      const m = median(samples.get(`${tool} ${flag}`)!);
      return `${flag} ${m.toFixed(1).padStart(6)} ms (+${(m - base).toFixed(1)} ms over node)`;
    });
    console.log(`  testpace-${tool.padEnd(12)} ${cells.join('   ')}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// The fixed cost of one run under profile and mem-profile, what a run pays whatever its length: from
// the tool's launch to the command's start, and from the command's end to the tool's exit, beyond
// what the same command pays bare. The command writes the time it starts and ends (`date +%s%N`);
// tool and bare runs are interleaved, so that machine noise falls on all alike. BENCH_BEFORE names a
// directory holding other builds of the two tools (testpace-<tool>.cjs, e.g. an earlier commit's
// dist/), measured in the same rounds, side by side. Target: at most 120 ms in all.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../lib/stats.ts';
import { privateCopy } from './private-copy.ts';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 15);
const dir = mkdtempSync(path.join(os.tmpdir(), 'testpace-bench-fixed-'));
const tools = ['profile', 'mem-profile'] as const;
const builds: Record<string, Record<string, string>> = { current: Object.fromEntries(tools.map((tool) => [tool, privateCopy(root, tool, dir)])) };
if (process.env.BENCH_BEFORE) builds.before = Object.fromEntries(tools.map((tool) => [tool, path.join(path.resolve(process.env.BENCH_BEFORE!), `testpace-${tool}.cjs`)]));

// Writes its start, a one-test JUnit report (profile reads it: a run as small as a run gets), its end.
const script = `date +%s%N > start; printf '<testsuite><testcase classname="c" name="t" time="0"/></testsuite>' > report.xml; date +%s%N > end`;
const command = ['sh', '-c', script];
const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

interface Timing {
  /** From the launch to the command's start. */
  startMs: number;
  /** From the command's end to the exit of what was launched. */
  endMs: number;
}

function time(argv: string[]): Timing {
  const launched = nowNs();
  const result = spawnSync(argv[0]!, argv.slice(1), { cwd: dir, stdio: 'ignore' });
  const exited = nowNs();
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}`);
  const read = (name: string) => BigInt(readFileSync(path.join(dir, name), 'utf8').trim());
  return { startMs: Number(read('start') - launched) / 1e6, endMs: Number(exited - read('end')) / 1e6 };
}

const toolArgv = (executable: string, tool: string) => [process.execPath, executable, ...(tool === 'profile' ? ['--junit', 'report.xml'] : []), '-q', '-o', 'doc.json', '--', ...command];

try {
  const samples = new Map<string, Timing[]>();
  const add = (key: string, timing: Timing) => samples.set(key, [...(samples.get(key) ?? []), timing]);
  for (let i = 0; i < runs; i++) {
    add('bare', time(command));
    for (const [build, executables] of Object.entries(builds)) for (const tool of tools) add(`${tool} ${build}`, time(toolArgv(executables[tool]!, tool)));
  }
  const bare = samples.get('bare')!;
  const bareStart = median(bare.map((t) => t.startMs));
  const bareEnd = median(bare.map((t) => t.endMs));
  console.log(`fixed cost of one run beyond the bare command, median of ${runs} interleaved runs, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(`  bare: command starts ${bareStart.toFixed(1)} ms after launch, exits ${bareEnd.toFixed(1)} ms after its end`);
  for (const tool of tools) {
    const cells = Object.keys(builds).map((build) => {
      const timings = samples.get(`${tool} ${build}`)!;
      const start = median(timings.map((t) => t.startMs)) - bareStart;
      const end = median(timings.map((t) => t.endMs)) - bareEnd;
      return { build, start, end, total: start + end };
    });
    for (const cell of cells) {
      console.log(
        `  testpace-${tool.padEnd(12)} ${cell.build.padEnd(8)} launch to spawn +${cell.start.toFixed(1).padStart(6)} ms, end to exit +${cell.end.toFixed(1).padStart(6)} ms, ` +
          `fixed cost ${cell.total.toFixed(1).padStart(6)} ms${cell.total <= 120 ? '' : ' (over the 120 ms target)'}`,
      );
    }
    const [current, before] = cells;
    if (before) console.log(`  testpace-${tool.padEnd(12)} current / before: ${(current!.total / before.total).toFixed(2)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

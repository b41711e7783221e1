// Overhead of testpace-mem-profile at the default 100 ms interval: the median wall time of a fixed
// amount of work, run alone and under the tool, in interleaved pairs (machine noise falls on both).
// The work keeps both cores busy (two processes computing and allocating), the worst case for a
// sampler that needs CPU itself. Budget: at most 2% of wall time.
// Also shown, from a command that writes the time it starts and ends (`date +%s%N`, 0.3 s apart), run
// alone and under the tool: how much later the command starts under the tool (Node and the tool
// starting) and how much longer the tool takes after the command ends (the document, the summary,
// Node's exit). These do not grow with the run; the rest of the difference is the sampling.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../lib/stats.ts';

const root = path.resolve(import.meta.dirname, '..');
const tool = path.join(root, 'dist', 'testpace-mem-profile.cjs');
const pairs = Number(process.env.BENCH_RUNS ?? 7);
const rounds = Number(process.env.BENCH_WORK ?? 40);
const dir = mkdtempSync(path.join(os.tmpdir(), 'testpace-bench-'));

// Each child hashes and allocates in rounds; the parent waits for both. The work is fixed, not timed.
writeFileSync(
  path.join(dir, 'work.js'),
  `const { createHash } = require('node:crypto');
const { spawn } = require('node:child_process');
if (process.argv[2] === 'child') {
  let digest = '';
  for (let round = 0; round < Number(process.argv[3]); round++) {
    const block = Buffer.alloc(8 * 1024 * 1024, round);
    for (let i = 0; i < 20; i++) digest = createHash('sha256').update(block).update(digest).digest('hex');
  }
  process.stdout.write(digest.slice(0, 8));
} else {
  let left = 2;
  for (let c = 0; c < 2; c++) spawn(process.execPath, [__filename, 'child', process.argv[2]], { stdio: 'ignore' }).on('exit', () => --left || process.exit(0));
}
`,
);

// CPU time too (user + system, the command and everything it waited for), through /usr/bin/time:
// less noisy than wall time on a shared machine, and what the sampler costs.
const cpuFile = path.join(dir, 'cpu.txt');
const cpu: Record<'alone' | 'under', number[]> = { alone: [], under: [] };

function time(command: string[], kind?: 'alone' | 'under'): number {
  const timed = kind ? ['/usr/bin/time', '-f', '%U %S', '-o', cpuFile, ...command] : command;
  const start = process.hrtime.bigint();
  const result = spawnSync(timed[0]!, timed.slice(1), { cwd: dir, stdio: 'ignore' });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command.join(' ')} exited ${result.status}`);
  if (kind) {
    const [user, system] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number);
    cpu[kind].push((user! + system!) * 1000);
  }
  return wall;
}

const work = [process.execPath, 'work.js', String(rounds)];
const profiled = (command: string[]) => [tool, '--quiet', '--out', path.join(dir, 'memory.json'), '--', ...command];
const alone: number[] = [];
const under: number[] = [];
const stamped = ['sh', '-c', 'date +%s%N > started.txt; sleep 0.3; date +%s%N > ended.txt'];
const edges: Record<'alone' | 'under', { start: number[]; after: number[] }> = { alone: { start: [], after: [] }, under: { start: [], after: [] } };

/** Runs `stamped` (alone or under the tool): how long after the launch its command started, and how long the whole took after it ended. */
function edgesOf(kind: 'alone' | 'under'): void {
  const launched = performance.timeOrigin + performance.now();
  const wall = time(kind === 'alone' ? stamped : profiled(stamped));
  const stamp = (file: string) => Number(BigInt(readFileSync(path.join(dir, file), 'utf8').trim()) / 1000n) / 1000;
  edges[kind].start.push(stamp('started.txt') - launched);
  edges[kind].after.push(launched + wall - stamp('ended.txt'));
}
time(work); // warm the file cache
for (let i = 0; i < pairs; i++) {
  // Alternate which goes first, so neither always runs on a machine the other just warmed.
  if (i % 2 === 0) {
    alone.push(time(work, 'alone'));
    under.push(time(profiled(work), 'under'));
  } else {
    under.push(time(profiled(work), 'under'));
    alone.push(time(work, 'alone'));
  }
  edgesOf('alone');
  edgesOf('under');
}
rmSync(dir, { recursive: true, force: true });

const ratios = alone.map((a, i) => under[i]! / a);
const startDelay = median(edges.under.start) - median(edges.alone.start);
const afterDelay = median(edges.under.after) - median(edges.alone.after);
// What does not grow with the run: the later start and the longer end. What the interval governs is the rest.
const fixed = startDelay + afterDelay;
const sampling = alone.map((a, i) => (under[i]! - fixed) / a);
const ratio = median(ratios);
const samplingRatio = median(sampling);
const verdict = (r: number) => (r <= 1.02 ? 'within the 2% budget' : 'OVER the 2% budget');
const pct = (r: number) => `${((r - 1) * 100).toFixed(2)}%`;
console.log(`mem-profile overhead at --interval 100, median of ${pairs} interleaved pairs (2 processes busy on ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`);
console.log(`  work alone        ${median(alone).toFixed(0).padStart(7)} ms   under the tool ${median(under).toFixed(0).padStart(7)} ms`);
console.log(`  wall ratio        ${ratio.toFixed(4)} (${pct(ratio)})  ${verdict(ratio)}   [pair ratios ${Math.min(...ratios).toFixed(3)} .. ${Math.max(...ratios).toFixed(3)}]`);
console.log(`  fixed cost of a run: the command starts ${startDelay.toFixed(1)} ms later, the tool ends ${afterDelay.toFixed(1)} ms after it (medians of ${pairs}, \`date\` alone and under the tool)`);
console.log(`  without that fixed cost: ratio ${samplingRatio.toFixed(4)} (${pct(samplingRatio)})  ${verdict(samplingRatio)}`);
const cpuExtra = median(cpu.under) - median(cpu.alone);
console.log(`  CPU time          ${median(cpu.alone).toFixed(0)} ms alone, ${median(cpu.under).toFixed(0)} ms under the tool: +${cpuExtra.toFixed(0)} ms (${((cpuExtra / median(under)) * 100).toFixed(2)}% of one core over the run, fixed cost included)`);

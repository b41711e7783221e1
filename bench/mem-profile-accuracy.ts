// Accuracy of the reported peak: a process that touches a known amount (300 MiB), measured by
// testpace-mem-profile and by the kernel's own maximum-RSS accounting as GNU time reports it
// (`/usr/bin/time -v`, "Maximum resident set size"). Budget: within 5%.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../lib/stats.ts';

const root = path.resolve(import.meta.dirname, '..');
// BENCH_TOOL: another build of the tool to measure (an earlier version, for comparison).
const tool = process.env.BENCH_TOOL ?? path.join(root, 'dist', 'testpace-mem-profile.cjs');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const MiB = 1024 * 1024;

if (!existsSync('/usr/bin/time')) {
  console.error('bench/mem-profile-accuracy: /usr/bin/time is missing (apt-get install time; scripts/setup.sh does it)');
  process.exit(2);
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'testpace-bench-'));
// The interpreter itself, not a version manager's shim, so both measure the same process.
const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
writeFileSync(path.join(dir, 'touch.py'), 'import time\nblock = bytearray(b"\\x01") * (300 * 1024 * 1024)\ntime.sleep(0.5)\n');
writeFileSync(path.join(dir, 'touch.js'), 'const block = Buffer.alloc(300 * 1024 * 1024, 1);\nsetTimeout(() => block.length, 500);\n');
// The hard case for sampling: the peak comes in a process's last moments, after its last full sample.
writeFileSync(path.join(dir, 'spike.py'), 'import time\ntime.sleep(1)\nblock = bytearray(b"\\x01") * (300 * 1024 * 1024)\n');
// A child that lives about 150 ms, holding 200 MiB, under a parent that stays small.
writeFileSync(path.join(dir, 'child.py'), 'import subprocess, sys, time\ntime.sleep(0.3)\nsubprocess.run([sys.executable, "-c", "b = bytearray(b\'\\\\x01\') * (200 * 1024 * 1024)"])\ntime.sleep(0.3)\n');

interface Peaks {
  kernel: number;
  sampled: number;
  hwm: number;
  /** Only from earlier versions, which ran the command under a python3 wrapper (BENCH_TOOL). */
  children?: number;
}

function measure(command: string[]): Peaks {
  const timed = spawnSync('/usr/bin/time', ['-v', ...command], { cwd: dir, encoding: 'utf8' });
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(timed.stderr);
  if (timed.status !== 0 || !kb) throw new Error(`/usr/bin/time -v ${command.join(' ')} failed:\n${timed.stderr}`);
  const profiled = spawnSync(process.execPath, [tool, '--quiet', '--', ...command], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * MiB });
  if (profiled.status !== 0) throw new Error(`testpace-mem-profile failed:\n${profiled.stderr}`);
  const peak = JSON.parse(profiled.stdout).peak as { sampledRssBytes: number; largestProcessHwmBytes: number; childrenMaxRssBytes?: number };
  return { kernel: Number(kb[1]) * 1024, sampled: peak.sampledRssBytes, hwm: peak.largestProcessHwmBytes, children: peak.childrenMaxRssBytes };
}

console.log(`mem-profile peak accuracy vs /usr/bin/time -v maximum RSS, median of ${runs} runs each (budget: within 5%)`);
let within = true;
for (const command of [[python, 'touch.py'], [process.execPath, 'touch.js'], [python, 'spike.py'], [python, 'child.py']]) {
  const all: Peaks[] = [];
  for (let i = 0; i < runs; i++) all.push(measure(command));
  const kernel = median(all.map((p) => p.kernel));
  // The sampled peak is a sum over the tree; the kernel's figure the largest single process: they
  // compare only where the tree is one process.
  const single = command[1] !== 'child.py';
  const line = (label: string, values: number[], judged = true) => {
    const value = median(values);
    const error = (value - kernel) / kernel;
    if (!judged) return `    ${label.padEnd(34)} ${(value / MiB).toFixed(1).padStart(7)} MiB  ${(error >= 0 ? '+' : '') + (error * 100).toFixed(2)}%  (a sum over the tree: not compared)`;
    within &&= Math.abs(error) <= 0.05;
    return `    ${label.padEnd(34)} ${(value / MiB).toFixed(1).padStart(7)} MiB  ${(error >= 0 ? '+' : '') + (error * 100).toFixed(2)}%  ${Math.abs(error) <= 0.05 ? 'within 5%' : 'OFF by more than 5%'}`;
  };
  console.log(`  ${path.basename(command[0]!)} ${command[1]}: kernel maximum RSS ${(kernel / MiB).toFixed(1)} MiB`);
  console.log(line('reported peak (sampled, tree sum)', all.map((p) => p.sampled), single));
  console.log(line('largest process high-water (VmHWM)', all.map((p) => p.hwm)));
  if (all.some((p) => p.children !== undefined)) console.log(line("children's ru_maxrss (python3 wrapper)", all.map((p) => p.children ?? 0)));
}
rmSync(dir, { recursive: true, force: true });
process.exitCode = within ? 0 : 1;

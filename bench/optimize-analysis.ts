// Analysis speed, two parts, each run by the built testpace-optimize in a new process:
// 1. 2,000 generated test files (Python, TypeScript, JavaScript, bats) analysed cold. Target: under 5 s.
// 2. Profiles of 25k to 200k tests (parametrised pytest cases over 2,000 files, two workers) with their
//    code, shards and a parallel plan. Target: 200k tests under 10 s, time growing linearly with tests.
// Medians of 3 runs (BENCH_RUNS); BENCH_PART=1 or 2 runs one part.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { privateCopy } from './private-copy.ts';
import { median } from '../lib/stats.ts';

// CPU of waited-for children (the tool and its python3), from /proc: user + system clock ticks at 100 Hz.
function childCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

const root = path.resolve(import.meta.dirname, '..');
const files = Number(process.env.BENCH_FILES ?? 2000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dir = process.env.BENCH_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'testpace-bench-optimize-'));

function python(i: number): string {
  const lines = ['import os', 'import time', 'import pytest', 'from shop import tax', ''];
  lines.push('@pytest.fixture', `def catalog_${i}():`, '    time.sleep(0.05)', '    return {"tea": 450}', '');
  for (let t = 0; t < 10; t++) {
    lines.push(`def test_case_${t}(catalog_${i}):`, `    total = catalog_${i}["tea"] * ${t} + ${i}`, `    assert total >= 0`);
    if (t === 3) lines.push('    time.sleep(0.2)');
    if (t === 5) lines.push('    os.environ["MODE"] = "x"');
    lines.push('');
  }
  lines.push('class TestGroup:', '    def test_method(self):', '        tax.RATES["promo"] = 0', '');
  return lines.join('\n');
}

function typescript(i: number): string {
  const lines = ["import { beforeEach, describe, expect, test } from 'vitest';", "import { execFileSync } from 'node:child_process';", "import { rates } from '../src/tax';", ''];
  lines.push(`describe('suite ${i}', () => {`, '  let data: Record<string, number>;', '  beforeEach(async () => {', '    await new Promise((r) => setTimeout(r, 60));', '    data = { tea: 450 };', '  });');
  for (let t = 0; t < 10; t++) {
    lines.push(`  test('case ${t}', async () => {`, `    const total: number = data.tea * ${t} + ${i};`, '    expect(total).toBeGreaterThanOrEqual(0);');
    if (t === 2) lines.push("    execFileSync(process.execPath, ['-e', '0']);");
    if (t === 4) lines.push('    rates.promo = 0;');
    if (t === 6) lines.push("    await fetch('http://127.0.0.1:9/');");
    lines.push('  });');
  }
  lines.push('});', '');
  return lines.join('\n');
}

function bats(i: number): string {
  const lines = ['load test_helper', '', 'setup() {', '  sleep 0.1', '}', ''];
  for (let t = 0; t < 10; t++) lines.push(`@test "case ${i} ${t}" {`, `  run echo ${t} ${i}`, '  [ "$status" -eq 0 ]', t === 1 ? '  echo x > /tmp/fixed.txt' : '  true', '}', '');
  return lines.join('\n');
}

mkdirSync(path.join(dir, 'py'), { recursive: true });
mkdirSync(path.join(dir, 'ts'), { recursive: true });
mkdirSync(path.join(dir, 'js'), { recursive: true });
mkdirSync(path.join(dir, 'bats'), { recursive: true });
for (let i = 0; i < files; i++) {
  const kind = i % 4;
  if (kind === 0) writeFileSync(path.join(dir, 'py', `test_gen_${i}.py`), python(i));
  else if (kind === 1) writeFileSync(path.join(dir, 'ts', `gen_${i}.test.ts`), typescript(i));
  else if (kind === 2) writeFileSync(path.join(dir, 'js', `gen_${i}.test.js`), typescript(i).replace(': Record<string, number>', '').replace(': number', ''));
  else writeFileSync(path.join(dir, 'bats', `gen_${i}.bats`), bats(i));
}

const part = process.env.BENCH_PART;
const bundle = privateCopy(root, 'optimize', dir);
if (part === '2') {
  scale();
  process.exit(0);
}
const times: number[] = [];
const cpu: number[] = [];
let findings = 0;
let analysed = 0;
let failed = 0;
try {
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    const before = childCpuMs();
    const result = spawnSync(process.execPath, [bundle, '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    cpu.push(childCpuMs() - before);
    if (result.status !== 0) throw new Error(`testpace-optimize exited ${result.status}: ${result.stderr}`);
    const document = JSON.parse(result.stdout) as { findings: unknown[]; files: { analysed: number; failed: unknown[] } };
    findings = document.findings.length;
    analysed = document.files.analysed;
    failed = document.files.failed.length;
  }
} finally {
  if (!process.env.BENCH_DIR) rmSync(dir, { recursive: true, force: true });
}
const m = median(times);
const load = os.loadavg()[0]!.toFixed(1);
console.log(`analysis of ${files} generated test files (${analysed} analysed, ${failed} failed, ${findings} findings), cold process, median of ${runs}:`);
console.log(`  wall ${(m / 1000).toFixed(2)} s (runs: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s); CPU ${(median(cpu) / 1000).toFixed(2)} s (node + python3); load average ${load} on ${os.cpus().length} CPUs`);
console.log(m < 5000 ? 'within the 5 s target' : `OVER the 5 s target${Number(load) > os.cpus().length ? ' (the machine is loaded: compare the CPU time)' : ''}`);

if (part !== '1') scale();

/** Part 2: profiles of growing size, with the code they were measured on. */
function scale(): void {
  const sizes = (process.env.BENCH_SIZES ?? '25000,50000,100000,200000').split(',').map(Number);
  const results: Array<{ tests: number; ms: number; cpuMs: number; rssMb: number }> = [];
  for (const tests of sizes) {
    const work = mkdtempSync(path.join(os.tmpdir(), 'testpace-bench-optimize-scale-'));
    try {
      const files = 2000;
      const functions = 10;
      const cases = Math.max(1, Math.round(tests / files / functions));
      mkdirSync(path.join(work, 'tests'));
      const profileTests: unknown[] = [];
      const runTests: unknown[] = [];
      const clocks = [0, 0];
      for (let f = 0; f < files; f++) {
        const lines = ['import pytest', ''];
        for (let t = 0; t < functions; t++) {
          lines.push(`@pytest.mark.parametrize("n", range(${cases}))`, `def test_case_${t}(n):`, `    assert n + ${f} >= -${t}`, '');
          for (let c = 0; c < cases; c++) {
            const file = `tests/test_gen_${f}.py`;
            const name = `test_case_${t}[${c}]`;
            // Long-tailed durations from a fixed formula: the same plan on every run.
            const ms = 0.2 + ((f * 7 + t * 13 + c * 31) % 97) / 20;
            const worker = (f + t) % 2;
            const startMs = 800 + clocks[worker]!;
            clocks[worker]! += ms + 0.05;
            const stats = { runs: 1, min: ms, median: ms, max: ms, mad: 0 };
            profileTests.push({ file, name, id: `${file}::${name}`, outcome: 'passed', durationMs: stats, callMs: stats, flaky: false });
            runTests.push({ file, name, id: `${file}::${name}`, outcome: 'passed', durationMs: ms, startMs, endMs: startMs + ms, worker: `gw${worker}` });
          }
        }
        writeFileSync(path.join(work, 'tests', `test_gen_${f}.py`), lines.join('\n'));
      }
      const wall = 800 + Math.max(...clocks) + 100;
      const stats = (ms: number) => ({ runs: 1, min: ms, median: ms, max: ms, mad: 0 });
      const total = profileTests.length;
      const profile = {
        kind: 'profile',
        schemaVersion: 1,
        tool: { name: 'testpace-profile', version: '0.1.0' },
        createdAt: new Date().toISOString(),
        environment: { os: { platform: 'linux', release: '6', arch: 'x64' }, cpus: { count: 2, model: 'bench' }, memoryBytes: 1, runtimes: {}, git: null },
        command: ['python3', '-m', 'pytest', '-q', '-n', '2'],
        cwd: work,
        runner: 'pytest',
        status: 'passed',
        runs: [{ index: 0, warmup: false, wallMs: wall, exitCode: 0, signal: null, interrupted: false, collectionMs: 800, tailMs: 100, tests: runTests }],
        tests: profileTests,
        summary: { runs: 1, warmup: 0, wallMs: stats(wall), collectionMs: stats(800), counts: { total, passed: total, failed: 0, skipped: 0, error: 0 }, flaky: 0, workers: 2 },
      };
      writeFileSync(path.join(work, 'profile.json'), JSON.stringify(profile));
      const times: number[] = [];
      const cpus: number[] = [];
      let rss = 0;
      for (let r = 0; r < runs; r++) {
        const start = process.hrtime.bigint();
        // GNU time's maximum RSS of the tool (node) and its python3.
        const result = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, bundle, 'tests', '--profile', 'profile.json', '--shards', '4', '--workers', '4', '--out', 'optimization.json'], {
          cwd: work,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        });
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (result.status !== 0) throw new Error(`testpace-optimize exited ${result.status}: ${result.stderr.slice(-2000)}`);
        const [maxKb, user, system] = result.stderr.trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
        rss = Math.max(rss, maxKb / 1024);
        cpus.push((user + system) * 1000);
      }
      results.push({ tests: total, ms: median(times), cpuMs: median(cpus), rssMb: rss });
      console.log(
        `  ${total} tests: wall median ${(median(times) / 1000).toFixed(2)} s (runs: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s), CPU ${(median(cpus) / 1000).toFixed(2)} s (node + python3), max RSS ${rss.toFixed(0)} MB, ${(median(cpus) / (total / 1000)).toFixed(1)} ms of CPU per 1,000 tests`,
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const last = results.at(-1)!;
  const first = results[0]!;
  const growth = last.cpuMs / last.tests / (first.cpuMs / first.tests);
  console.log(
    `scale: ${last.tests} tests in ${(last.ms / 1000).toFixed(2)} s wall, ${(last.cpuMs / 1000).toFixed(2)} s CPU (${last.ms < 10000 ? 'within' : 'OVER'} the 10 s target); CPU per test at ${last.tests} is ×${growth.toFixed(2)} that at ${first.tests} (1 = linear, less = fixed costs spread); load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`,
  );
}

// Shard balance: a generated profile of 2,000 tests (long-tailed durations, seeded), split into K = 4 and 8
// shards by testpace-optimize (longest first onto the least-loaded shard) beside splitting by count
// (what a runner's --shard does without timings). Budget: max/mean <= 1.05.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { privateCopy } from './private-copy.ts';
import { validateDocument } from '../lib/read-document.ts';
import { countShards, imbalanceOf } from '../tools/optimize/shards.ts';

const root = path.resolve(import.meta.dirname, '..');
const count = Number(process.env.BENCH_TESTS ?? 2000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'testpace-bench-shards-'));

// A small seeded generator, so every run balances the same suite.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

function profile(runner: 'pytest' | 'vitest') {
  const tests = Array.from({ length: count }, (_, i) => {
    const file = `tests/test_module_${String(i % 200).padStart(3, '0')}.py`;
    // Log-normal-ish: most tests take milliseconds, a few take seconds.
    const ms = Math.round(Math.exp(random() * 4 + random() * 4) * 10) / 10;
    const name = `test_case_${i}`;
    const stats = { runs: 1, min: ms, median: ms, max: ms, mad: 0 };
    return { file, name, id: `${file}::${name}`, outcome: 'passed', outcomes: ['passed'], durationMs: stats, flaky: false };
  });
  const total = tests.reduce((sum, t) => sum + t.durationMs.median, 0);
  const wall = { runs: 1, min: total, median: total, max: total, mad: 0 };
  const document = {
    kind: 'profile',
    schemaVersion: 1,
    tool: { name: 'testpace-profile', version: '0.1.0' },
    createdAt: new Date().toISOString(),
    environment: { os: { platform: 'linux', release: '6', arch: 'x64' }, cpus: { count: 2, model: 'bench' }, memoryBytes: 1, runtimes: {}, git: null },
    command: runner === 'pytest' ? ['pytest'] : ['vitest', 'run'],
    cwd: '.',
    runner,
    status: 'passed',
    runs: [],
    tests,
    summary: { runs: 1, warmup: 0, wallMs: wall, counts: { total: count, passed: count, failed: 0, skipped: 0, error: 0 }, flaky: 0 },
  };
  validateDocument(document, 'generated profile', ['profile']);
  return document;
}

const bundle = privateCopy(root, 'optimize', dir);

try {
  for (const runner of ['pytest', 'vitest'] as const) {
    const document = profile(runner);
    const file = path.join(dir, `${runner}.json`);
    writeFileSync(file, JSON.stringify(document));
    const unit = runner === 'pytest' ? 'tests' : 'files (200)';
    console.log(`${count} generated tests, ${runner} profile, balancing ${unit}:`);
    const items =
      runner === 'pytest'
        ? document.tests.map((t) => ({ item: t.id, ms: t.durationMs.median }))
        : [...document.tests.reduce((files, t) => files.set(t.file, (files.get(t.file) ?? 0) + t.durationMs.median), new Map<string, number>())].map(([item, ms]) => ({ item, ms }));
    for (const k of [4, 8]) {
      const result = spawnSync(process.execPath, [bundle, '--profile', file, '--shards', String(k)], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      if (result.status !== 0) throw new Error(result.stderr);
      const shards = (JSON.parse(result.stdout) as { shards: { imbalance: number } }).shards;
      const byCount = imbalanceOf(countShards(items, k));
      console.log(`  K=${k}: max/mean ${shards.imbalance.toFixed(3)} by measured duration ${shards.imbalance <= 1.05 ? '(within 1.05)' : '(OVER 1.05)'}; ${byCount.toFixed(3)} by count`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

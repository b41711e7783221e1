// Merging the profiles of CI shards into one profile: tests de-duplicated by identity, run totals
// summed, each shard's wall time kept in `shards`.
import { documentHeader } from '../../lib/document-header.ts';
import { UsageError } from '../../lib/errors.ts';
import type { Counts, Outcome, ProfileDocument, Run, TestSummary } from '../../lib/profile-document.ts';
import { median, summarize } from '../../lib/stats.ts';
import { testKey } from '../../lib/test-id.ts';
import { measuredWalls } from './compare.ts';
import type { Loaded } from './types.ts';

const statusRank: Record<ProfileDocument['status'], number> = { passed: 0, failed: 1, interrupted: 2, error: 3 };

const addCounts = (a: Counts, b: Counts): Counts => ({
  total: a.total + b.total,
  passed: a.passed + b.passed,
  failed: a.failed + b.failed,
  skipped: a.skipped + b.skipped,
  error: a.error + b.error,
});

const zeroCounts = (): Counts => ({ total: 0, passed: 0, failed: 0, skipped: 0, error: 0 });

function countOutcomes(tests: readonly { outcome: Outcome }[]): Counts {
  const counts = zeroCounts();
  for (const test of tests) {
    counts.total++;
    counts[test.outcome]++;
  }
  return counts;
}

/** Merges shard profiles (measured run i of every shard makes merged run i). */
export function mergeProfiles(shards: readonly Loaded<ProfileDocument>[], now: Date = new Date()): ProfileDocument {
  if (shards.length < 2) throw new UsageError('merge: expected two or more shard profiles');
  const warnings: string[] = [];
  const first = shards[0]!.document;
  const runners = new Set(shards.map((s) => s.document.runner));
  if (runners.size > 1) warnings.push(`shards ran different runners (${[...runners].join(', ')}); kept ${first.runner}`);

  const measured = shards.map((s) => s.document.runs.filter((run) => !run.warmup));
  const runCount = Math.min(...measured.map((runs) => runs.length));
  if (measured.some((runs) => runs.length !== runCount)) warnings.push(`shards have different numbers of measured runs; merged the first ${runCount}`);

  const runs: Run[] = [];
  for (let i = 0; i < runCount; i++) {
    const parts = measured.map((runs) => runs[i]!);
    // Workers are named per shard, so that the timeline keeps one lane per real worker.
    const tests = parts.flatMap((run, s) => run.tests.map((test) => (test.worker ? { ...test, worker: `shard${s + 1}/${test.worker}` } : test)));
    const cpu = parts.every((run) => run.cpu)
      ? { userMs: parts.reduce((sum, run) => sum + run.cpu!.userMs, 0), systemMs: parts.reduce((sum, run) => sum + run.cpu!.systemMs, 0) }
      : undefined;
    const workers = parts.flatMap((run, s) => (run.workers ?? []).map((w) => ({ ...w, id: `shard${s + 1}/${w.id}` })));
    runs.push({
      index: i,
      warmup: false,
      ...(parts[0]!.startedAt ? { startedAt: parts[0]!.startedAt } : {}),
      wallMs: parts.reduce((sum, run) => sum + run.wallMs, 0),
      ...(cpu ? { cpu } : {}),
      exitCode: parts.find((run) => run.exitCode !== 0)?.exitCode ?? 0,
      signal: parts.find((run) => run.signal)?.signal ?? null,
      interrupted: parts.some((run) => run.interrupted),
      ...(workers.length ? { workers } : {}),
      counts: parts.reduce((sum, run) => addCounts(sum, run.counts ?? countOutcomes(run.tests)), zeroCounts()),
      tests,
    });
  }

  const byKey = new Map<string, TestSummary>();
  let duplicates = 0;
  for (const [s, shard] of shards.entries()) {
    for (const test of shard.document.tests) {
      const key = testKey(test);
      const seen = byKey.get(key);
      const renamed = test.worker ? { ...test, worker: `shard${s + 1}/${test.worker}` } : { ...test };
      if (!seen) {
        byKey.set(key, renamed);
        continue;
      }
      // The same test in two shards (a re-run, an overlapping split): one entry over all its runs.
      duplicates++;
      const values = [...(seen.durationMs.values ?? [seen.durationMs.median]), ...(test.durationMs.values ?? [test.durationMs.median])];
      const outcomes = [...(seen.outcomes ?? [seen.outcome]), ...(test.outcomes ?? [test.outcome])];
      byKey.set(key, { ...seen, outcome: test.outcome, outcomes, durationMs: summarize(values), flaky: seen.flaky || test.flaky || new Set(outcomes).size > 1 });
    }
  }
  if (duplicates) warnings.push(`${duplicates} test(s) appeared in more than one shard; merged into one entry each`);
  const tests = [...byKey.values()];

  const walls = runs.map((run) => run.wallMs);
  const sumStats = (pick: (doc: ProfileDocument) => number | undefined) => {
    const values = shards.map((s) => pick(s.document));
    return values.every((v) => v !== undefined) ? (values as number[]).reduce((a, b) => a + b, 0) : undefined;
  };
  const cpuValues = runs.every((run) => run.cpu) ? runs.map((run) => run.cpu!.userMs + run.cpu!.systemMs) : [];
  const testsMs = sumStats((doc) => doc.summary.testsMs?.median);
  const status = shards.map((s) => s.document.status).reduce((worst, next) => (statusRank[next] > statusRank[worst] ? next : worst));
  const sourceWarnings = shards.flatMap((s) => (s.document.warnings ?? []).map((w) => `${s.source}: ${w}`));

  return {
    ...documentHeader('profile', 'report', now),
    ...(first.environment ? { environment: first.environment } : {}),
    command: first.command,
    cwd: first.cwd,
    runner: first.runner,
    status,
    shards: shards.map((s) => ({
      source: s.source,
      wallMs: Math.round(median(measuredWalls(s.document)) * 1000) / 1000,
      tests: s.document.tests.length,
    })),
    runs,
    tests,
    summary: {
      runs: runs.length,
      warmup: 0,
      wallMs: summarize(walls.length ? walls : [0]),
      ...(cpuValues.length ? { cpuMs: summarize(cpuValues) } : {}),
      ...(testsMs !== undefined ? { testsMs: summarize([testsMs], false) } : {}),
      counts: shards.reduce((sum, s) => addCounts(sum, s.document.summary.counts), zeroCounts()),
      flaky: tests.filter((test) => test.flaky).length,
      workers: new Set(runs.at(-1)?.tests.map((t) => t.worker).filter(Boolean)).size,
    },
    ...(sourceWarnings.length || warnings.length ? { warnings: [...warnings, ...sourceWarnings] } : {}),
  } as ProfileDocument;
}

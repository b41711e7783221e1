// Builds valid profile documents from a compact description, for report tests that need exact,
// known timings (golden outputs, verdict edge cases). Real profiles come from testpace-profile in
// the tests that run it; these are checked against the same schema.
import { validateDocument } from '../../lib/read-document.ts';
import type { Outcome, ProfileDocument, Run, TestResult, TestSummary } from '../../lib/profile-document.ts';
import { summarize } from '../../lib/stats.ts';

export interface TestSpec {
  file: string;
  name: string;
  /** Duration in each measured run. */
  durations: number[];
  worker?: string;
  /** Outcome in each run (default passed). */
  outcomes?: Outcome[];
  /** The setup phase in each run (part of the duration; the rest is the call). */
  setup?: number[];
}

export const environment = {
  os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
  cpus: { count: 2, model: 'Example CPU' },
  memoryBytes: 8 * 1024 ** 3,
  runtimes: { node: '20.20.2', python: '3.11.7' },
  git: { commit: 'abcdef0123456789abcdef0123456789abcdef01', branch: 'main', dirty: false },
  ci: false,
};

/** A profile whose tests ran back to back on their workers after `collectionMs`, run after run. */
export function buildProfile(tests: TestSpec[], options: { collectionMs?: number; createdAt?: string; commit?: string } = {}): ProfileDocument {
  const runCount = Math.max(...tests.map((t) => t.durations.length));
  const collection = options.collectionMs ?? 200;
  const runs: Run[] = [];
  for (let r = 0; r < runCount; r++) {
    const clocks = new Map<string, number>();
    const results: TestResult[] = tests.map((t) => {
      const worker = t.worker ?? 'main';
      const start = clocks.get(worker) ?? collection;
      const duration = t.durations[r] ?? t.durations.at(-1)!;
      clocks.set(worker, start + duration);
      const setup = t.setup ? (t.setup[r] ?? t.setup.at(-1)!) : undefined;
      const phases = setup === undefined ? {} : { phases: { setupMs: setup, callMs: Math.max(0, duration - setup), teardownMs: 0 } };
      return { file: t.file, name: t.name, id: `${t.file}::${t.name}`, outcome: t.outcomes?.[r] ?? 'passed', durationMs: duration, ...phases, startMs: start, endMs: start + duration, worker };
    });
    const wall = Math.max(...clocks.values()) + 50;
    const workers = [...clocks.keys()].map((id) => {
      const busy = results.filter((t) => t.worker === id).reduce((sum, t) => sum + (t.durationMs ?? 0), 0);
      return { id, tests: results.filter((t) => t.worker === id).length, busyMs: busy, utilisation: Math.round((busy / wall) * 1000) / 1000 };
    });
    const counts = { total: results.length, passed: 0, failed: 0, skipped: 0, error: 0 };
    for (const t of results) counts[t.outcome]++;
    runs.push({ index: r, warmup: false, wallMs: wall, exitCode: counts.failed ? 1 : 0, signal: null, interrupted: false, collectionMs: collection, tailMs: 50, workers, counts, tests: results });
  }
  const byTest = runs.map((run) => new Map(run.tests.map((x) => [`${x.file}::${x.name}`, x])));
  const summaries: TestSummary[] = tests.map((t) => {
    const results = byTest.map((run) => run.get(`${t.file}::${t.name}`)!);
    const outcomes = results.map((x) => x.outcome);
    const phases = t.setup
      ? { setupMs: summarize(results.map((x) => x.phases!.setupMs!)), callMs: summarize(results.map((x) => x.phases!.callMs!)), teardownMs: summarize(results.map(() => 0)) }
      : {};
    return {
      file: t.file,
      name: t.name,
      id: `${t.file}::${t.name}`,
      outcome: outcomes.at(-1)!,
      outcomes,
      durationMs: summarize(results.map((x) => x.durationMs!)),
      ...phases,
      worker: t.worker ?? 'main',
      flaky: new Set(outcomes).size > 1,
    };
  });
  const last = runs.at(-1)!;
  const document = {
    kind: 'profile',
    schemaVersion: 1,
    tool: { name: 'testpace-profile', version: '0.1.0' },
    createdAt: options.createdAt ?? '2026-11-24T05:00:00.000Z',
    environment: { ...environment, git: { ...environment.git, commit: options.commit ?? environment.git.commit } },
    command: ['pytest', '-q'],
    cwd: 'examples/pytest',
    runner: 'pytest',
    status: last.counts!.failed ? 'failed' : 'passed',
    runs,
    tests: summaries,
    summary: {
      runs: runs.length,
      warmup: 0,
      wallMs: summarize(runs.map((run) => run.wallMs)),
      testsMs: summarize(runs.map((run) => run.tests.reduce((sum, t) => sum + (t.durationMs ?? 0), 0))),
      counts: last.counts!,
      flaky: summaries.filter((t) => t.flaky).length,
      workers: new Set(last.tests.map((t) => t.worker)).size,
    },
  };
  return validateDocument<ProfileDocument>(document, 'built profile', ['profile']);
}

/** n values around `centre` with a deterministic spread of ±`jitter` (a noisy but repeatable run). */
export function around(centre: number, jitter: number, n = 5, phase = 0): number[] {
  return Array.from({ length: n }, (_, i) => Math.round((centre + jitter * Math.sin(1.7 * (i + phase) + 0.3)) * 10) / 10);
}

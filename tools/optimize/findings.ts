// From the analysers' hits (and a profile, when given) to findings: rule, place, test identity,
// message, fix and savings with their basis. Savings are never double-counted (see totalSavings).
import type { TestId } from '../../lib/test-id.ts';
import { testKey } from '../../lib/test-id.ts';
import * as fixes from './fixes.ts';
import type { FileAnalysis, Hit, Rule, Runner, StaticFixture } from './file-analysis.ts';
import type { Place } from './config-location.ts';
import type { ImportCost } from './import-time.ts';
import { SharedPaths } from './fixed-paths.ts';
import { type Measured, type MeasuredTest, measuredFor } from './profile-data.ts';

export interface Savings {
  ms: number | null;
  basis: 'measured' | 'static' | 'none';
  detail: string;
}

export interface Finding {
  rule: Rule;
  file: string;
  line: number;
  column?: number;
  test?: TestId;
  tests?: TestId[];
  message: string;
  fix: string;
  savings: Savings;
  severity: 'high' | 'medium' | 'low';
  /** parallel-unsafe: what breaks. shared-resource: workers collide (files, ports); order-dependent: state left for later tests of the same process. */
  hazard?: Hazard;
}

export type Hazard = 'shared-resource' | 'order-dependent';

/** Fixed paths and ports are shared by every process; the rest (environment, globals, module state, cwd) stays in one. */
export const hazardOf = (kind: string | undefined): Hazard => (kind === 'fixed-path' || kind === 'fixed-port' ? 'shared-resource' : 'order-dependent');

/**
 * Whether process state a test leaves behind can reach a test of another file: jest gives each file its own
 * module registry and process object, node --test runs each file in its own process, vitest isolates each
 * file's modules. Within a file the order is fixed, so such a change is not a parallel or ordering hazard.
 */
export function crossesFiles(runner: Runner, kind: string | undefined): boolean {
  if (hazardOf(kind) === 'shared-resource') return true;
  if (runner === 'node-test') return false;
  if (runner === 'jest') return kind === 'chdir';
  if (runner === 'vitest') return kind !== 'module-global';
  return true;
}

interface Restore {
  key: string;
  /** The test or hook that restores (`kind\0file\0name`). */
  origin: string;
  /** Restores only writes after this line of its own origin (monkeypatch); writes of the tests it runs for, all. */
  after?: number;
}

// What changes the order of tests within a process, per runner.
const REORDERED: Partial<Record<Runner, string>> = {
  pytest: 'xdist --dist load, random order and shards all reorder',
  mocha: '--parallel spreads files over worker processes, and shards reorder',
  vitest: 'sequence.shuffle and shards reorder',
};

const stateKey = (hit: Hit) => hit.detail.key ?? `${hit.detail.kind}:${hit.detail.name}`;

/** Whether restoring `restored` puts back `written`: the same state, a part of it, or all of it (env:*). */
function covers(restored: string, written: string): boolean {
  if (restored === written || written.startsWith(restored + '.') || restored.startsWith(written + '.')) return true;
  return written.startsWith('env:') && (restored === 'env:*' || written === 'env:*') && restored.startsWith('env:');
}

/**
 * Restores by where they apply: a finally block, a monkeypatch or a snapshot written back restores for its
 * own test; an after-hook, a fixture's teardown, an autouse fixture or a module's reset function for every
 * test the hook runs for (and for the hook itself). Keys: `test\0file\0name` or `fixture\0file\0name`.
 */
function restoresByScope(analyses: readonly FileAnalysis[]): Map<string, Restore[]> {
  const scopes = new Map<string, Restore[]>();
  const put = (scope: string, key: string, origin: string, after?: number) => {
    const list = scopes.get(scope) ?? [];
    list.push({ key, origin, after });
    scopes.set(scope, list);
  };
  for (const analysis of analyses) {
    const fixtures = new Map(analysis.fixtures.map((f) => [f.name, f]));
    for (const hit of analysis.hits) {
      if (!hit.restore || hit.rule !== 'parallel-unsafe' || !hit.owner) continue;
      const key = stateKey(hit);
      // monkeypatch restores what it patched from there on, not a write made before it (or in another branch above).
      const after = hit.detail.kind === 'patched' ? hit.line : undefined;
      const origin = `${hit.owner.kind}\u0000${analysis.file}\u0000${hit.owner.name}`;
      put(origin, key, origin, after);
      if (hit.owner.kind === 'fixture') for (const user of fixtures.get(hit.owner.name)?.users ?? []) put(`test\u0000${user}`, key, origin, after);
    }
  }
  return scopes;
}

export interface Thresholds {
  /** Sleeps (and fixture set-ups) shorter than this are not reported. */
  sleepMs: number;
  /** Tests whose measured median is at least this are slow. */
  slowTestMs: number;
  /** Start-up and collection above this share of the wall time are reported. */
  collectionShare: number;
}

/** Claims on test time, kept beside the findings so the total counts each test at most once. */
export interface Claim {
  /** testKey of the test whose time is saved, or a suite-level key. */
  key: string;
  ms: number;
  /** Claims in one pool save the same time (a fixture's sleep and its wider scope): the largest counts. */
  pool?: string;
}

export interface Built {
  findings: Finding[];
  claims: Map<Finding, Claim[]>;
  /** Keys (testKey) of tests that must stay serial. */
  serial: Set<string>;
}

const ms = (value: number) => Math.round(value * 10) / 10;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const overRuns = (measured: Measured) => `over ${plural(measured.runs, 'measured run')}`;

function severity(rule: Rule, savedMs: number | null): Finding['severity'] {
  if (rule === 'parallel-unsafe') return 'high';
  if (savedMs === null) return rule === 'slow-test' || rule === 'slow-collection' ? 'medium' : 'low';
  return savedMs >= 500 ? 'high' : savedMs >= 100 ? 'medium' : 'low';
}

const userIds = (fixture: StaticFixture): TestId[] =>
  fixture.users.map((key) => {
    const [file, name] = key.split('\u0000') as [string, string];
    return { file, name };
  });

const sumOf = (tests: MeasuredTest[], pick: (t: MeasuredTest) => number | undefined) => tests.reduce((sum, t) => sum + (pick(t) ?? t.durationMs), 0);

export function buildFindings(
  analyses: readonly FileAnalysis[],
  measured: Measured | undefined,
  thresholds: Thresholds,
  importCosts: readonly ImportCost[] = [],
  /** Where collection is configured (and the environment, for per-file runners): slow-collection findings point there. */
  places: { collection?: Place; environment?: Place } = {},
): Built {
  const findings: Finding[] = [];
  const claims = new Map<Finding, Claim[]>();
  const serial = new Set<string>();
  const add = (finding: Omit<Finding, 'severity'>, claimed: Claim[] = []) => {
    const full: Finding = { ...finding, severity: severity(finding.rule, finding.savings.ms) };
    findings.push(full);
    claims.set(full, claimed);
  };

  const restores = restoresByScope(analyses);
  // Fixed paths by the files that write them (clean-up code included): a collision needs two writers.
  const shared = new SharedPaths();
  for (const analysis of analyses) for (const hit of analysis.hits) if (hit.detail.kind === 'fixed-path' && hit.owner) shared.add(analysis.file, hit.detail.name!);
  for (const analysis of analyses) {
    if (analysis.error) continue;
    const runner = analysis.runner;
    const fixtures = new Map(analysis.fixtures.map((f) => [f.name, f]));
    const countedCalls = new Set<string>();
    // One finding per state a test or hook changes: writing it again later is not a second leak.
    const reported = new Set<string>();

    for (const hit of analysis.hits) {
      // A write in a finally block or an after-hook puts state back; a sleep there still costs time.
      if (!hit.owner || (hit.restore && hit.rule === 'parallel-unsafe')) continue;
      const fixture = hit.owner.kind === 'fixture' ? fixtures.get(hit.owner.name) : undefined;
      const ownerTest: TestId | undefined = hit.owner.kind === 'test' ? { file: analysis.file, name: hit.owner.name } : undefined;
      const users = fixture ? userIds(fixture) : [];
      const perTest = !fixture || fixture.scope === 'function';
      const runsFor = ownerTest ? [ownerTest] : users;
      const where = ownerTest ? `test "${ownerTest.name}"` : `${fixture?.kind === 'pytest-fixture' ? 'fixture' : 'hook'} "${hit.owner.name}"${users.length ? ` (runs for ${plural(perTest ? users.length : 1, 'test')})` : ''}`;
      const identity = { ...(ownerTest ? { test: ownerTest } : {}), ...(users.length ? { tests: users } : {}) };
      const base = { file: analysis.file, line: hit.line, column: hit.column, ...identity };
      const measuredTests = runsFor.flatMap((t) => measuredFor(measured, t.file, t.name));

      if (hit.rule === 'sleep') {
        const seconds = hit.detail.seconds;
        if (seconds != null && seconds * 1000 < thresholds.sleepMs) continue;
        const times = perTest ? Math.max(1, runsFor.length) : 1;
        const savings: Savings =
          seconds == null
            ? { ms: null, basis: 'none', detail: 'the duration is not a literal' }
            : { ms: ms(seconds * 1000 * times), basis: 'static', detail: `${seconds * 1000} ms literal × ${plural(times, 'run')} per suite run` };
        const claimed =
          seconds == null ? [] : (perTest ? runsFor : runsFor.slice(0, 1)).map((t) => ({ key: testKey(t), ms: seconds * 1000, pool: fixture ? `fixture\u0000${fixture.name}` : undefined }));
        add(
          {
            rule: 'sleep',
            ...base,
            // JavaScript delays are in ms (setTimeout(r, 500)): show the call, not a seconds figure it never held.
            message: `${analysis.language === 'javascript' ? hit.detail.call : `${hit.detail.call}(${seconds == null ? '…' : seconds})`} in ${where} waits ${seconds == null ? 'an unknown time' : `${ms(seconds * 1000)} ms`} of real time`,
            fix: fixes.sleepFix(runner),
            savings,
          },
          claimed,
        );
      } else if (hit.rule === 'real-network' || hit.rule === 'real-database' || hit.rule === 'subprocess') {
        const what = hit.rule === 'real-network' ? 'makes a real network call' : hit.rule === 'real-database' ? 'opens a real database' : 'starts a process';
        const ownerKey = `${hit.rule}\u0000${hit.owner.kind}\u0000${hit.owner.name}`;
        let savings: Savings = { ms: null, basis: 'none', detail: 'no profile: the cost of the call is not measured (give --profile)' };
        let claimed: Claim[] = [];
        if (measuredTests.length && measured) {
          if (countedCalls.has(ownerKey)) {
            savings = { ms: 0, basis: 'measured', detail: `counted with the first ${hit.rule} call of the same ${hit.owner.kind}` };
          } else {
            const total = sumOf(measuredTests, (t) => t.callMs);
            savings = { ms: ms(total), basis: 'measured', detail: `upper bound: measured median call time of the ${plural(measuredTests.length, 'test')} that make${measuredTests.length === 1 ? 's' : ''} it, ${overRuns(measured)}` };
            claimed = measuredTests.map((t) => ({ key: testKey(t), ms: t.callMs ?? t.durationMs }));
          }
        }
        countedCalls.add(ownerKey);
        add({
          rule: hit.rule,
          ...base,
          message: `${hit.detail.call} in ${where} ${what}`,
          fix: hit.rule === 'real-network' ? fixes.networkFix(runner) : hit.rule === 'real-database' ? fixes.databaseFix(runner) : fixes.subprocessFix(runner),
          savings,
        }, claimed);
      } else if (hit.rule === 'parallel-unsafe') {
        const kind = hit.detail.kind;
        if (kind === 'patched' || kind === 'reset' || !crossesFiles(runner, kind)) continue;
        const key = stateKey(hit);
        const owner = `${hit.owner.kind}\u0000${analysis.file}\u0000${hit.owner.name}`;
        const restoredIn = (scope: string) => (restores.get(scope) ?? []).some((r) => covers(r.key, key) && (r.after === undefined || r.origin !== owner || hit.line > r.after));
        // A hook's write is put back when its own teardown, or an after-hook of every test it runs for, restores it.
        const restoredForUsers = !ownerTest && users.length > 0 && users.every((u) => restoredIn(`test\u0000${testKey(u)}`));
        if (restoredIn(owner) || (ownerTest && restoredIn(`test\u0000${testKey(ownerTest)}`)) || restoredForUsers) continue;
        if (reported.has(`${owner}\u0000${key}`)) continue;
        reported.add(`${owner}\u0000${key}`);
        const hazard = hazardOf(kind);
        if (hazard === 'shared-resource') for (const t of runsFor) serial.add(testKey(t));
        const several = hit.detail.name === '*' || hit.detail.name === '?' || Boolean(hit.detail.name?.includes(', '));
        const envName = hit.detail.name === '*' || hit.detail.name === '?' ? 'environment variables' : `the environment variable${several ? 's' : ''} ${hit.detail.name}`;
        const what =
          kind === 'env'
            ? `writes ${envName} and leaves ${several ? 'them' : 'it'} changed`
            : kind === 'fixed-path'
              ? `writes the fixed path ${hit.detail.name}, ${sharedBy(shared.others(analysis.file, hit.detail.name!))}`
              : kind === 'fixed-port'
                ? `listens on the fixed port ${hit.detail.name}, which only one process at a time can`
                : kind === 'chdir'
                  ? 'changes the process working directory and leaves it changed'
                  : kind === 'global'
                    ? `sets the global ${hit.detail.name} and leaves it set`
                    : `changes ${hit.detail.name}${hit.detail.module ? ` of ${hit.detail.module}` : ''} (module state) and leaves it changed`;
        const consequence =
          hazard === 'shared-resource'
            ? 'tests running at the same time in other workers collide on it'
            : `tests that run after it in the same process see it, so results depend on test order (${REORDERED[runner] ?? 'shards reorder'})`;
        add({
          rule: 'parallel-unsafe',
          ...base,
          hazard,
          message: `${where} ${what}: ${consequence}`,
          fix: fixes.serialFix(runner, kind, hazard),
          savings: {
            ms: null,
            basis: 'none',
            detail: hazard === 'shared-resource' ? 'fixing it lets these tests run in parallel; the gain is in the parallel plan' : 'separate worker processes do not share it: the parallel plan does not need these tests serial',
          },
        });
      }
    }

    for (const fixture of analysis.fixtures) {
      if (fixture.scope !== 'function' || fixture.users.length < 2) continue;
      const users = userIds(fixture);
      const measuredUsers = users.flatMap((t) => measuredFor(measured, t.file, t.name));
      const withSetup = measuredUsers.filter((t) => t.setupMs !== undefined);
      const staticMs = analysis.hits
        .filter((h) => h.rule === 'sleep' && h.owner?.kind === 'fixture' && h.owner.name === fixture.name && h.detail.seconds != null)
        .reduce((sum, h) => sum + h.detail.seconds! * 1000, 0);
      let cost: number;
      let savings: Savings;
      const uses = users.length;
      if (withSetup.length && measured) {
        cost = [...withSetup.map((t) => t.setupMs!)].sort((a, b) => a - b)[withSetup.length >> 1]!;
        savings = { ms: ms((uses - 1) * cost), basis: 'measured', detail: `(${uses} uses − 1) × ${ms(cost)} ms measured median set-up, ${overRuns(measured)}` };
      } else if (staticMs > 0) {
        cost = staticMs;
        savings = { ms: ms((uses - 1) * cost), basis: 'static', detail: `(${uses} uses − 1) × ${ms(cost)} ms of sleep literals in the set-up${measured ? ` (${measured.runner} reports no separate set-up time)` : ''}` };
      } else continue;
      if (cost < thresholds.sleepMs) continue;
      add(
        {
          rule: 'costly-fixture',
          file: analysis.file,
          line: fixture.line,
          tests: users,
          message: `${fixture.kind === 'pytest-fixture' ? 'fixture' : 'hook'} "${fixture.name}" costs ${ms(cost)} ms and runs again for each of its ${uses} tests${fixture.mutatedBy?.length ? `; ${plural(fixture.mutatedBy.length, 'test')} mutate${fixture.mutatedBy.length === 1 ? 's' : ''} what it builds` : ''}`,
          fix: fixes.fixtureFix(runner, fixture.kind, Boolean(fixture.mutatedBy?.length)),
          savings,
        },
        users.slice(1).map((t) => ({ key: testKey(t), ms: cost, pool: `fixture\u0000${fixture.name}` })),
      );
    }
  }

  duplicates(analyses, measured, add);
  if (measured) slowTests(analyses, measured, thresholds, add);
  if (measured) slowCollection(analyses, measured, thresholds, importCosts, add, places);
  return { findings, claims, serial };
}

const MAX_LISTED = 20;

/** Who else writes a fixed path (or a path inside it, or a directory around it). */
function sharedBy(others: string[]): string {
  if (!others.length) return 'which every worker shares';
  const named = others.length > 4 ? [...others.slice(0, 3), `${others.length - 3} more files`] : others;
  const list = named.length === 1 ? named[0]! : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
  return `which ${list} ${others.length === 1 ? 'writes' : 'write'} too (or a path inside it or around it)`;
}

type Add = (finding: Omit<Finding, 'severity'>, claimed?: Claim[]) => void;

function duplicates(analyses: readonly FileAnalysis[], measured: Measured | undefined, add: Add): void {
  const groups = new Map<string, Array<{ analysis: FileAnalysis; name: string; line: number }>>();
  for (const analysis of analyses) {
    for (const test of analysis.tests) {
      if (!test.hash) continue;
      const key = `${analysis.language}\u0000${test.hash}`;
      const group = groups.get(key) ?? [];
      group.push({ analysis, name: test.name, line: test.line });
      groups.set(key, group);
    }
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    // Big groups (generated suites) would make every finding list every other test: name a few.
    const ids = group.slice(0, MAX_LISTED).map((g) => ({ file: g.analysis.file, name: g.name }));
    group.forEach((member, index) => {
      // Named: the first three others; a generated group of thousands is not listed in every message.
      const others = group
        .slice(0, 4)
        .filter((g) => g !== member)
        .slice(0, 3)
        .map((g) => `"${g.name}"${g.analysis.file === member.analysis.file ? '' : ` (${g.analysis.file})`}`);
      if (group.length - 1 > 3) others.push(`${group.length - 1 - 3} more`);
      const own = measuredFor(measured, member.analysis.file, member.name);
      let savings: Savings;
      let claimed: Claim[] = [];
      if (index === 0) savings = { ms: 0, basis: own.length ? 'measured' : 'none', detail: 'the one to keep' };
      else if (own.length && measured) {
        savings = { ms: ms(sumOf(own, () => undefined)), basis: 'measured', detail: `measured median duration of the duplicate, ${overRuns(measured)}` };
        claimed = own.map((t) => ({ key: testKey(t), ms: t.durationMs }));
      } else savings = { ms: null, basis: 'none', detail: 'no profile: the duplicate’s duration is not measured' };
      add(
        {
          rule: 'duplicate-test',
          file: member.analysis.file,
          line: member.line,
          test: { file: member.analysis.file, name: member.name },
          tests: index < MAX_LISTED ? ids : [...ids.slice(0, MAX_LISTED - 1), { file: member.analysis.file, name: member.name }],
          message: `"${member.name}" has the same body as ${others.join(', ')} once names are normalised`,
          fix: fixes.duplicateFix(member.analysis.runner),
          savings,
        },
        claimed,
      );
    });
  }
}

function slowTests(analyses: readonly FileAnalysis[], measured: Measured, thresholds: Thresholds, add: Add): void {
  const byFile = new Map(analyses.map((a) => [a.file, a]));
  const runnerOfFile = (file: string): Runner => byFile.get(file)?.runner ?? (measured.runner === 'other' ? 'pytest' : measured.runner);
  for (const test of measured.tests) {
    if (test.durationMs < thresholds.slowTestMs) continue;
    const analysis = byFile.get(test.file);
    const known = analysis?.tests.find((t) => t.name === test.name || test.name.startsWith(t.name + '['));
    add({
      rule: 'slow-test',
      file: test.file,
      line: known?.line ?? 0,
      test: { file: test.file, name: test.name, id: test.id },
      message: `"${test.name}" takes ${ms(test.durationMs)} ms (median ${overRuns(measured)}), above the ${thresholds.slowTestMs} ms threshold`,
      fix: fixes.slowTestFix(runnerOfFile(test.file)),
      savings: { ms: null, basis: 'none', detail: `measured ${ms(test.durationMs)} ms; what a fix saves depends on the fix (other findings on this test say more)` },
    });
  }
}

/** Whether start-up and collection take enough of the run to report (and to measure Python imports for). */
export function collectionIsSlow(measured: Measured, thresholds: Thresholds): boolean {
  return measured.wallMs > 0 && measured.startupMs / measured.wallMs >= thresholds.collectionShare;
}

function slowCollection(analyses: readonly FileAnalysis[], measured: Measured, thresholds: Thresholds, importCosts: readonly ImportCost[], add: Add, places: { collection?: Place; environment?: Place }): void {
  const runner: Runner = measured.runner === 'other' ? (analyses[0]?.runner ?? 'pytest') : measured.runner;
  environmentSetup(measured, thresholds, add, places.environment ?? places.collection, runner);
  if (!collectionIsSlow(measured, thresholds)) return;
  const share = Math.round((measured.startupMs / measured.wallMs) * 100);
  const collected = measured.tests.length + measured.skipped.length;
  // The measured split: the interpreter and plugins before the session, then collecting (pytest records both).
  const split =
    measured.sessionStartMs !== undefined
      ? `: ${ms(measured.sessionStartMs)} ms to start the interpreter and plugins, then ${ms(Math.max(0, measured.startupMs - measured.sessionStartMs))} ms to collect ${collected} test${collected === 1 ? '' : 's'}${measured.skipped.length ? ` (${measured.skipped.length} of them skipped)` : ''}`
      : ` before the first of ${collected} test${collected === 1 ? '' : 's'} starts`;
  add({
    rule: 'slow-collection',
    file: places.collection?.file ?? '.',
    line: places.collection?.line ?? 0,
    message: `start-up and collection take ${ms(measured.startupMs)} ms, ${share}% of the ${ms(measured.wallMs)} ms run (medians ${overRuns(measured)})${split}`,
    fix: fixes.collectionFix(runner),
    savings: { ms: null, basis: 'none', detail: `measured ${ms(measured.startupMs)} ms before the first test; how much of it a fix removes is not known` },
  });
  // The heaviest imports of the test modules, each at the first test file that imports it.
  for (const cost of importCosts.filter((c) => c.cumulativeMs >= thresholds.sleepMs).slice(0, 3)) {
    const importer = analyses
      .filter((a) => a.language === 'python' && a.importLines)
      .flatMap((a) => Object.entries(a.importLines!).filter(([module]) => module === cost.module || module.startsWith(cost.module + '.')).map(([, line]) => ({ file: a.file, line })))
      .sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.line - y.line))[0];
    if (!importer) continue;
    add(
      {
        rule: 'slow-collection',
        file: importer.file,
        line: importer.line,
        message: `importing ${cost.module} takes ${ms(cost.cumulativeMs)} ms at collection, in every process that collects this file`,
        fix: `import ${cost.module} inside the tests or fixtures that use it (or behind pytest.importorskip), so collection does not pay for it`,
        savings: { ms: ms(cost.cumulativeMs), basis: 'measured', detail: 'cumulative import time measured by python3 -X importtime (1 run), once per process that collects' },
      },
      [{ key: `collection\u0000${cost.module}`, ms: cost.cumulativeMs }],
    );
  }
}

/** The test environment (vitest, jest: jsdom, happy-dom) built for every file, when it is a large share of the files' time. */
function environmentSetup(measured: Measured, thresholds: Thresholds, add: Add, place: Place | undefined, runner: Runner): void {
  let environment = 0;
  let total = 0;
  for (const file of measured.files.values()) {
    environment += file.environmentMs;
    total += file.durationMs;
  }
  if (total <= 0 || environment < thresholds.sleepMs || environment / total < 0.2) return;
  const files = measured.files.size;
  add(
    {
      rule: 'slow-collection',
      file: place?.file ?? '.',
      line: place?.line ?? 0,
      message: `setting up the test environment takes ${ms(environment)} ms over ${files} file${files === 1 ? '' : 's'}, ${Math.round((environment / total) * 100)}% of the files' measured time (medians ${overRuns(measured)})`,
      fix:
        runner === 'jest'
          ? 'run the files that need no DOM in the node environment (@jest-environment node docblock, or a project with testEnvironment: "node"); jsdom is built again for every file'
          : 'run the files that need no DOM in the node environment (// @vitest-environment node, or a project per environment), or try happy-dom; the environment is built again for every file',
      savings: { ms: ms(environment), basis: 'measured', detail: `upper bound: the measured environment set-up summed over the files, ${overRuns(measured)}` },
    },
    [{ key: 'environment\u0000set-up', ms: environment }],
  );
}

/**
 * Total savings with each test's time counted at most once: the claims on one test are summed and
 * capped at its measured duration (when measured), so a sleep and a network call in the same test
 * cannot save more than the test takes.
 */
export function totalSavings(built: Built, measured: Measured | undefined): number {
  const pools = new Map<string, Map<string, number>>();
  let unique = 0;
  for (const claimed of built.claims.values()) {
    for (const claim of claimed) {
      const byPool = pools.get(claim.key) ?? new Map<string, number>();
      const pool = claim.pool ?? `#${unique++}`;
      byPool.set(pool, Math.max(byPool.get(pool) ?? 0, claim.ms));
      pools.set(claim.key, byPool);
    }
  }
  const perTest = new Map([...pools].map(([key, byPool]) => [key, [...byPool.values()].reduce((sum, v) => sum + v, 0)]));
  let total = 0;
  for (const [key, claimed] of perTest) {
    const [file, name] = key.split('\u0000') as [string, string];
    const tests = measuredFor(measured, file, name);
    const cap = tests.length ? tests.reduce((sum, t) => sum + t.durationMs, 0) : Infinity;
    total += Math.min(claimed, cap);
  }
  // Nothing saves more than the run measured: a static claim on a test the profile never ran is not time it took.
  return ms(measured ? Math.min(total, measured.wallMs) : total);
}

export function byRule(findings: readonly Finding[]): Record<string, { count: number; savingsMs: number; basis: string }> {
  const out: Record<string, { count: number; savingsMs: number; basis: string }> = {};
  for (const finding of findings) {
    const entry = (out[finding.rule] ??= { count: 0, savingsMs: 0, basis: '' });
    entry.count++;
    entry.savingsMs = ms(entry.savingsMs + (finding.savings.ms ?? 0));
    const bases = new Set([...entry.basis.split('+').filter(Boolean), finding.savings.basis].filter((b) => b !== 'none' || finding.savings.ms !== null));
    entry.basis = [...bases].sort().join('+') || 'none';
  }
  return out;
}

export type { Hit };

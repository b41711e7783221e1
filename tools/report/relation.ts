// Whether two documents can be compared at all: the same project measured twice, on comparable
// machines. Profiles of different projects (different commands, almost no test in common) are
// refused: a verdict over them would mean nothing. Lesser differences are warnings, naming what differs.
import { InputError } from '../../lib/errors.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import { testKey } from '../../lib/test-id.ts';
import { type BenchmarkDocument, benchmarkKey } from './benchmark-document.ts';
import type { Environment as DocumentEnvironment } from '../../lib/generated/documents.ts';
import type { Loaded } from './types.ts';

/** Below this share of the tests (or benchmarks) in common, two documents are unrelated. */
export const UNRELATED_BELOW = 0.2;
/** Below this share, the comparison warns that most of it is new or removed. */
const PARTIAL_BELOW = 0.8;

type Environment = Pick<DocumentEnvironment, 'os' | 'cpus'> & { runtimes?: unknown };

/** What differs between the machines of two documents, for a warning; empty when nothing does. */
export function machineDifferences(before: Environment | undefined, after: Environment | undefined): string[] {
  if (!before || !after) return [];
  const out: string[] = [];
  if (before.cpus.model !== after.cpus.model) out.push(`CPU ${JSON.stringify(before.cpus.model)} vs ${JSON.stringify(after.cpus.model)}`);
  if (before.cpus.count !== after.cpus.count) out.push(`${before.cpus.count} vs ${after.cpus.count} CPUs`);
  if (before.os.platform !== after.os.platform || before.os.arch !== after.os.arch) out.push(`${before.os.platform} ${before.os.arch} vs ${after.os.platform} ${after.os.arch}`);
  const runtimes = (env: Environment) => (typeof env.runtimes === 'object' && env.runtimes !== null ? (env.runtimes as Record<string, string>) : {});
  const [a, b] = [runtimes(before), runtimes(after)];
  for (const name of Object.keys(a).filter((k) => k in b).sort()) if (a[name] !== b[name]) out.push(`${name} ${a[name]} vs ${b[name]}`);
  return out;
}

const share = (n: number) => `${(n * 100).toFixed(n > 0 && n < 0.01 ? 1 : 0)}%`;
const count = (n: number) => n.toLocaleString('en-US');

/**
 * Checks that `current` can be compared with `baseline`; returns the warnings, or throws an
 * InputError (exit 2) when the two are unrelated, unless `allow` says to compare them anyway.
 */
export function checkRelated(baseline: Loaded<ProfileDocument | BenchmarkDocument>, current: Loaded<ProfileDocument | BenchmarkDocument>, allow: boolean): string[] {
  const warnings: string[] = [];
  const differs: string[] = [];
  let keysBefore: Set<string>;
  let keysAfter: Set<string>;
  let what: string;
  if (baseline.document.kind === 'profile' && current.document.kind === 'profile') {
    const [a, b] = [baseline.document, current.document];
    const command = (doc: ProfileDocument) => doc.command.join(' ');
    if (command(a) !== command(b)) differs.push(`commands differ (\`${command(a)}\` vs \`${command(b)}\`)`);
    if (a.cwd !== b.cwd) differs.push(`they ran in different directories (${a.cwd} vs ${b.cwd})`);
    if (a.runner !== b.runner) differs.push(`runners differ (${a.runner} vs ${b.runner})`);
    keysBefore = new Set(a.tests.map(testKey));
    keysAfter = new Set(b.tests.map(testKey));
    what = 'tests';
  } else {
    const [a, b] = [baseline.document as BenchmarkDocument, current.document as BenchmarkDocument];
    const harnesses = (doc: BenchmarkDocument) => [...new Set(doc.sources.map((s) => s.harness))].sort().join(', ');
    if (harnesses(a) !== harnesses(b)) differs.push(`harnesses differ (${harnesses(a)} vs ${harnesses(b)})`);
    keysBefore = new Set(a.benchmarks.map(benchmarkKey));
    keysAfter = new Set(b.benchmarks.map(benchmarkKey));
    what = 'benchmarks';
  }
  const common = [...keysAfter].filter((k) => keysBefore.has(k)).length;
  const union = new Set([...keysBefore, ...keysAfter]).size;
  const overlap = union ? common / union : 1;
  const shared = `${baseline.source} and ${current.source} share ${count(common)} of ${count(union)} ${what} (${share(overlap)})`;
  if (overlap < UNRELATED_BELOW) {
    const message = `${shared}${differs.length ? `; ${differs.join('; ')}` : ''}: a comparison of them would mean nothing`;
    if (!allow) throw new InputError(current.source, `cannot compare with ${baseline.source}: ${message.replace(`${baseline.source} and ${current.source} `, 'they ')}`, { hint: 'measure the same project on both sides; --allow-unrelated compares them anyway' });
    warnings.push(`compared although unrelated (--allow-unrelated): ${message}`);
  } else {
    if (overlap < PARTIAL_BELOW) warnings.push(`${shared}: the rest are new or removed`);
    if (differs.length) warnings.push(`${baseline.source} and ${current.source}: ${differs.join('; ')}`);
  }
  const machines = machineDifferences(baseline.document.environment, current.document.environment);
  if (machines.length) warnings.push(`measured on different machines or runtimes (${machines.join('; ')}): a difference may be theirs, not the change's`);
  return warnings;
}

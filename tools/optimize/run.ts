// testpace-optimize: read the test code and a profile, write the optimization document.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { collectEnvironment, pythonVersion } from '../../lib/environment.ts';
import { tryGit } from '../../lib/git.ts';
import { documentHeader } from '../../lib/document-header.ts';
import { readDocument } from '../../lib/read-document.ts';
import { ExitCode } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import { documentTarget, documentWritten, formatDocument, writeDocument, writeProduct } from '../../lib/output.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import { testKey } from '../../lib/test-id.ts';
import { printable } from '../../lib/printable.ts';
import { analyseFiles } from './analyse.ts';
import { configLocation } from './config-location.ts';
import type { OptimizeOptions } from './options.ts';
import { discover, toPosix } from './discover.ts';
import { buildFindings, byRule, collectionIsSlow, totalSavings } from './findings.ts';
import { type ImportCost, measureImports } from './import-time.ts';
import type { FileAnalysis, Runner } from './file-analysis.ts';
import { planParallel } from './parallel.ts';
import { type Measured, readMeasured } from './profile-data.ts';
import { type ShardItem, planShards } from './shards.ts';
import { printSummary } from './summary.ts';

// The runner itself is imported before collection whatever the tests do: not a finding.
const RUNNER_MODULES = new Set(['pytest', '_pytest', 'pluggy', 'xdist']);

export async function run(options: OptimizeOptions, io: Io, now: Date = new Date()): Promise<number> {
  const candidates = await discover(options.paths, io.cwd);
  const python = io.env.TESTPACE_PYTHON || 'python3';
  // python3 parses the Python files on the other CPU while this process reads the profile (a big one takes
  // seconds); the JS files wait for the profile's runner, the fallback for their own.
  let runnerKnown: (runner: Runner | undefined) => void = () => undefined;
  const analysesReady = analyseFiles(candidates, io.cwd, { python, runner: new Promise((resolve) => (runnerKnown = resolve)) });
  analysesReady.catch(() => undefined);
  let profile: ProfileDocument | undefined;
  let measured: Measured | undefined;
  try {
    profile = options.profile ? await readDocument<ProfileDocument>(options.profile, io, ['profile']) : undefined;
    measured = profile ? readMeasured(profile, await rebaseFromProfile(profile.cwd, io.cwd)) : undefined;
  } catch (error) {
    // A bad profile: the analysis already started ends before the error is reported, leaving nothing running.
    runnerKnown(undefined);
    await analysesReady.catch(() => undefined);
    throw error;
  }
  runnerKnown(measured && measured.runner !== 'other' ? (measured.runner as Runner) : undefined);
  // The environment (git, python version: subprocesses) is gathered while the files are parsed.
  const environmentReady = (async () =>
    collectEnvironment(io.cwd, io.env, candidates.some((c) => c.language === 'python') ? await pythonRuntime(io.cwd, python) : {}))();
  environmentReady.catch(() => undefined);
  const analyses = await analysesReady;
  const thresholds = { sleepMs: options.minSleepMs, slowTestMs: options.slowTestMs, collectionShare: 0.3 };
  const pythonFiles = analyses.filter((a) => a.language === 'python' && !a.error);
  let importCosts: ImportCost[] = [];
  if (measured && collectionIsSlow(measured, thresholds) && pythonFiles.length) {
    const modules = [...new Set(pythonFiles.flatMap((a) => Object.keys(a.importLines ?? {})))].filter((m) => !RUNNER_MODULES.has(m.split('.')[0]!)).sort();
    importCosts = await measureImports(modules, io.cwd, python, io.env);
  }
  const collectionPlace = measured ? configLocation(io.cwd, measured.runner) : undefined;
  const environmentPlace = measured ? configLocation(io.cwd, measured.runner, /environment/i) : undefined;
  const built = buildFindings(analyses, measured, thresholds, importCosts, { collection: collectionPlace, environment: environmentPlace });
  built.findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
  const warnings: string[] = [];
  const environment = await environmentReady;

  let parallel = null;
  let shards = null;
  if (measured) {
    const analysedTests = new Set(analyses.flatMap((a) => a.tests.map((t) => testKey({ file: a.file, name: t.name }))));
    if (analyses.length && measured.tests.length && !measured.tests.some((t) => analysedTests.has(testKey(t)) || analysedTests.has(testKey({ file: t.file, name: t.name.split('[')[0]! })))) {
      warnings.push(`no analysed test matches a test of the profile: run testpace-optimize from the directory the profile was recorded in (profile files look like ${measured.tests[0]!.file})`);
    }
    const serial = new Set([...built.serial].filter((key) => measured.byKey.has(key)));
    // Measured tests behind a static name (parametrized cases) are serial with it.
    for (const key of built.serial) for (const t of measured.byKey.get(key) ?? []) serial.add(testKey(t));
    if (measured.tests.length) {
      parallel = planParallel(measured, { maxWorkers: options.workers ?? Math.max(2, environment.cpus.count), dist: options.dist, serial, cpus: environment.cpus.count });
    } else warnings.push('the profile holds no measured tests: no parallel plan');
    if (options.shards) shards = shardPlan(measured, analyses, options.shards);
  }

  if (options.format === 'list' && shards && options.shard) {
    const group = shards.groups[options.shard[0] - 1]!;
    await writeProduct(io, options.out, group.items.map((item) => item + (options.nul ? '\0' : '\n')).join(''));
    io.stderr.write(`shard ${options.shard[0]}/${options.shard[1]}: ${group.items.length} ${shards.unit}s, predicted ${Math.round(group.predictedMs)} ms (imbalance ${shards.imbalance})\n`);
    return ExitCode.ok;
  }

  const failed = analyses.filter((a) => a.error).map((a) => ({ file: a.file, line: a.error!.line, error: a.error!.message }));
  const current = measured ? Math.max(1, measured.workersSeen) : 1;
  const currentWall = parallel?.predictions.find((p) => p.workers === current)?.predictedWallMs;
  const document = {
    ...documentHeader('optimization', 'optimize', now),
    environment,
    inputs: {
      paths: options.paths,
      profile: profile && measured ? { source: options.profile!, runs: measured.runs, runner: profile.runner } : null,
    },
    files: { analysed: analyses.length - failed.length, failed },
    findings: built.findings,
    parallel,
    shards,
    summary: {
      findings: built.findings.length,
      byRule: byRule(built.findings),
      totalSavingsMs: totalSavings(built, measured),
      parallelGainMs: parallel && currentWall !== undefined ? Math.max(0, Math.round((currentWall - parallel.predictions[parallel.recommended.workers - 1]!.predictedWallMs) * 10) / 10) : null,
      parallelSafeTests: measured ? measured.tests.length - (parallel?.serialTests.length ?? 0) : analyses.reduce((n, a) => n + a.tests.length, 0) - built.serial.size,
      serialTests: measured ? (parallel?.serialTests.length ?? 0) : built.serial.size,
    },
    ...(warnings.length ? { warnings } : {}),
  };
  for (const warning of warnings) io.stderr.write(`testpace-optimize: warning: ${printable(warning)}\n`);
  const target = documentTarget(io, options.out, 'optimize');
  await writeDocument(io, target, formatDocument(document));
  printSummary(io, document);
  io.stderr.write(documentWritten('optimize', target, nextSteps(options.profile, profile)));
  return ExitCode.ok;
}

/** A word as a POSIX shell reads it back. */
const shellWord = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** After the findings: profile again once they are fixed, and compare the two profiles. */
function nextSteps(source: string | undefined, profile: ProfileDocument | undefined): Array<[string, string]> {
  if (!profile || !source || source === '-') return [];
  const runs = profile.summary.runs;
  const command = profile.command.map(shellWord).join(' ');
  return [
    [`testpace-profile${runs > 1 ? ` --runs ${runs}` : ''} --out .testpace/after.json -- ${command}`, 'once the findings are fixed'],
    [`testpace-report ${shellWord(source)} .testpace/after.json`, 'what the fixes changed'],
  ];
}

/**
 * Profiles name files relative to the directory the runner ran in (their `cwd`: relative to the git
 * root, or absolute). When optimize runs elsewhere (the repository root, say), their files are rebased.
 */
async function rebaseFromProfile(profileCwd: string, cwd: string): Promise<(file: string) => string> {
  const identity = (file: string) => file;
  let dir: string;
  if (path.isAbsolute(profileCwd)) dir = profileCwd;
  else {
    const top = (await tryGit(cwd, ['rev-parse', '--show-toplevel'], { timeoutMs: 5000 }))?.trim();
    dir = path.resolve(top ?? cwd, profileCwd);
  }
  if (!existsSync(dir) || path.resolve(dir) === path.resolve(cwd)) return identity;
  return (file) => toPosix(cwd, path.resolve(dir, file));
}

async function pythonRuntime(cwd: string, python: string): Promise<Record<string, string>> {
  if (python !== 'python3') return {};
  const version = await pythonVersion(cwd);
  return version ? { python: version } : {};
}

function shardPlan(measured: Measured, analyses: readonly FileAnalysis[], count: number) {
  const over = `measured medians over ${measured.runs} run${measured.runs === 1 ? '' : 's'}`;
  const skipped = measured.skipped.length ? `; ${measured.skipped.length} test${measured.skipped.length === 1 ? '' : 's'} skipped in the profile (perhaps run elsewhere) included without a duration` : '';
  // pytest selects single tests by node id; the JS runners and bats select files.
  if (measured.runner === 'pytest') {
    const items: ShardItem[] = measured.tests.map((t) => ({ item: t.id, ms: t.durationMs }));
    for (const t of measured.skipped) items.push({ item: t.id, ms: undefined });
    const known = new Set([...measured.tests, ...measured.skipped].map((t) => t.file));
    for (const analysis of analyses) {
      if (analysis.language !== 'python' || known.has(analysis.file) || !analysis.tests.length) continue;
      for (const test of analysis.tests) items.push({ item: `${analysis.file}::${test.name}`, ms: undefined });
    }
    return planShards(uniqueItems(items), count, 'test', `${over}, longest first onto the least-loaded shard${skipped}`);
  }
  const byFile = new Map<string, number | undefined>();
  for (const test of measured.tests) byFile.set(test.file, (byFile.get(test.file) ?? measured.files.get(test.file)?.durationMs ?? measured.fileOverheadMs) + (measured.files.has(test.file) ? 0 : test.durationMs));
  for (const test of measured.skipped) if (!byFile.has(test.file)) byFile.set(test.file, undefined);
  for (const analysis of analyses) if (!byFile.has(analysis.file) && analysis.tests.length) byFile.set(analysis.file, undefined);
  return planShards([...byFile].map(([item, ms]) => ({ item, ms })), count, 'file', `${over} (tests plus ${Math.round(measured.fileOverheadMs)} ms per-file overhead), longest first onto the least-loaded shard${skipped}`);
}

/** Each item once: a test both measured and skipped (in different runs) is one test. */
function uniqueItems(items: ShardItem[]): ShardItem[] {
  const seen = new Map<string, ShardItem>();
  for (const item of items) if (!seen.has(item.item) || seen.get(item.item)!.ms === undefined) seen.set(item.item, item);
  return [...seen.values()];
}

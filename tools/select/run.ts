// testpace-select: changed files → dependency graph → affected tests, with the reason for each.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { glob } from 'tinyglobby';
import { collectEnvironment } from '../../lib/environment.ts';
import { ExitCode, InputError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import { documentTarget, documentWritten, formatDocument, writeDocument, writeProduct } from '../../lib/output.ts';
import { toPosixRelative } from '../../lib/test-id.ts';
import { printable } from '../../lib/printable.ts';
import { type CacheEntry, RESOLUTION_INPUTS, cacheDirectory, packDeps, readCache, writeCache } from './cache.ts';
import { type Changes, baseCandidates, gitChanges, gitSnapshot, listedChanges } from './changes.ts';
import { createClassifier } from './classify.ts';
import { extractAll, languageOf } from './extract.ts';
import { buildGraph, createFileResolver, directoriesOf, inGraph, isHub } from './graph.ts';
import { type Project, type RunnerProject, declaredRunners, discoverTests, loadProject } from './project.ts';
import { ignoredFiles } from './ignored.ts';
import { type WarmBuild, dirtySignatures, loadWarm, warmKey, writeWarm } from './warm.ts';
import { selectTests } from './select.ts';
import { selectSymbols } from './select-symbols.ts';
import { type Timings, budget, order, readTimings, shard } from './schedule.ts';
import type { SelectOptions } from './options.ts';
import { explain } from './explain.ts';
import { selectionDocument, summary } from './report.ts';


async function changedFromOption(files: string[], io: Io): Promise<string[]> {
  if (files.length === 1 && files[0] === '-') {
    // lib/documents (and ajv with it) loads only when needed: it costs every run that does not.
    const { readSource } = await import('../../lib/read-document.ts');
    const { text } = await readSource('-', io);
    return text.split(/\r?\n|\0/).filter((line) => line.trim() !== '');
  }
  return files;
}

/** The graph and the tests a run selects from, built in full or from the warm index. */
interface Build extends Pick<WarmBuild, 'graph' | 'tests' | 'existing' | 'filesInGraph' | 'parsed'> {
  warm: boolean;
}

export async function run(options: SelectOptions, io: Io): Promise<number> {
  const started = performance.now();
  // Where the time goes, for --debug (select is meant to be fast; this shows whether it is).
  const phases: Array<[string, number]> = [];
  let last = started;
  const phase = (name: string): void => {
    const now = performance.now();
    phases.push([name, now - last]);
    last = now;
  };
  const details = options.format === 'json';
  const snapshot = await gitSnapshot(io.cwd, options.files ? [] : baseCandidates(options.since), details);
  if (!snapshot && !options.files) {
    throw new InputError(io.cwd, 'not inside a git repository, so the changed files are not known', { hint: 'pass them with --files a b (or --files - to read them from stdin)' });
  }
  const root = snapshot?.root ?? io.cwd;
  const changes: Changes = options.files
    ? listedChanges(root, io.cwd, await changedFromOption(options.files, io))
    : await gitChanges(snapshot!, { since: options.since, committedOnly: options.committedOnly, onMissingBase: options.onMissingBase });
  const deleted = new Set<string>();
  for (const change of changes.changed) {
    if (change.status === 'deleted') deleted.add(change.path);
    if (change.status === 'renamed' && change.oldPath) deleted.add(change.oldPath);
  }
  // --tests globs are relative to the current directory, like the paths select prints.
  const cwdPrefix = toPosixRelative(root, io.cwd);
  const testGlobs = options.tests?.map((glob) => (cwdPrefix ? path.posix.join(cwdPrefix, glob.replace(/^\.\//, '')) : glob)) ?? null;
  const cacheDir = cacheDirectory(root, io.env);
  const command = options.command ?? null;
  const graphOptions = { ignoreTypeImports: options.ignoreTypeImports, testGlobs, deleted, command };
  const key = options.cache && snapshot ? warmKey(snapshot, graphOptions) : null;
  phase('git');

  // The warm index when git's index is what it was at the last full build; else the full build.
  let project: Project | undefined;
  const loadOnce = (existing: string[]): Project => (project ??= loadProject(root, existing, new Set(existing), command));
  const built =
    (key &&
      loadWarm({
        root,
        cacheDir,
        key,
        working: snapshot!.working,
        options: graphOptions,
        project: loadOnce,
        resolver: (files) => createFileResolver({ project: project!, fileSet: new Set(files), dirs: directoriesOf(files), records: new Map() }),
      })) ||
    (await fullBuild());
  phase(built.warm ? 'warm index' : 'cache write');
  const { tests, graph } = built;
  const loadedProject = loadOnce(built.existing);

  /** Discovers the tests and builds the graph from the per-file cache, and writes both caches. */
  async function fullBuild(): Promise<Build> {
    project = undefined;
    const dirty = key ? dirtySignatures(root, snapshot!.working) : [];
    const listing = snapshot?.listing();
    const listed = listing ? listing.files : await glob(['**'], { cwd: root, ignore: ['**/node_modules/**', '**/.git/**'], dot: true });
    const existing = listed.filter((file) => !deleted.has(file));
    const resolvable = new Set([...existing, ...deleted]);
    const dirs = directoriesOf(resolvable);
    const loaded = loadOnce(existing);
    const tests = discoverTests(loaded, existing, testGlobs);
    // Tests in directories git ignores (generated ones) are collected by the runner all the same.
    const ignoredTests = snapshot && snapshot.ignored.length > 0 ? discoverTests(loaded, ignoredFiles(root, snapshot.ignored), testGlobs) : new Map<string, RunnerProject[]>();
    for (const [file, owners] of ignoredTests) tests.set(file, owners);
    if (tests.size === 0 && !testGlobs) {
      const runners = declaredRunners(loaded);
      if (runners.length > 0) {
        const runner = runners[0]!;
        throw new InputError(runner.config ?? 'the test command', `${runner.runner} is set up here, but no test file matches what it runs (${runner.include.slice(0, 3).join(', ') || 'nothing'})`, {
          hint: 'give the test command after -- (e.g. -- npx mocha "test/**/*.js"), or the test files with --tests GLOB',
        });
      }
    }
    phase('configs and tests');

    // The graph, from the cache where the content and the resolution settings are unchanged.
    const cache = options.cache ? readCache(cacheDir) : null;
    const keyHash = createHash('sha1');
    const table = [...resolvable].sort();
    keyHash.update(table.join('\0'));
    for (const file of existing) {
      if (!RESOLUTION_INPUTS.test(file)) continue;
      try {
        keyHash.update(file + '\0' + readFileSync(path.join(root, file)));
      } catch {
        // unreadable: its absence is part of the key already
      }
    }
    const resolutionKey = keyHash.digest('base64');
    const code = [...existing.filter((file) => languageOf(file) !== null), ...[...ignoredTests.keys()].filter((file) => languageOf(file) !== null)];
    phase('cache read');
    const extraction = extractAll(root, code, cache, listing?.blobs ?? null);
    phase('scan');
    const sameSettings = cache?.resolutionKey === resolutionKey;
    const graph = buildGraph({
      project: loaded,
      fileSet: resolvable,
      dirs,
      records: extraction.records,
      table: sameSettings ? cache!.files : null,
      fresh: extraction.fresh,
      tests,
      ignoreTypeImports: options.ignoreTypeImports,
    });
    phase('resolve and graph');
    // A handful of re-scanned files (what a commit touches) are cheaper to scan again next time
    // than a 10k-entry cache is to write now; a new file list or many changes are worth a write.
    const worthWriting = !cache || !sameSettings || extraction.fresh.size > 32 || (extraction.changed && extraction.fresh.size === 0 && !snapshot);
    if (options.cache && worthWriting) {
      const index = new Map(table.map((file, i) => [file, i]));
      const entries: Array<[string, CacheEntry]> = [];
      for (const [file, record] of extraction.records) {
        const { entry } = record;
        // Edges taken from the cache as they were (record.deps unset) are packed against this same table.
        const d = record.deps ? packDeps(record.deps, index) : entry.d;
        const u = record.deps ? (record.unresolved ?? []) : entry.u;
        entries.push([file, { h: entry.h, m: entry.m, s: entry.s, r: entry.r, y: entry.y, v: entry.v, d, u: d ? u : undefined }]);
      }
      writeCache(cacheDir, { resolutionKey, files: table, entries });
    }
    // Ignored test files are not in git's index, which keys the warm index: such a project takes this path every time.
    if (key && ignoredTests.size === 0) writeWarm(cacheDir, { key, files: resolvable, graph, tests, runners: loaded.runners, dirty, filesInGraph: extraction.records.size });
    return { warm: false, graph, tests, existing, filesInGraph: extraction.records.size, parsed: extraction.parsed };
  }

  // Which changes the graph answers for, which are noise, which force everything.
  const classifier = createClassifier(loadedProject);
  const runAllFiles: string[] = [];
  let runAllReason: string | null = changes.missingBase ? `${changes.missingBase}; --on-missing-base=all` : null;
  const ignored: Array<{ file: string; why: string }> = [];
  const starts: string[] = [];
  for (const change of changes.changed) {
    for (const file of change.oldPath ? [change.path, change.oldPath] : [change.path]) {
      const verdict = classifier.classify(file, tests.has(file) || inGraph(graph, file));
      if (verdict.kind === 'run-all') {
        runAllFiles.push(file);
        runAllReason ??= `${file}: ${verdict.why}`;
      } else if (verdict.kind === 'ignored') ignored.push({ file, why: verdict.why });
      else starts.push(file);
    }
  }
  const isTest = (file: string): boolean => tests.has(file) && !deleted.has(file);
  const symbolStats = { parsed: 0, cached: 0 };
  const selected =
    options.granularity === 'symbol' && !runAllReason && starts.some((file) => languageOf(file) === 'python' || languageOf(file) === 'js')
      ? await selectSymbols({ root, graph, starts, tests, deleted, changes, head: snapshot?.head ?? null, existing: built.existing, project: loadOnce(built.existing), isTest, cacheDir: options.cache ? cacheDir : null, blobs: snapshot ? snapshot.listing().blobs : null, stats: symbolStats })
      : selectTests(graph, starts, isTest);
  phase('select');

  // Scope: the tests under the current directory, as the runner started here would see them.
  const scope = toPosixRelative(root, io.cwd);
  const inScope = (file: string): boolean => scope === '' || file.startsWith(`${scope}/`);
  const allTests = [...tests.keys()].filter(inScope).sort();
  const runAll = runAllReason ? { reason: runAllReason, files: runAllFiles } : null;
  let chosen: string[] = runAll ? allTests : [...selected.keys()].filter(inScope).sort();
  const distance = (file: string): number => selected.get(file)?.distance ?? 0;

  // Timings: order, shard, budget.
  let timings: Timings | null = null;
  if (options.timings) timings = await readTimings(options.timings, io, scope);
  const skipped: Array<{ file: string; why: string }> = [];
  const notes: string[] = [];
  if (options.budgetMs !== undefined && timings) {
    const result = budget(chosen, distance, timings, options.budgetMs);
    chosen = result.kept;
    skipped.push(...result.skipped);
    notes.push(
      `budget ${(options.budgetMs / 1000).toFixed(1)} s: kept ${result.kept.length} test files (${(result.usedMs / 1000).toFixed(1)} s by ${timings.source}, medians over ${timings.runs} run${timings.runs === 1 ? '' : 's'})` +
        (result.skipped.length > 0 ? `, left out ${result.skipped.length}: ${result.skipped.slice(0, 5).map((s) => s.file).join(', ')}${result.skipped.length > 5 ? ', …' : ''}` : ''),
    );
  }
  if (options.shard) {
    const result = shard(chosen, timings, options.shard.index, options.shard.count);
    chosen = result.kept;
    skipped.push(...result.skipped);
  }
  if (options.order && timings) chosen = order(chosen, timings, options.order);

  const warnings = [...loadedProject.warnings];
  const toCwd = (file: string): string => (isHub(file) ? file : path.relative(io.cwd, path.join(root, file)).split(path.sep).join('/') || '.');

  if (options.explain !== undefined) {
    const target = toPosixRelative(root, path.resolve(io.cwd, options.explain));
    const text = explain({ target, tests, selected, runAll, changes, graph, chosen, skipped, toCwd, runners: loadedProject.runners });
    io.stdout.write(text.text.split('\n').map(printable).join('\n'));
    return text.selected ? ExitCode.ok : ExitCode.fail;
  }

  if (options.format === 'json') {
    const document = selectionDocument({
      environment: await collectEnvironment(io.cwd, io.env),
      changes,
      chosen,
      selected,
      runAll,
      timings,
      skipped,
      ignored,
      unresolved: graph.unresolved.filter((u) => inScope(u.file)),
      counts: { changed: changes.changed.length, tests: allTests.length, selected: chosen.length, filesInGraph: built.filesInGraph, parsed: built.parsed },
      warnings,
    });
    const target = documentTarget(io, options.out, 'selection');
    await writeDocument(io, target, formatDocument(document));
    if (target.defaulted) io.stderr.write(documentWritten('select', target));
  } else {
    const separator = options.nul ? '\0' : '\n';
    // A path that starts with `-` would be read as an option by the runner.
    const text = chosen.map((file) => toCwd(file).replace(/^-/, './-') + separator).join('');
    if (text || options.out) await writeProduct(io, options.out, text);
  }

  const lines = options.debug ? [`phases: ${phases.map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`).join(', ')}; ${graph.resolved} files resolved, ${built.filesInGraph - graph.resolved} from ${built.warm ? 'the warm index' : 'the cache'}; symbols: ${symbolStats.parsed} parsed, ${symbolStats.cached} from the cache`] : [];
  lines.push(
    ...summary({
      changes,
      runAll,
      selectedCount: chosen.length,
      testCount: allTests.length,
      warnings,
      unresolved: graph.unresolved.filter((u) => inScope(u.file)),
      notes,
      graphFiles: built.filesInGraph,
      parsed: built.parsed,
      seconds: (performance.now() - started) / 1000,
    }),
  );
  io.stderr.write(lines.map(printable).join('\n') + '\n');
  return ExitCode.ok;
}


// The mutation check: break one source file, run the whole suite with its real runner, and compare
// the test files that fail with the ones testpace-select picks for that one changed file. Every
// failing test file must be selected (recall 100% by failing file); the share of the test files
// selected says how useful the selection is.
//
// Over the bundled examples (the default):
//   node scripts/run-ts.mjs bench/select-mutation.ts [example...]
// Over real public projects (bench/select-projects.ts), each a clone with its dependencies installed:
//   node scripts/run-ts.mjs bench/select-mutation.ts --project attrs=/tmp/attrs --project ufo=/tmp/ufo
//   node scripts/run-ts.mjs bench/select-mutation.ts --mirrors /work/.mirror attrs click ufo luxon
// (--mirrors clones <dir>/<owner+name>/repo into a temp dir and installs Node dependencies with npm.)
// Options: --mutate module|body|both (module: the file fails wherever it is imported; body: the
// function or method in the middle of a Python, JavaScript or TypeScript file throws when called,
// the mutation of issue 15), --max N mutations per project and kind (a sample: the sources sorted by
// path, then N of them taken at even steps; default 12), --select A.cjs[,B.cjs…] (the
// testpace-select bundles to measure, each answering for the same mutated tree right after the
// suite ran on it; the last one also answers with --granularity file; default
// dist/testpace-select.cjs), --json FILE (the results). Exit 1 when a failing test file was not
// selected by the last bundle.
import { execFile } from 'node:child_process';
import type { Node as TsNode } from 'typescript';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { binary, examplesDir } from '../tests/helpers.ts';
import { mutationCheck } from '../tests/select/mutation.ts';
import { REAL_PROJECTS, type RealProject } from './select-projects.ts';

const argv = process.argv.slice(2);
const option = (name: string): string[] => argv.flatMap((arg, i) => (arg === name && argv[i + 1] !== undefined ? [argv[i + 1]!] : []));
const valued = new Set(['--project', '--mirrors', '--max', '--select', '--json', '--mutate']);
const positional = argv.filter((arg, i) => !arg.startsWith('--') && !valued.has(argv[i - 1] ?? ''));
const selectBundles = (option('--select')[0] ?? binary('select')).split(',').map((file) => path.resolve(file));
const selectBundle = selectBundles[selectBundles.length - 1]!;
const label = (bundle: string): string => path.basename(bundle).replace(/\.cjs$/, '');
const maxMutations = Number(option('--max')[0] ?? 12);
const mutate = option('--mutate')[0] ?? 'module';
const kinds = mutate === 'both' ? ['module', 'body'] : [mutate];

interface Exec {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(command: string, args: string[], cwd: string, env: Record<string, string> = {}, timeout = 1_800_000): Promise<Exec> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1', ...env }, timeout }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

/** Runs `jobs` with at most `limit` at a time (the machine has two cores). */
async function pool<T>(items: T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await job(items[next++]!);
  }));
}

const bin = (dir: string, name: string): string => path.join(dir, 'node_modules', '.bin', name);
const relative = (dir: string, file: string): string => path.relative(dir, path.resolve(dir, file)).split(path.sep).join('/');

/** The project's test files, as its runner lists them. */
async function listTests(project: RealProject, dir: string): Promise<string[]> {
  const env = project.env ?? {};
  if (project.runner === 'pytest') {
    const run = await exec('python3', ['-m', 'pytest', '--collect-only', '-q', '-p', 'no:cacheprovider', '-p', 'no:randomly'], dir, env);
    const files = new Set<string>();
    for (const line of run.stdout.split('\n')) {
      const match = /^([^\s:]+\.py)(::|$)/.exec(line.trim());
      if (match) files.add(match[1]!);
    }
    // Files that fail to collect are listed among the errors.
    for (const match of run.stdout.matchAll(/^ERROR (?:collecting )?([^\s:]+\.py)/gm)) files.add(match[1]!);
    return [...files].sort();
  }
  if (project.runner === 'jest') {
    const run = await exec(bin(dir, 'jest'), ['--listTests'], dir, env);
    return run.stdout.split('\n').filter(Boolean).map((f) => relative(dir, f)).sort();
  }
  if (project.runner === 'vitest') {
    const run = await exec(bin(dir, 'vitest'), ['list', '--filesOnly', '--json'], dir, env);
    return (JSON.parse(run.stdout) as Array<{ file: string }>).map((f) => relative(dir, f.file)).sort();
  }
  return (await glob(project.tests ?? [], { cwd: dir })).sort();
}

/** The test files that fail in one run of the whole suite. */
async function failingFiles(project: RealProject, dir: string, tests: string[]): Promise<string[]> {
  const env = project.env ?? {};
  if (project.build) {
    const built = await exec('sh', ['-c', project.build], dir, env);
    if (built.code !== 0) return tests; // the build fails: every test that imports its output fails
  }
  const known = (file: string): string => {
    const rel = relative(dir, file);
    return tests.find((t) => t === rel) ?? rel;
  };
  const out = path.join(os.tmpdir(), `testpace-mutation-${process.pid}-${project.name}.json`);
  if (project.runner === 'pytest') {
    const run = await exec('python3', ['-m', 'pytest', '-q', '-rfE', '-p', 'no:cacheprovider', '-p', 'no:randomly', '--no-header', '-o', 'console_output_style=classic'], dir, env);
    const files = new Set<string>();
    for (const match of run.stdout.matchAll(/^(?:FAILED|ERROR) ([^\s:]+\.py)/gm)) files.add(known(match[1]!));
    if (run.code !== 0 && files.size === 0) return tests; // pytest itself or a conftest broke: nothing ran
    return [...files].sort();
  }
  if (project.runner === 'vitest' || project.runner === 'jest') {
    const args = project.runner === 'vitest' ? ['run', '--reporter=json', `--outputFile=${out}`] : ['--json', `--outputFile=${out}`, '--ci'];
    await rm(out, { force: true });
    const run = await exec(bin(dir, project.runner), args, dir, env);
    try {
      const report = JSON.parse(await readFile(out, 'utf8')) as { testResults: Array<{ name: string; status: string }> };
      return report.testResults.filter((r) => r.status !== 'passed').map((r) => known(r.name)).sort();
    } catch {
      return run.code === 0 ? [] : tests;
    }
  }
  // mocha, node:test, bats: one process per test file (a file that throws while loading stops a
  // mocha run before it reports anything, so a whole run cannot say which files fail).
  const failing: string[] = [];
  await pool(tests, 2, async (file) => {
    let run: Exec;
    if (project.runner === 'mocha') run = await exec(bin(dir, 'mocha'), ['--no-config', ...(project.args ?? []), '--reporter', 'dot', file], dir, env, 120_000);
    else if (project.runner === 'node-test') run = await exec(process.execPath, ['--test', '--test-reporter=dot', file], dir, env, 300_000);
    else run = await exec(path.join(dir, 'bin', 'bats'), [file], dir, env, 300_000);
    if (run.code !== 0) failing.push(file);
  });
  return failing.sort();
}

/** What a peer (jest --findRelatedTests, vitest related) lists for one changed file. */
async function peerSelection(project: RealProject, dir: string, file: string): Promise<string[] | null> {
  if (project.peer === 'jest') {
    const run = await exec(bin(dir, 'jest'), ['--listTests', '--findRelatedTests', file], dir);
    return run.stdout.split('\n').filter(Boolean).map((f) => relative(dir, f)).sort();
  }
  if (project.peer === 'vitest') {
    const out = path.join(os.tmpdir(), `testpace-mutation-${process.pid}-related.json`);
    await rm(out, { force: true });
    await exec(bin(dir, 'vitest'), ['related', file, '--run', '--reporter=json', `--outputFile=${out}`, '--passWithNoTests'], dir);
    try {
      const report = JSON.parse(await readFile(out, 'utf8')) as { testResults: Array<{ name: string }> };
      return report.testResults.map((r) => relative(dir, r.name)).sort();
    } catch {
      return null;
    }
  }
  return null;
}

async function selectFor(bundle: string, dir: string, file: string, extra: string[] = []): Promise<{ files: string[]; error: string | null }> {
  const run = await exec(process.execPath, [bundle, '--files', file, '--no-cache', ...extra], dir);
  if (run.code !== 0) return { files: [], error: run.stderr.trim().split('\n')[0] ?? `exit ${run.code}` };
  return { files: run.stdout.split('\n').filter(Boolean).map((f) => relative(dir, f)), error: null };
}

/** How a source file is broken so that anything that loads it fails. */
function breakText(file: string, original: string): string {
  if (file.endsWith('.py')) return `${original}\nraise RuntimeError("testpace mutation")\n`;
  if (/\.(sh|bash|bats)$/.test(file) || !/\.[a-z]+$/.test(path.basename(file))) {
    // A shell script: fail as soon as it is run or sourced (after its shebang line).
    const lines = original.split('\n');
    const at = lines[0]?.startsWith('#!') ? 1 : 0;
    lines.splice(at, 0, 'echo "testpace mutation" >&2; exit 97');
    return lines.join('\n');
  }
  return `${original}\nthrow new Error("testpace mutation");\n`;
}

// Finds the function (or method) in the middle of a Python file and the line and indentation of
// its body's first statement; the body mutation inserts a raise there.
const BODY_FINDER = `
import ast, json, sys
tree = ast.parse(sys.stdin.read())
found = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.body]
found.sort(key=lambda n: n.lineno)
if found:
    n = found[len(found) // 2]
    first = n.body[0]
    print(json.dumps([n.name, first.lineno, first.col_offset]))
`;

// The function in the middle of a JavaScript or TypeScript file (by position, among those with a
// block body), through testpace's own TypeScript (a dev dependency): where its body starts.
async function jsBodyMutation(file: string, original: string): Promise<{ text: string; name: string } | null> {
  const ts = (await import('typescript')).default;
  const source = ts.createSourceFile(file, original, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Array<{ name: string; at: number }> = [];
  const visit = (node: TsNode): void => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) && node.body && ts.isBlock(node.body) && node.body.statements.length > 0) {
      let name = node.name && ts.isIdentifier(node.name) ? node.name.text : '';
      if (!name && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) name = node.parent.name.text;
      if (!name && ts.isPropertyAssignment(node.parent) && ts.isIdentifier(node.parent.name)) name = node.parent.name.text;
      if (!name && ts.isBinaryExpression(node.parent)) name = node.parent.left.getText(source);
      if (ts.isConstructorDeclaration(node)) name = 'constructor';
      const first = node.body.statements[0]!;
      // After a 'use strict' prologue, which must stay first.
      const at = ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && node.body.statements[1] ? node.body.statements[1].getStart(source) : first.getStart(source);
      found.push({ name: name || `(line ${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1})`, at });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (found.length === 0) return null;
  found.sort((a, b) => a.at - b.at);
  const chosen = found[found.length >> 1]!;
  return { text: `${original.slice(0, chosen.at)}throw new Error("testpace mutation"); ${original.slice(chosen.at)}`, name: `${file}::${chosen.name}` };
}

async function breakBody(file: string, original: string): Promise<{ text: string; name: string } | null> {
  if (!file.endsWith('.py')) return /\.[cm]?[jt]sx?$/.test(file) ? jsBodyMutation(file, original) : null;
  const found = await new Promise<string>((resolve) => {
    const child = execFile('python3', ['-c', BODY_FINDER], (_, stdout) => resolve(String(stdout ?? '')));
    child.stdin?.end(original);
  });
  if (!found.trim()) return null;
  const [name, line, col] = JSON.parse(found) as [string, number, number];
  const lines = original.split('\n');
  lines.splice(line - 1, 0, `${' '.repeat(col)}raise RuntimeError("testpace mutation")`);
  return { text: lines.join('\n'), name: `${file}::${name}` };
}

/** `count` items spread evenly over `items`. */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]!);
}

interface RealMutation {
  kind: string;
  file: string;
  failing: string[];
  /** What each bundle selects (by its label), and what it missed of the failing files. */
  selected: Record<string, string[]>;
  missed: Record<string, string[]>;
  errors: Record<string, string>;
  /** What the last bundle selects with --granularity file (the file-level graph). */
  fileLevel: string[] | null;
  peer: string[] | null;
  peerMissed: string[] | null;
}

async function realCheck(project: RealProject, dir: string): Promise<{ tests: string[]; mutations: RealMutation[]; baseline: string[]; discovered: string[] | null }> {
  const dirty = await exec('git', ['status', '--porcelain', '--untracked-files=no'], dir);
  if (dirty.stdout.trim()) throw new Error(`${dir} has uncommitted changes; the check breaks and restores files there`);
  const tests = await listTests(project, dir);
  const baseline = await failingFiles(project, dir, tests);
  // What the last bundle discovers as test files, to compare with the runner's own list.
  const all = await exec(process.execPath, [selectBundle, '--files', 'package.json', '--no-cache', '--format', 'json'], dir);
  let discovered: string[] | null = null;
  try {
    discovered = (JSON.parse(all.stdout) as { selected: Array<{ file: string }> }).selected.map((s) => s.file).sort();
  } catch {
    discovered = null;
  }
  const extra = discovered?.filter((f) => !tests.includes(f)) ?? [];
  const lacking = discovered ? tests.filter((f) => !discovered.includes(f)) : [];
  process.stderr.write(`  ${project.name}: ${tests.length} test files, ${baseline.length} failing before any mutation; select discovers ${discovered?.length ?? '?'} (${extra.length} the runner does not list: ${extra.slice(0, 3).join(', ')}; ${lacking.length} it lacks: ${lacking.slice(0, 3).join(', ')})\n`);
  const sources = (await glob(project.sources, { cwd: dir, ignore: ['**/node_modules/**'] }))
    .filter((file) => !tests.includes(file) && statSync(path.join(dir, file)).size > 0)
    .sort();
  const mutations: RealMutation[] = [];
  const bodyKind = (f: string): boolean => /\.(py|[cm]?[jt]sx?)$/.test(f) && !f.endsWith('.d.ts');
  for (const [kind, file] of kinds.flatMap((k) => spread(k === 'body' ? sources.filter(bodyKind) : sources, maxMutations).map((f) => [k, f] as const))) {
    const absolute = path.join(dir, file);
    const original = await readFile(absolute, 'utf8');
    const body = kind === 'body' ? await breakBody(file, original) : null;
    if (kind === 'body' && !body) continue;
    await writeFile(absolute, body ? body.text : breakText(file, original));
    try {
      const failing = (await failingFiles(project, dir, tests)).filter((f) => !baseline.includes(f));
      const mutation: RealMutation = { kind, file: body?.name ?? file, failing, selected: {}, missed: {}, errors: {}, fileLevel: null, peer: null, peerMissed: null };
      for (const bundle of selectBundles) {
        const selection = await selectFor(bundle, dir, file);
        mutation.selected[label(bundle)] = selection.files;
        mutation.missed[label(bundle)] = failing.filter((f) => !selection.files.includes(f));
        if (selection.error) mutation.errors[label(bundle)] = selection.error;
      }
      // The file-level graph's answer, side by side.
      const fileLevel = await selectFor(selectBundle, dir, file, ['--granularity', 'file']);
      mutation.fileLevel = fileLevel.error ? null : fileLevel.files;
      mutation.peer = await peerSelection(project, dir, file);
      mutation.peerMissed = mutation.peer && failing.filter((f) => !mutation.peer!.includes(f));
      mutations.push(mutation);
      const perBundle = selectBundles.map((b) => `${label(b)} ${mutation.selected[label(b)]!.length} selected, ${mutation.missed[label(b)]!.length} missed${mutation.errors[label(b)] ? ` (${mutation.errors[label(b)]})` : ''}`).join('; ');
      process.stderr.write(
        `  ${project.name}: ${kind} ${mutation.file}: ${failing.length} failing; ${perBundle}${mutation.fileLevel ? ` (file level ${mutation.fileLevel.length})` : ''}${mutation.peer ? `; ${project.peer} related ${mutation.peer.length}, missed ${mutation.peerMissed!.length}` : ''}\n`,
      );
    } finally {
      await writeFile(absolute, original);
    }
  }
  if (project.build) await exec('sh', ['-c', project.build], dir, project.env ?? {});
  return { tests, mutations, baseline, discovered };
}

const percent = (n: number): string => `${(n * 100).toFixed(1)}%`;
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function realProjects(): Promise<number> {
  const targets: Array<{ project: RealProject; dir: string; temp?: string }> = [];
  for (const spec of option('--project')) {
    const [name, dir] = spec.split('=') as [string, string | undefined];
    const project = REAL_PROJECTS.find((p) => p.name === name);
    if (!project || !dir) throw new Error(`--project ${spec}: expected NAME=DIR with NAME one of ${REAL_PROJECTS.map((p) => p.name).join(', ')}`);
    targets.push({ project, dir: path.resolve(dir) });
  }
  const mirrors = option('--mirrors')[0];
  if (mirrors) {
    for (const name of positional.length > 0 ? positional : REAL_PROJECTS.map((p) => p.name)) {
      const project = REAL_PROJECTS.find((p) => p.name === name);
      if (!project) throw new Error(`unknown project ${name}`);
      const temp = await mkdtemp(path.join(os.tmpdir(), `testpace-real-${name}-`));
      const dir = path.join(temp, name);
      await exec('git', ['clone', '-q', path.join(mirrors, project.mirror, 'repo'), dir], temp);
      if (existsSync(path.join(dir, 'package.json')) && project.runner !== 'bats') await exec('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
      targets.push({ project, dir, temp });
    }
  }
  let missed = 0;
  const rows: string[] = [];
  const results: unknown[] = [];
  for (const { project, dir, temp } of targets) {
    const started = performance.now();
    try {
      const { tests, mutations, baseline, discovered } = await realCheck(project, dir);
      for (const kind of kinds) {
        const ofKind = mutations.filter((m) => m.kind === kind);
        const effective = ofKind.filter((m) => m.failing.length > 0);
        const failing = effective.reduce((n, m) => n + m.failing.length, 0);
        const share = (files: string[]): number => files.filter((s) => tests.includes(s)).length / Math.max(1, tests.length);
        const shareText = (shares: number[]): string => `${percent(median(shares))} (mean ${percent(shares.reduce((a, b) => a + b, 0) / Math.max(1, shares.length))})`;
        const cells = selectBundles.map((bundle) => {
          const name = label(bundle);
          const caught = effective.reduce((n, m) => n + m.failing.length - m.missed[name]!.length, 0);
          return `${caught}/${failing} = ${percent(failing === 0 ? 1 : caught / failing)}, ${shareText(effective.map((m) => share(m.selected[name]!)))}`;
        });
        const fileRows = effective.filter((m) => m.fileLevel !== null);
        const peerRows = effective.filter((m) => m.peer !== null);
        const peerCaught = peerRows.reduce((n, m) => n + m.failing.length - m.peerMissed!.length, 0);
        const peerFailing = peerRows.reduce((n, m) => n + m.failing.length, 0);
        missed += effective.reduce((n, m) => n + m.missed[label(selectBundle)]!.length, 0);
        for (const m of ofKind) if (m.missed[label(selectBundle)]!.length > 0) process.stderr.write(`MISSED ${project.name}/${m.file}: ${m.missed[label(selectBundle)]!.join(', ')}\n`);
        const seconds = ((performance.now() - started) / 1000).toFixed(0);
        rows.push(
          `| ${project.name} (${project.runner}) | ${kind} | ${tests.length}${discovered && discovered.join() !== tests.join() ? ` (select: ${discovered.length})` : ''} | ${ofKind.length} (${effective.length} failing) | ${cells.join(' | ')} | ${fileRows.length > 0 ? shareText(fileRows.map((m) => share(m.fileLevel!))) : '—'} | ${peerRows.length > 0 ? `${project.peer}: ${peerCaught}/${peerFailing} = ${percent(peerFailing === 0 ? 1 : peerCaught / peerFailing)}, ${shareText(peerRows.map((m) => m.peer!.length / Math.max(1, tests.length)))}` : '—'} | ${seconds} s |`,
        );
      }
      results.push({ project: project.name, dir, tests: tests.length, baselineFailing: baseline, mutations });
    } finally {
      if (temp) await rm(temp, { recursive: true, force: true });
    }
  }
  console.log(`select: ${selectBundles.join(', ')}; each cell: recall by failing file, share of the test files selected (median, mean) over the mutations that broke a test`);
  console.log(`| project | mutation | test files | mutations | ${selectBundles.map(label).join(' | ')} | ${label(selectBundle)} --granularity file | peer | time |`);
  console.log(`| --- | --- | --- | --- | ${selectBundles.map(() => '---').join(' | ')} | --- | --- | --- |`);
  for (const row of rows) console.log(row);
  console.log(missed === 0 ? 'every failing test file was selected' : `${missed} failing test files were NOT selected`);
  const json = option('--json')[0];
  if (json) await writeFile(json, JSON.stringify(results, null, 2) + '\n');
  return missed === 0 ? 0 : 1;
}

async function examples(): Promise<number> {
  const list = positional.length > 0 ? positional : readdirSync(examplesDir).filter((name) => statSync(path.join(examplesDir, name)).isDirectory());
  let missed = 0;
  const rows: string[] = [];
  for (const example of list) {
    const started = performance.now();
    const report = await mutationCheck(example, (line) => process.stderr.write(`  ${line}\n`));
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    for (const mutation of report.mutations) {
      missed += mutation.missed.length;
      if (mutation.missed.length > 0) process.stderr.write(`MISSED ${example}/${mutation.file}: ${mutation.missed.join(', ')}\n`);
    }
    const failing = report.mutations.reduce((n, m) => n + m.failing.length, 0);
    const selected = report.mutations.reduce((n, m) => n + m.selected.length, 0);
    rows.push(
      `${example.padEnd(10)} ${String(report.mutations.length).padStart(9)} ${String(failing).padStart(13)} ${String(selected).padStart(14)} ${(report.recall * 100).toFixed(0).padStart(6)}% ${(report.precision * 100).toFixed(0).padStart(9)}% ${seconds.padStart(5)} s`,
    );
  }
  console.log('example    mutations  failing files  selected files  recall  precision  time');
  for (const row of rows) console.log(row);
  console.log(missed === 0 ? 'every failing test file was selected' : `${missed} failing test files were NOT selected`);
  return missed === 0 ? 0 : 1;
}

process.exitCode = option('--project').length > 0 || option('--mirrors').length > 0 ? await realProjects() : await examples();

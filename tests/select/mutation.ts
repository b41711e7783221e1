// The mutation check of issue 6: for each source file of an example project, break it, run the
// example's whole suite with its real runner, record which test files fail; then select with
// only that file changed. Every failing test file must be selected (recall 100%); precision is
// reported. Used by tests/select/mutation.test.ts (two examples) and bench/select-mutation.ts (all).
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cli } from '../../tools/select/cli.ts';
import { examplesDir, memoryIo, repoRoot } from '../helpers.ts';

export interface Mutation {
  file: string;
  /** Test files that fail with this file broken (and passed before). */
  failing: string[];
  selected: string[];
  /** Failing test files select did not pick: must be empty. */
  missed: string[];
}

export interface MutationReport {
  example: string;
  testFiles: number;
  baselineFailing: string[];
  mutations: Mutation[];
  recall: number;
  precision: number;
}

interface Expected {
  command: string[];
  imports: Record<string, string[]>;
  reads?: Record<string, string[]>;
}

function exec(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' }, timeout: 180_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const git = (cwd: string, ...args: string[]): Promise<unknown> => exec('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], cwd);

/** How a source file is broken so that anything that loads it fails. */
function breakText(file: string): string {
  if (file.endsWith('.py')) return 'raise RuntimeError("testpace mutation")\n';
  if (/\.(sh|bash|bats)$/.test(file)) return 'echo "testpace mutation" >&2\nexit 97\n';
  if (/\.(json|tsv|csv|txt)$/.test(file)) return 'testpace mutation: not the data the test expects\n';
  return 'throw new Error("testpace mutation");\n';
}

/** Test files that failed in one run of the example's suite. `all` when the runner could not report per file. */
async function failingFiles(runner: string, dir: string, command: string[], testFiles: string[]): Promise<string[]> {
  const bin = (name: string): string => path.join(repoRoot, 'node_modules', '.bin', name);
  const byName = (name: string): string | undefined => testFiles.find((t) => name === t || name.endsWith(`/${t}`) || path.basename(name) === path.basename(t));
  const out = path.join(dir, '..', `${path.basename(dir)}-report.json`);
  if (runner === 'pytest') {
    const run = await exec(command[0]!, [...command.slice(1), '-q', '-rfE', '-p', 'no:cacheprovider'], dir);
    const files = new Set<string>();
    for (const match of run.stdout.matchAll(/^(?:FAILED|ERROR) ([^\s:]+)/gm)) files.add(match[1]!);
    if (run.code !== 0 && files.size === 0) return testFiles; // a collection or conftest error: nothing ran
    return [...files].map((f) => byName(f) ?? f);
  }
  if (runner === 'vitest' || runner === 'jest') {
    const args = runner === 'vitest' ? ['run', '--reporter=json', `--outputFile=${out}`] : ['--json', `--outputFile=${out}`];
    const run = await exec(bin(runner), args, dir);
    try {
      const report = JSON.parse(await readFile(out, 'utf8')) as { testResults: Array<{ name: string; status: string }> };
      return report.testResults.filter((r) => r.status !== 'passed').map((r) => byName(r.name) ?? r.name);
    } catch {
      return run.code === 0 ? [] : testFiles;
    }
  }
  if (runner === 'mocha') {
    const run = await exec(bin('mocha'), ['--reporter', 'json'], dir);
    try {
      const report = JSON.parse(run.stdout) as { failures: Array<{ file?: string }> };
      return [...new Set(report.failures.map((f) => byName(f.file ?? '') ?? String(f.file)))];
    } catch {
      if (run.code === 0) return [];
      // A spec that throws while loading stops mocha before it reports anything: which files fail
      // on their own is then only known by running them one at a time.
      const results = await Promise.all(testFiles.map(async (file) => ((await exec(bin('mocha'), ['--no-config', file], dir)).code === 0 ? null : file)));
      return results.filter((f): f is string => f !== null);
    }
  }
  if (runner === 'bats') {
    const run = await exec('bats', ['--formatter', 'junit', 'test'], dir);
    const files = new Set<string>();
    for (const suite of run.stdout.split('<testsuite ').slice(1)) {
      const name = /^name="([^"]+)"/.exec(suite)?.[1];
      if (name && /<failure|<error/.test(suite)) files.add(byName(name) ?? name);
    }
    if (run.code !== 0 && files.size === 0) return testFiles;
    return [...files];
  }
  // node:test: one process per file, as `node --test` itself runs them.
  const results = await Promise.all(testFiles.map(async (file) => ((await exec(process.execPath, ['--test', file], dir)).code === 0 ? null : file)));
  return results.filter((f): f is string => f !== null);
}

async function selectFor(dir: string, file: string): Promise<string[]> {
  const io = memoryIo({ cwd: dir });
  const code = await cli(['--files', file, '--no-cache'], io);
  if (code !== 0) throw new Error(`select failed for ${file}: ${io.err()}`);
  return io.out().split('\n').filter(Boolean);
}

/** Runs the mutation check over one example (its directory name under examples/). */
export async function mutationCheck(example: string, progress: (line: string) => void = () => undefined): Promise<MutationReport> {
  const source = path.join(examplesDir, example);
  const expected = JSON.parse(await readFile(path.join(source, 'expected.json'), 'utf8')) as Expected;
  // A copy in a temp dir, beside a link to the repository's node_modules, so that the example's
  // runner and its config imports resolve as they do in place (examples/ is not ours to change).
  const work = await mkdtemp(path.join(os.tmpdir(), `testpace-mutation-${example}-`));
  await symlink(path.join(repoRoot, 'node_modules'), path.join(work, 'node_modules'));
  const dir = path.join(work, example);
  try {
    await cp(source, dir, { recursive: true, filter: (from) => !/(node_modules|\.pytest_cache|__pycache__|\.vite)$/.test(from) });
    await git(dir, 'init', '-q', '-b', 'main');
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-q', '-m', 'example');
    const runner = example === 'node-test' ? 'node-test' : example;
    const io = memoryIo({ cwd: dir });
    await cli(['--files', 'package.json', '--no-cache'], io); // package.json (or nothing) → every test: the test list
    const testFiles = io.out().split('\n').filter(Boolean);
    const allTests = testFiles.length > 0 ? testFiles : [];
    const baselineFailing = await failingFiles(runner, dir, expected.command, allTests);
    progress(`${example}: ${allTests.length} test files, ${baselineFailing.length} failing before any mutation`);
    const mutations: Mutation[] = [];
    for (const file of [...Object.keys(expected.imports), ...Object.keys(expected.reads ?? {})]) {
      const original = await readFile(path.join(dir, file), 'utf8');
      await writeFile(path.join(dir, file), breakText(file));
      try {
        const failing = (await failingFiles(runner, dir, expected.command, allTests)).filter((f) => !baselineFailing.includes(f)).sort();
        const selected = await selectFor(dir, file);
        const missed = failing.filter((f) => !selected.includes(f));
        mutations.push({ file, failing, selected, missed });
        progress(`${example}: ${file}: ${failing.length} failing, ${selected.length} selected, ${missed.length} missed`);
      } finally {
        await writeFile(path.join(dir, file), original);
      }
    }
    const failed = mutations.reduce((n, m) => n + m.failing.length, 0);
    const caught = mutations.reduce((n, m) => n + m.failing.length - m.missed.length, 0);
    const selected = mutations.reduce((n, m) => n + m.selected.length, 0);
    const relevant = mutations.reduce((n, m) => n + m.selected.filter((s) => m.failing.includes(s)).length, 0);
    return {
      example,
      testFiles: allTests.length,
      baselineFailing,
      mutations,
      recall: failed === 0 ? 1 : caught / failed,
      precision: selected === 0 ? 1 : relevant / selected,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

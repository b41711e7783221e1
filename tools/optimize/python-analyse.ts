// Analysis of Python test files: one python3 process for all of them, running python-helper.py (its ast walk).
import path from 'node:path';
import { runJsonHelper } from '../../lib/subprocess.ts';
import type { FileAnalysis, Hit, StaticFixture, StaticTest } from './file-analysis.ts';
import pythonHelperSource from './python-helper.py?raw';

interface HelperFixture {
  name: string;
  line: number;
  scope: string;
  autouse: boolean;
  uses: string[];
  className: string | null;
  teardown?: boolean;
}

interface HelperResult {
  file: string;
  error?: { line: number; message: string };
  imports?: string[];
  importLines?: Record<string, number>;
  tests?: Array<StaticTest & { fixtures: string[] }>;
  fixtures?: HelperFixture[];
  hits?: Hit[];
}

/** Runs the helper over `files` (absolute paths); `relative` maps each back to its document path. */
export async function analysePython(files: readonly string[], relative: (file: string) => string, python: string, cwd: string): Promise<FileAnalysis[]> {
  if (files.length === 0) return [];
  const results = await runAnalysisHelper(files, python, cwd);
  const analyses = results.map((entry): FileAnalysis => ({
    file: relative(entry.file),
    language: 'python',
    runner: 'pytest',
    ...(entry.error ? { error: entry.error } : {}),
    tests: entry.tests ?? [],
    fixtures: (entry.fixtures ?? []).map((f) => ({ name: f.name, line: f.line, scope: f.scope, kind: f.className ? (f.teardown ? 'xunit-teardown' : 'xunit-setup') : 'pytest-fixture', users: [], autouse: f.autouse, className: f.className, uses: f.uses }) as StaticFixture),
    hits: entry.hits ?? [],
    imports: entry.imports ?? [],
    importLines: entry.importLines ?? {},
  }));
  resolveFixtures(analyses);
  return analyses;
}

function runAnalysisHelper(files: readonly string[], python: string, cwd: string): Promise<HelperResult[]> {
  // -I: isolated from PYTHON* variables and the user's site-packages; the helper needs only the stdlib.
  return runJsonHelper<HelperResult[]>(python, ['-I', '-c', pythonHelperSource], {
    cwd,
    input: JSON.stringify({ files }),
    hint: 'Python files are parsed by python3 and its ast module; install python3 or set TESTPACE_PYTHON',
  });
}

/**
 * Who uses each pytest fixture: tests of the same file, and for conftest.py fixtures, tests in that
 * directory and below; autouse fixtures apply to every test in their reach (their class, for xunit setups).
 */
function resolveFixtures(analyses: FileAnalysis[]): void {
  const conftests = analyses.filter((a) => path.posix.basename(a.file) === 'conftest.py');
  for (const analysis of analyses) {
    const dir = path.posix.dirname(analysis.file);
    const reachable = [analysis, ...conftests.filter((c) => c !== analysis && (path.posix.dirname(c.file) === '.' || dir === path.posix.dirname(c.file) || dir.startsWith(path.posix.dirname(c.file) + '/')))];
    for (const test of analysis.tests) {
      const used = new Set<string>();
      const pending = [...test.fixtures];
      for (const source of reachable) {
        for (const fixture of source.fixtures as Array<StaticFixture & { autouse?: boolean; className?: string | null }>) {
          if (fixture.autouse && (!fixture.className || (source === analysis && test.name.startsWith(fixture.className + '::')))) pending.push(fixture.name);
        }
      }
      // Fixtures that request fixtures: follow them, nearest definition first.
      while (pending.length) {
        const name = pending.shift()!;
        if (used.has(name)) continue;
        used.add(name);
        const found = reachable.flatMap((source) => source.fixtures.filter((f) => f.name === name).map((f) => ({ source, fixture: f })))[0];
        if (!found) continue;
        found.fixture.users.push(`${analysis.file}\u0000${test.name}`);
        if (test.mutates?.includes(name)) (found.fixture.mutatedBy ??= []).push(`${analysis.file}\u0000${test.name}`);
        pending.push(...((found.fixture as StaticFixture & { uses?: string[] }).uses ?? []));
      }
      test.fixtures = [...used].filter((name) => reachable.some((s) => s.fixtures.some((f) => f.name === name)));
    }
  }
}

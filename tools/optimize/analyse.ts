// Reads and parses every candidate file with the parser of its language; files that do not parse
// come back with an error (reported in files.failed), never dropped.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { analyseBats } from './bats-analyse.ts';
import { type Candidate, jsRunner, toPosix } from './discover.ts';
import { analyseJavaScript } from './js-analyse.ts';
import type { FileAnalysis, Runner } from './file-analysis.ts';
import { analysePython } from './python-analyse.ts';

/** `runner`: the profile's runner, the fallback for JS files whose own imports do not name one. */
export async function analyseFiles(candidates: readonly Candidate[], cwd: string, options: { python: string; runner: Runner | undefined | Promise<Runner | undefined> }): Promise<FileAnalysis[]> {
  const python = candidates.filter((c) => c.language === 'python');
  const scripts = candidates.filter((c) => c.language !== 'python');
  // python3 starts first: it works on its own CPU while the scripts are read and parsed here.
  const pythonReady = analysePython(python.map((c) => c.abs), (abs) => toPosix(cwd, abs), options.python, cwd);
  pythonReady.catch(() => undefined);
  const texts = await Promise.all(scripts.map(async (c) => ({ candidate: c, text: await readFile(c.abs, 'utf8') })));
  const [pythonResults, jsResults] = await Promise.all([
    pythonReady,
    analyseJavaScript(
      texts
        .filter((t) => t.candidate.language === 'javascript')
        // The runner is settled after parsing (imports); names are joined the same way for every JS runner.
        .map((t) => ({ file: t.candidate.file, abs: t.candidate.abs, text: t.text, runner: 'vitest' as Runner, jsx: /x$/.test(path.extname(t.candidate.abs)) })),
      cwd,
    ),
  ]);
  const byFile = new Map(candidates.map((c) => [c.file, c]));
  const fallback = await options.runner;
  for (const result of jsResults) result.runner = jsRunner(byFile.get(result.file)!.abs, result.imports, fallback);
  const bats = texts.filter((t) => t.candidate.language === 'bats').map((t) => analyseBats(t.candidate.file, t.text));
  const all = [...pythonResults, ...jsResults, ...bats];
  return all.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

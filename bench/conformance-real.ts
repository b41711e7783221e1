// The conformance checks of tests/conformance on a real project (not in CI: it needs a clone and its
// dependencies). Runs the command bare, under testpace-profile and under testpace-mem-profile (the built
// executables, `make build` first) and prints, for each: exit code, wall time, the runner's own count of
// tests and failures (from its summary line), testpace's, the bytes of output, and processes of the run
// left a moment after it ended.
//
//   node scripts/run-ts.mjs bench/conformance-real.ts <project dir> [--extra=ARG] -- <command...>
//   node scripts/run-ts.mjs bench/conformance-real.ts ../luxon -- npx jest test/datetime/dst.test.js
//
// --extra=ARG goes to testpace-profile before `--` (e.g. --extra=--cpu-profile).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const separator = process.argv.indexOf('--');
if (separator === -1 || separator < 3) {
  // `make bench` runs every script without arguments: this one needs a clone, so it says how and passes.
  process.stderr.write('bench/conformance-real.ts: skipped; usage: bench/conformance-real.ts <project dir> [--extra=ARG] -- <command...>\n');
  process.exit(0);
}
const dir = path.resolve(process.argv[2]!);
const extra = process.argv.slice(3, separator).filter((a) => a.startsWith('--extra=')).map((a) => a.slice('--extra='.length));
const command = process.argv.slice(separator + 1);

interface Counts {
  total: number;
  failed: number;
}

/** The runner's own summary: the last one its output gives. */
function ownCounts(text: string): Counts | undefined {
  const plain = stripVTControlCharacters(text);
  const last = (re: RegExp) => [...plain.matchAll(re)].at(-1);
  // pytest: "== 3 failed, 1200 passed, 4 skipped, 2 errors in 12.3s ==" (no rules under -q)
  const pytest = last(/^(?:=+ )?(\d+ (?:passed|failed|error|errors|skipped).*) in [\d.]+s/gm);
  if (pytest) {
    const n = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(pytest[1]!)?.[1] ?? 0);
    return { total: n('passed') + n('failed') + n('skipped') + n('xfailed') + n('xpassed') + n('errors?'), failed: n('failed') };
  }
  // jest: "Tests:       1 failed, 2 skipped, 1205 passed, 1208 total"
  const jest = last(/^Tests:\s+(.*) (\d+) total/gm);
  if (jest) return { total: Number(jest[2]), failed: Number(/(\d+) failed/.exec(jest[1]!)?.[1] ?? 0) };
  // vitest: "      Tests  2 failed | 100 passed (102)"
  const vitest = last(/^\s+Tests\s+(.*)\((\d+)\)/gm);
  if (vitest) return { total: Number(vitest[2]), failed: Number(/(\d+) failed/.exec(vitest[1]!)?.[1] ?? 0) };
  // node:test: "ℹ tests 120" / "# tests 120", "ℹ fail 0"
  const nodeTests = last(/^(?:ℹ|#) tests (\d+)/gm);
  if (nodeTests) return { total: Number(nodeTests[1]), failed: Number(last(/^(?:ℹ|#) fail (\d+)/gm)?.[1] ?? 0) };
  // mocha: "  1200 passing (3s)", "  2 pending", "  1 failing"
  const passing = last(/^\s+(\d+) passing/gm);
  if (passing) {
    const n = (word: string) => Number(last(new RegExp(`^\\s+(\\d+) ${word}`, 'gm'))?.[1] ?? 0);
    return { total: n('passing') + n('pending') + n('failing'), failed: n('failing') };
  }
  // bats (TAP): the plan, and the "not ok" lines
  const plan = last(/^1\.\.(\d+)$/gm);
  if (plan) return { total: Number(plan[1]), failed: (plain.match(/^not ok /gm) ?? []).length };
  return undefined;
}

function processesWith(token: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`).includes(token)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

async function runOnce(tool: string | undefined): Promise<Record<string, unknown>> {
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'testpace-real-'));
  const token = randomUUID();
  const outFile = path.join(runDir, 'stdout');
  const errFile = path.join(runDir, 'stderr');
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  const argv = tool ? [process.execPath, path.join(root, 'dist', `testpace-${tool}.cjs`), ...(tool === 'profile' ? extra : []), '--', ...command] : command;
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: 'true', CONFORMANCE_TOKEN: token }, stdio: ['ignore', out, err] });
    child.on('error', () => resolve(null));
    child.on('close', (status) => resolve(status));
  });
  const wallMs = Math.round(performance.now() - started);
  closeSync(out);
  closeSync(err);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const leftovers = processesWith(token).length;
  const stdout = await readFile(outFile);
  const stderr = await readFile(errFile);
  const row: Record<string, unknown> = { run: tool ?? 'bare', exit: code, wallMs, leftovers };
  if (!tool) {
    row.own = ownCounts(stdout.toString('utf8') + '\n' + stderr.toString('utf8'));
    row.outputBytes = stdout.length + stderr.length;
    return row;
  }
  if (stdout.length === 0) return { ...row, error: stderr.toString('utf8').trim().split('\n').slice(-5) };
  const document = JSON.parse(stdout.toString('utf8')) as {
    summary?: { counts: Counts & Record<string, number> };
    tests: Array<{ name: string; startMs?: number; endMs?: number }>;
    runs?: Array<{ wallMs: number; tests: Array<{ startMs?: number; endMs?: number }> }>;
    warnings?: string[];
    cpuProfile?: { functions: unknown[] };
  };
  // The runner's own summary still reaches the user, on the tool's stderr.
  row.own = ownCounts(stderr.toString('utf8'));
  row.outputBytes = stderr.length;
  if (document.summary) {
    row.counts = document.summary.counts;
    const run = document.runs!.at(-1)!;
    row.offTimeline = run.tests.filter((t) => t.startMs === undefined || t.startMs < -1 || (t.endMs ?? 0) > run.wallMs + 1).length;
    if (document.cpuProfile) row.cpuProfileFunctions = document.cpuProfile.functions.length;
  } else row.testWindows = document.tests.length;
  if (document.warnings?.length) row.warnings = document.warnings.map((w) => w.split('\n')[0]);
  return row;
}

const rows = [];
for (const tool of [undefined, 'profile', 'mem-profile']) {
  const row = await runOnce(tool);
  rows.push(row);
  process.stdout.write(JSON.stringify(row) + '\n');
}

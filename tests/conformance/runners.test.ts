// Conformance (issue 13): each runner runs the same project bare, under testpace-profile and under
// testpace-mem-profile (the built executables), and under testpace it must behave as it does bare: the
// same exit code, the files its configuration writes written, every byte of the command's output
// delivered, blocking stdout and stderr inside the tests, nothing left running, and the test count
// the runner gives itself, failures included.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, openSync, closeSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { binary, repoRoot, tempDir, writeTree } from '../helpers.ts';
import { MARKER, projects } from './runner-projects.ts';

const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);

interface Outcome {
  code: number | null;
  /** The command's output: bare, its stdout and stderr; under testpace, the tool's stderr. */
  output: Buffer;
  /** The tool's stdout (the document), under testpace. */
  document: Record<string, unknown> | undefined;
  /** What the tests' child Pythons said of fds 1 and 2, by tag. */
  blocking: Record<string, string>;
  /** Whether the run's JUnit report was written. */
  junit: string | undefined;
  /** Processes of the run (by the token in their environment) alive a moment after it ended. */
  leftovers: number[];
}

/** Pids whose environment holds `token`. */
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

async function settle(token: string): Promise<number[]> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const left = processesWith(token);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `command` in `dir` once, with its stdout and stderr in files (50 MiB pass through them). */
async function runOnce(dir: string, tool: string | undefined, command: string[], junit: string): Promise<Outcome> {
  const runDir = await tempDir('testpace-conformance-run-');
  await rm(path.join(dir, junit), { force: true });
  const token = `CONFORMANCE_TOKEN=${randomUUID()}`;
  const outFile = path.join(runDir, 'stdout');
  const errFile = path.join(runDir, 'stderr');
  const out = openSync(outFile, 'w');
  const err = tool ? openSync(errFile, 'w') : out;
  const argv = tool ? [process.execPath, binary(tool), '--', ...command] : command;
  const env = { ...process.env, NO_COLOR: '1', CI: 'true', CONFORMANCE_DIR: runDir, CONFORMANCE_TOKEN: token.split('=')[1]! };
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: dir, env, stdio: ['ignore', out, err] });
    child.on('error', () => resolve(null));
    child.on('close', (status) => resolve(status));
  });
  closeSync(out);
  if (err !== out) closeSync(err);
  const blocking = Object.fromEntries(
    readdirSync(runDir)
      .filter((f) => f.startsWith('blocking-'))
      .map((f) => [f.slice('blocking-'.length), readFileSync(path.join(runDir, f), 'utf8')]),
  );
  const report = path.join(dir, junit);
  return {
    code,
    output: await readFile(tool ? errFile : outFile),
    document: tool ? (JSON.parse(await readFile(outFile, 'utf8')) as Record<string, unknown>) : undefined,
    blocking,
    junit: existsSync(report) ? await readFile(report, 'utf8') : undefined,
    leftovers: await settle(token),
  };
}

/** The marker lines in some output: how many, and how many x bytes they carry. */
function marked(output: Buffer): { lines: number; bytes: number } {
  let lines = 0;
  let bytes = 0;
  for (let at = output.indexOf(MARKER); at !== -1; at = output.indexOf(MARKER, at + 1)) {
    lines++;
    let end = at + MARKER.length;
    while (end < output.length && output[end] === 0x78) end++;
    bytes += end - at - MARKER.length;
  }
  return { lines, bytes };
}

/** The runner's own count from its JUnit report: test cases, and those that failed. */
function junitCounts(xml: string): { total: number; failed: number } {
  const cases = xml.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
  return { total: cases.length, failed: cases.filter((c) => /<(failure|error)\b/.test(c)).length };
}

describe.each(Object.entries(projects))('%s runs under testpace as it runs bare', (_runner, project) => {
  const runs: Record<'bare' | 'profile' | 'mem-profile', Outcome> = {} as never;
  beforeAll(async () => {
    const dir = await tempDir('testpace-conformance-');
    await writeTree(dir, project.files);
    await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
    const command = project.command(bin);
    runs.bare = await runOnce(dir, undefined, command, project.junit);
    runs.profile = await runOnce(dir, 'profile', command, project.junit);
    runs['mem-profile'] = await runOnce(dir, 'mem-profile', command, project.junit);
  }, 240_000);

  it('exits with the same code (1: a test fails)', () => {
    expect(runs.bare.code).toBe(1);
    expect(runs.profile.code).toBe(1);
    expect(runs['mem-profile'].code).toBe(1);
  });

  it('writes the JUnit report the user configured, with every test', () => {
    const own = junitCounts(runs.bare.junit ?? '');
    expect(own).toEqual({ total: 4, failed: 1 });
    expect(junitCounts(runs.profile.junit ?? '')).toEqual(own);
    expect(junitCounts(runs['mem-profile'].junit ?? '')).toEqual(own);
  });

  it("counts the tests as the runner does, failures included", () => {
    const own = junitCounts(runs.bare.junit ?? '');
    const counts = (runs.profile.document as { summary: { counts: { total: number; failed: number } } }).summary.counts;
    expect({ total: counts.total, failed: counts.failed }).toEqual(own);
    if (project.memTests) {
      const memory = runs['mem-profile'].document as { tests: unknown[]; warnings?: string[] };
      const unattributed = Number(/^(\d+) test\(s\) ran in processes that were never sampled/m.exec((memory.warnings ?? []).join('\n'))?.[1] ?? 0);
      expect(memory.tests.length + unattributed).toBe(own.total);
    }
  });

  it('delivers all the bytes the test wrote through its child process (50 MiB; bats 64 KiB)', () => {
    const expected = { lines: project.emitted.lines, bytes: project.emitted.lines * project.emitted.lineBytes };
    expect(marked(runs.bare.output)).toEqual(expected);
    expect(marked(runs.profile.output)).toEqual(expected);
    expect(marked(runs['mem-profile'].output)).toEqual(expected);
  });

  it('gives the tests blocking stdout and stderr', () => {
    expect(Object.keys(runs.bare.blocking).length).toBeGreaterThan(0);
    for (const run of Object.values(runs)) {
      expect(Object.keys(run.blocking).sort()).toEqual(Object.keys(runs.bare.blocking).sort());
      for (const value of Object.values(run.blocking)) expect(value).toBe('True True');
    }
  });

  it('leaves no process of the run behind', () => {
    for (const run of Object.values(runs)) expect(run.leftovers).toEqual([]);
  });
});

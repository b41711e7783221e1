// --cpu-profile: function-level hotspots through the runtime's own profiler. pytest: cProfile in
// every process that runs tests (the plugin starts it when TESTPACE_CPROFILE_DIR is set), merged
// with pstats. Node runners: V8's --cpu-prof in every Node process (through NODE_OPTIONS, so
// workers are profiled too), read here. Node 20 refuses --cpu-prof in NODE_OPTIONS, so a preloaded
// script (cpu-profile-preload.cjs; --require is allowed there) starts the same V8 CPU profiler
// through node:inspector and writes the .cpuprofile when the process exits. Both are summarised as the top functions by cumulative time.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CpuHotspot, CpuProfileSection } from '../../lib/profile-document.ts';
import { runJsonHelper } from '../../lib/subprocess.ts';
import type { ProfileRunner } from './built-document.ts';
import V8_PRELOAD from './cpu-profile-preload.cjs?raw';
import PSTATS_SCRIPT from './pstats_summary.py?raw';

export interface CpuProfiling {
  profiler: CpuProfileSection['profiler'];
  /** Added to the environment of every run. */
  env: Record<string, string>;
  summarise(cwd: string): Promise<CpuProfileSection | undefined>;
}

/** How many functions the document keeps: the top overall, and the top of the project's own code. */
const TOP = 25;

const round = (value: number) => Math.round(value * 1000) / 1000;

function displayFile(file: string, cwd: string): string {
  if (file.startsWith('file://')) file = new URL(file).pathname;
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') ? file : relative.split(path.sep).join('/');
}

/** The hottest functions overall plus those in the project itself (not under node_modules or site-packages). */
export function pickHotspots(functions: CpuHotspot[]): CpuHotspot[] {
  const byCumulative = [...functions].sort((a, b) => b.cumulativeMs - a.cumulativeMs);
  const own = byCumulative.filter((f) => !path.isAbsolute(f.file) && !f.file.includes('node_modules') && !f.file.startsWith('node:') && f.file !== '~' && !f.file.startsWith('<'));
  const picked = new Set([...byCumulative.slice(0, TOP), ...own.slice(0, TOP)]);
  return byCumulative.filter((f) => picked.has(f));
}


async function summariseCProfile(dir: string, cwd: string): Promise<CpuProfileSection | undefined> {
  const rows = await runJsonHelper<CpuHotspot[]>('python3', ['-c', PSTATS_SCRIPT, dir], { maxBuffer: 256 * 1024 * 1024 }).catch((error: Error) => {
    throw new Error(`cannot read the cProfile data: ${error.message}`, { cause: error });
  });
  if (rows.length === 0) return undefined;
  const functions = rows.map((row) => ({
    ...row,
    file: displayFile(row.file, cwd),
    selfMs: round(row.selfMs),
    cumulativeMs: round(row.cumulativeMs),
  }));
  return { profiler: 'cProfile', functions: pickHotspots(functions) };
}

interface V8Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface V8Profile {
  nodes: V8Node[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** Adds one .cpuprofile's self and cumulative time per function into `into` (recursion counted once). */
export function addV8Profile(profile: V8Profile, cwd: string, into: Map<string, CpuHotspot>): void {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const samples = profile.samples?.length ?? profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  if (samples === 0) return;
  const msPerSample = (profile.endTime - profile.startTime) / 1000 / samples;
  const keyOf = (node: V8Node) => `${node.callFrame.functionName}\u0000${node.callFrame.url}\u0000${node.callFrame.lineNumber}`;
  const totals = new Map<number, number>();
  const total = (node: V8Node): number => {
    const known = totals.get(node.id);
    if (known !== undefined) return known;
    let sum = (node.hitCount ?? 0) * msPerSample;
    for (const child of node.children ?? []) sum += total(nodes.get(child)!);
    totals.set(node.id, sum);
    return sum;
  };
  const skip = new Set(['(root)', '(idle)', '(program)']);
  // Depth-first with the functions on the stack, so a recursive function's time is counted once.
  const visit = (node: V8Node, onStack: Set<string>) => {
    const key = keyOf(node);
    const name = node.callFrame.functionName || '(anonymous)';
    if (!skip.has(name)) {
      const entry = into.get(key) ?? {
        name,
        file: node.callFrame.url ? displayFile(node.callFrame.url, cwd) : '(native)',
        line: node.callFrame.lineNumber + 1,
        selfMs: 0,
        cumulativeMs: 0,
      };
      entry.selfMs += (node.hitCount ?? 0) * msPerSample;
      if (!onStack.has(key)) entry.cumulativeMs += total(node);
      into.set(key, entry);
    }
    const added = !onStack.has(key);
    if (added) onStack.add(key);
    for (const child of node.children ?? []) visit(nodes.get(child)!, onStack);
    if (added) onStack.delete(key);
  };
  const root = profile.nodes[0];
  if (root) visit(root, new Set());
}

async function summariseV8(dir: string, cwd: string): Promise<CpuProfileSection | undefined> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return undefined;
  const functions = new Map<string, CpuHotspot>();
  for (const file of files) addV8Profile(JSON.parse(await readFile(path.join(dir, file), 'utf8')) as V8Profile, cwd, functions);
  const rounded = [...functions.values()].map((f) => ({ ...f, selfMs: round(f.selfMs), cumulativeMs: round(f.cumulativeMs) }));
  return { profiler: 'v8', functions: pickHotspots(rounded) };
}


/** Sets up profiling for the runner, or undefined when its runtime has no profiler we drive (bats, JUnit). */
export async function prepareCpuProfile(runner: ProfileRunner, dir: string, env: NodeJS.ProcessEnv): Promise<CpuProfiling | undefined> {
  await mkdir(dir, { recursive: true });
  if (runner === 'pytest') {
    return { profiler: 'cProfile', env: { TESTPACE_CPROFILE_DIR: dir }, summarise: (cwd) => summariseCProfile(dir, cwd) };
  }
  if (runner === 'vitest' || runner === 'jest' || runner === 'node-test' || runner === 'mocha') {
    const preload = path.join(path.dirname(dir), 'testpace-cpu-profile.cjs');
    await writeFile(preload, V8_PRELOAD);
    const nodeOptions = [env.NODE_OPTIONS, `--require ${JSON.stringify(preload)}`].filter(Boolean).join(' ');
    return { profiler: 'v8', env: { NODE_OPTIONS: nodeOptions, TESTPACE_CPU_PROFILE_DIR: dir }, summarise: (cwd) => summariseV8(dir, cwd) };
  }
  return undefined;
}

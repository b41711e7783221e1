// The run environment recorded in every document (schemas/common: environment).
import os from 'node:os';
import { tryGit } from './git.ts';
import { tryHelper } from './subprocess.ts';

export interface Environment {
  os: { platform: string; release: string; arch: string };
  cpus: { count: number; model: string };
  memoryBytes: number;
  runtimes: Record<string, string>;
  git: { commit: string; branch: string | null; dirty: boolean } | null;
  ci?: boolean;
}

/**
 * Git state of `cwd`, or null outside a repository, before the first commit, or without git.
 * One process: porcelain v2 carries the commit and branch in its header lines.
 */
export async function gitState(cwd: string): Promise<Environment['git']> {
  const out = (await tryGit(cwd, ['status', '--porcelain=v2', '--branch', '--untracked-files=no'], { timeoutMs: 5000 }))?.trim() ?? null;
  if (out === null) return null;
  let commit: string | undefined;
  let branch: string | null = null;
  let dirty = false;
  for (const line of out.split('\n')) {
    if (line.startsWith('# branch.oid ')) commit = line.slice('# branch.oid '.length);
    else if (line.startsWith('# branch.head ')) {
      const head = line.slice('# branch.head '.length);
      branch = head === '(detached)' ? null : head;
    } else if (line && !line.startsWith('#')) dirty = true;
  }
  if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) return null;
  return { commit, branch, dirty };
}

/** Version of python3 on PATH, or null. Only asked for by tools that run Python. */
export async function pythonVersion(cwd: string): Promise<string | null> {
  const out = (await tryHelper('python3', ['-c', 'import platform; print(platform.python_version())'], { cwd, timeoutMs: 5000 }))?.trim() ?? null;
  return out || null;
}

/** Collects the environment; `runtimes` adds versions the caller knows of (e.g. python). */
export async function collectEnvironment(cwd: string, env: NodeJS.ProcessEnv, runtimes: Record<string, string> = {}): Promise<Environment> {
  const cpus = os.cpus();
  return {
    os: { platform: os.platform(), release: os.release(), arch: os.arch() },
    cpus: { count: Math.max(1, cpus.length), model: cpus[0]?.model.trim() ?? 'unknown' },
    memoryBytes: os.totalmem(),
    runtimes: { node: process.versions.node, ...runtimes },
    git: await gitState(cwd),
    ci: env.CI === 'true' || env.CI === '1',
  };
}

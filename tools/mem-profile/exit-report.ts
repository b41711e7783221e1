// Node processes report their own peak when they exit: a preload (NODE_OPTIONS --require) appends
// { pid, maxRssBytes } from process.resourceUsage() (the kernel's ru_maxrss) on 'exit'. Sampling cannot
// see the last moments of a worker that allocates and exits right after (vitest runs each file in a
// fresh fork, which ends with its last test); the kernel's figure can. Used for Node runners only.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import PRELOAD_SOURCE from './exit-report-preload.cjs?raw';

export const EXIT_REPORT_ENV = 'TESTPACE_EXIT_REPORT';

/** Writes the preload into `tmpDir` and returns the environment that loads it in every Node process. */
export async function exitReportEnv(env: NodeJS.ProcessEnv, tmpDir: string, out: string): Promise<NodeJS.ProcessEnv> {
  const preload = path.join(tmpDir, 'testpace-exit-report.cjs');
  await writeFile(preload, PRELOAD_SOURCE);
  const nodeOptions = [env.NODE_OPTIONS, `--require ${JSON.stringify(preload)}`].filter(Boolean).join(' ');
  return { ...env, NODE_OPTIONS: nodeOptions, [EXIT_REPORT_ENV]: out };
}

/** Peak RSS at exit by pid. */
export async function readExitReport(file: string): Promise<Map<number, number>> {
  const peaks = new Map<number, number>();
  const text = await readFile(file, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    try {
      const record = JSON.parse(line) as { pid?: unknown; maxRssBytes?: unknown };
      if (typeof record.pid === 'number' && typeof record.maxRssBytes === 'number') peaks.set(record.pid, record.maxRssBytes);
    } catch {
      // a torn line
    }
  }
  return peaks;
}

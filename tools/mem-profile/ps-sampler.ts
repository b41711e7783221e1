// Portable sampler for systems without /proc (macOS): one `ps` call per sample. `ps` reports RSS but
// no high-water mark, and sees only processes alive at the moment it runs.
import { runHelper } from '../../lib/subprocess.ts';
import { type ProcessReading, type Sampler, TreeMembers } from './sampler.ts';

/** Arguments that make BSD (macOS) and procps (Linux) `ps` print the same columns. */
export const PS_ARGS = ['-A', '-o', 'pid=,ppid=,rss=,command='];

export interface PsRow {
  pid: number;
  ppid: number;
  rssBytes: number;
  command: string;
}

/** Parses `ps -A -o pid=,ppid=,rss=,command=` output (RSS in KiB on both systems). */
export function parsePsOutput(text: string): PsRow[] {
  const rows: PsRow[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (match) rows.push({ pid: Number(match[1]), ppid: Number(match[2]), rssBytes: Number(match[3]) * 1024, command: match[4]!.trim() });
  }
  return rows;
}

/** The short name of a command line: the base name of its first word. */
function shortName(command: string): string {
  const first = command.split(/\s+/)[0] ?? command;
  return first.slice(first.lastIndexOf('/') + 1) || command;
}

async function runPs(): Promise<string> {
  return (await runHelper('ps', PS_ARGS, { maxBuffer: 16 * 1024 * 1024 })).stdout;
}

export interface PsOptions {
  root: number;
  includeRoot: boolean;
  /** Where the table comes from: `ps` itself, or recorded output in tests. */
  table?: () => Promise<string>;
}

export function createPsSampler(options: PsOptions): Sampler {
  const tree = new TreeMembers(options.root, options.includeRoot);
  const table = options.table ?? runPs;
  return {
    kind: 'ps',
    async sample(): Promise<ProcessReading[]> {
      const rows = parsePsOutput(await table());
      const alive = new Set(rows.map((row) => row.pid));
      for (const pid of tree.pids()) if (!alive.has(pid)) tree.forget(pid);
      tree.adopt(rows);
      const readings: ProcessReading[] = [];
      for (const row of rows) {
        if (!tree.has(row.pid)) continue;
        readings.push({ pid: row.pid, ppid: row.ppid, name: shortName(row.command), rssBytes: row.rssBytes, hwmBytes: null, command: row.command });
      }
      return readings;
    },
  };
}

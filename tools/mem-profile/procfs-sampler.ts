// Linux sampler: reads /proc/<pid>/status of the tree's processes (VmRSS, VmHWM, PPid and Tgid in one
// read, so /proc/<pid>/stat is not needed) and discovers new processes cheaply.
//
// Discovery without scanning all of /proc: the last field of /proc/loadavg is the last pid the kernel
// handed out in our pid namespace. When it moves, only the pids in between are new (threads take pids
// too; their status says Tgid != Pid and they are skipped). A glance every few milliseconds costs one
// small read, so a process that lives shorter than the sampling interval is still caught. On a pid
// wrap-around or a jump of many pids, a full scan of /proc is made instead.
import { closeSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type ProcessReading, type Sampler, TreeMembers } from './sampler.ts';

/** Beyond this many new pids between two looks, one readdir of /proc is cheaper than probing each. */
const MAX_PROBED_PIDS = 256;

export interface ProcfsOptions {
  /** The process whose descendants are sampled. */
  root: number;
  /** Whether the root itself counts (false when it is testpace's own wrapper). */
  includeRoot: boolean;
  /** How long a process is read at every glance after it appears (one sampling interval). */
  youngMs: number;
  procRoot?: string;
  now?: () => number;
}

interface StatusFields {
  name: string;
  tgid: number;
  pid: number;
  ppid: number;
  rssBytes: number | null;
  hwmBytes: number | null;
}

function field(text: string, key: string): string | undefined {
  const at = text.indexOf('\n' + key + ':');
  const start = at === -1 ? (text.startsWith(key + ':') ? key.length + 1 : -1) : at + key.length + 2;
  if (start === -1) return undefined;
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? undefined : end).trim();
}

function kilobytes(value: string | undefined): number | null {
  if (value === undefined) return null;
  const kb = Number.parseInt(value, 10);
  return Number.isNaN(kb) ? null : kb * 1024;
}

/** Parses the fields of /proc/<pid>/status this tool needs. Kernel threads and zombies have no Vm lines. */
export function parseStatus(text: string): StatusFields | undefined {
  const pid = Number(field(text, 'Pid'));
  const tgid = Number(field(text, 'Tgid'));
  const ppid = Number(field(text, 'PPid'));
  if (!Number.isInteger(pid) || !Number.isInteger(tgid) || !Number.isInteger(ppid)) return undefined;
  return { name: field(text, 'Name') ?? '?', tgid, pid, ppid, rssBytes: kilobytes(field(text, 'VmRSS')), hwmBytes: kilobytes(field(text, 'VmHWM')) };
}

/** Whether this machine can be sampled through /proc. */
export function procfsAvailable(procRoot = '/proc'): boolean {
  try {
    return /\s\d+\/\d+\s+\d+\s*$/.test(readFileSync(path.join(procRoot, 'loadavg'), 'latin1'));
  } catch {
    return false;
  }
}

export function createProcfsSampler(options: ProcfsOptions): Sampler {
  const procRoot = options.procRoot ?? '/proc';
  const now = options.now ?? (() => performance.now());
  const tree = new TreeMembers(options.root, options.includeRoot);
  const buffer = Buffer.alloc(8192);
  const firstSeen = new Map<number, number>();
  /** Until when some process is young (read at every glance). */
  let youngUntil = -Infinity;
  let lastPid = -1;

  // Files read again and again (the pid counter, the status of each live member) stay open: a /proc file
  // read again from offset 0 is generated afresh, so each reading costs one pread instead of three calls.
  const open = new Map<string, number>();

  /**
   * Reads `file` into `buffer` from offset 0; the length read, or -1 when it cannot be read. Each
   * descriptor is closed in exactly one place: here when it is not kept (or its process has gone), else
   * by forget() or close().
   */
  function readRaw(file: string, keep: boolean): number {
    const kept = open.get(file);
    let fd = kept;
    if (fd === undefined) {
      try {
        fd = openSync(file, 'r');
      } catch {
        return -1;
      }
    }
    let length: number;
    try {
      length = readSync(fd, buffer, 0, buffer.length, 0);
    } catch {
      length = -1; // the process has gone (ESRCH): its file is dead
    }
    if (length >= 0 && kept !== undefined) return length;
    if (length >= 0 && keep) {
      open.set(file, fd);
      return length;
    }
    if (kept !== undefined) open.delete(file);
    closeSync(fd);
    return length;
  }

  function readSmall(file: string, keep = false): string | undefined {
    const length = readRaw(file, keep);
    return length < 0 ? undefined : buffer.toString('latin1', 0, length);
  }

  function status(pid: number, keep = false): StatusFields | undefined {
    const text = readSmall(`${procRoot}/${pid}/status`, keep);
    return text === undefined ? undefined : parseStatus(text);
  }

  function forget(pid: number): void {
    tree.forget(pid);
    const file = `${procRoot}/${pid}/status`;
    const fd = open.get(file);
    if (fd !== undefined) {
      open.delete(file);
      closeSync(fd);
    }
  }

  function reading(fields: StatusFields): ProcessReading {
    return { pid: fields.pid, ppid: fields.ppid, name: fields.name, rssBytes: fields.rssBytes ?? 0, hwmBytes: fields.hwmBytes };
  }

  function readCommand(pid: number): string | undefined {
    const raw = readSmall(`${procRoot}/${pid}/cmdline`);
    return raw ? raw.replace(/\0+$/, '').replaceAll('\0', ' ') : undefined;
  }

  const loadavg = `${procRoot}/loadavg`;
  const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;

  /** The last field of /proc/loadavg, parsed in place: it is read at every glance. */
  function readLastPid(): number {
    let end = readRaw(loadavg, true);
    while (end > 0 && !isDigit(buffer[end - 1]!)) end--;
    let start = end;
    while (start > 0 && isDigit(buffer[start - 1]!)) start--;
    if (start === end) return -1;
    let pid = 0;
    for (let at = start; at < end; at++) pid = pid * 10 + buffer[at]! - 0x30;
    return pid;
  }

  /** Whether the last discover() found the pid counter where it was. */
  let still = false;

  /** Candidate processes created since the last look: probed one by one, or by a full scan. */
  function discover(): ProcessReading[] {
    const current = readLastPid();
    still = current === lastPid && current !== -1;
    if (still) return [];
    let pids: number[];
    if (lastPid === -1 || current === -1 || current < lastPid || current - lastPid > MAX_PROBED_PIDS) {
      pids = readdirSync(procRoot).filter((name) => /^\d+$/.test(name)).map(Number);
    } else {
      pids = [];
      for (let pid = lastPid + 1; pid <= current; pid++) pids.push(pid);
    }
    lastPid = current;
    const table: StatusFields[] = [];
    for (const pid of pids) {
      if (tree.has(pid)) continue;
      const fields = status(pid);
      if (fields && fields.tgid === fields.pid) table.push(fields);
    }
    const added = new Set(tree.adopt(table));
    const found: ProcessReading[] = [];
    for (const fields of table) {
      if (!added.has(fields.pid)) continue;
      const seenAt = now();
      firstSeen.set(fields.pid, seenAt);
      youngUntil = Math.max(youngUntil, seenAt + options.youngMs);
      found.push({ ...reading(fields), command: readCommand(fields.pid) });
    }
    return found;
  }

  function readMembers(filter: (pid: number) => boolean): ProcessReading[] {
    const readings: ProcessReading[] = [];
    for (const pid of tree.pids()) {
      if (!filter(pid)) continue;
      const fields = status(pid, true);
      // Gone, or a zombie (no VmRSS): its memory is released; the last reading stands.
      if (!fields || fields.rssBytes === null) {
        if (!fields) forget(pid);
        continue;
      }
      readings.push(reading(fields));
    }
    return readings;
  }

  return {
    kind: 'procfs',
    close() {
      for (const fd of open.values()) closeSync(fd);
      open.clear();
    },
    async sample() {
      // The command lines of processes found now come with them (the command itself is found by the first sample).
      const commands = new Map(discover().map((found) => [found.pid, found.command]));
      return readMembers(() => true).map((reading) => (commands.has(reading.pid) ? { ...reading, command: commands.get(reading.pid) } : reading));
    },
    glance() {
      const found = discover();
      const t = now();
      if (t >= youngUntil) return found;
      const seen = new Set(found.map((r) => r.pid));
      const young = readMembers((pid) => !seen.has(pid) && t - (firstSeen.get(pid) ?? 0) < options.youngMs);
      // A young process may just have exec()ed (a forked python running another script keeps its name).
      for (const reading of young) reading.command = readCommand(reading.pid);
      return found.concat(young);
    },
    quiet() {
      return still && now() >= youngUntil;
    },
    read(pid) {
      if (!tree.has(pid)) return undefined;
      const fields = status(pid, true);
      return fields && fields.rssBytes !== null ? reading(fields) : undefined;
    },
  };
}

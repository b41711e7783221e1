// CPU time of the whole process tree of a run, at no cost to the run: the kernel adds a child's
// user and system time (including that of every descendant it waited for) to its parent's
// cutime/cstime when the parent reaps it. Reading our own /proc/self/stat before the spawn and after
// the child is reaped gives the tree's CPU. Linux only; descendants that were never waited for
// (daemonised, re-parented to init) are not counted.
import { readFileSync } from 'node:fs';

/** USER_HZ: /proc reports clock ticks, 100 per second on Linux on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

export interface ChildrenCpu {
  userMs: number;
  systemMs: number;
}

/** CPU of this process's reaped children so far, or undefined where /proc is not there. */
export function childrenCpu(): ChildrenCpu | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may contain spaces, so cut at the last ')').
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime are fields 16 and 17 of the whole line, 14 and 15 after ") ".
    const cutime = Number(fields[13]);
    const cstime = Number(fields[14]);
    if (!Number.isFinite(cutime) || !Number.isFinite(cstime)) return undefined;
    return { userMs: (cutime * 1000) / TICKS_PER_SECOND, systemMs: (cstime * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** CPU used between two readings. */
export function cpuBetween(before: ChildrenCpu | undefined, after: ChildrenCpu | undefined): ChildrenCpu | undefined {
  if (!before || !after) return undefined;
  return { userMs: Math.max(0, after.userMs - before.userMs), systemMs: Math.max(0, after.systemMs - before.systemMs) };
}

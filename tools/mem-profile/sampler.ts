// The sampler interface: readings of every process in the tree of the command, whatever the platform.
// Linux reads /proc (procfs-sampler.ts); elsewhere `ps` is asked (ps-sampler.ts).

/** One process at one moment. */
export interface ProcessReading {
  pid: number;
  ppid: number;
  /** Short name (comm); the full command line is asked for once, through Sampler.command. */
  name: string;
  rssBytes: number;
  /** The kernel's high-water mark of the process's RSS (VmHWM), when the platform tells it. */
  hwmBytes: number | null;
  /** The command line, when the sampler read it with this reading (new and young processes, or always). */
  command?: string;
}

export interface Sampler {
  readonly kind: 'procfs' | 'ps';
  /** Every live process of the tree now. */
  sample(): Promise<ProcessReading[]>;
  /**
   * A cheap look between samples (procfs only): processes that appeared since the last look, and fresh
   * readings of the young ones (alive for less than one interval), so that a process shorter than an
   * interval is still seen, and seen near its end. Undefined where the platform has no cheap look.
   */
  glance?(): ProcessReading[];
  /**
   * Whether the last look (glance or sample) found that no process was created anywhere since the one
   * before, and that none of the tree is young: the loop may then glance less often (monitor.ts).
   */
  quiet?(): boolean;
  /** A fresh reading of one process of the tree (for a test's start and end), or undefined if it is gone. */
  read?(pid: number): ProcessReading | undefined;
  /** Releases what the sampler holds open. */
  close?(): void;
}

/**
 * Tree membership shared by the samplers: a process belongs to the tree when its parent does, and
 * stays in it once seen (an orphan re-parented to init is still the command's). `root` itself is
 * left out when it is testpace's own wrapper.
 */
export class TreeMembers {
  private readonly members = new Set<number>();
  constructor(
    readonly root: number,
    readonly includeRoot: boolean,
  ) {}

  /** Adds every process of `table` whose parent is in the tree (to a fixed point), and returns the new ones. */
  adopt(table: ReadonlyArray<{ pid: number; ppid: number }>): number[] {
    const added: number[] = [];
    let pending = table.filter((entry) => !this.members.has(entry.pid));
    for (let grew = true; grew && pending.length > 0; ) {
      grew = false;
      const rest: typeof pending = [];
      for (const entry of pending) {
        if (this.contains(entry.ppid) || (entry.pid === this.root && this.includeRoot)) {
          this.members.add(entry.pid);
          added.push(entry.pid);
          grew = true;
        } else rest.push(entry);
      }
      pending = rest;
    }
    return added;
  }

  /** Whether `pid` is the root or a member: the parent test used by adopt. */
  private contains(pid: number): boolean {
    return pid === this.root || this.members.has(pid);
  }

  has(pid: number): boolean {
    return this.members.has(pid);
  }

  forget(pid: number): void {
    this.members.delete(pid);
  }

  pids(): number[] {
    return [...this.members];
  }
}

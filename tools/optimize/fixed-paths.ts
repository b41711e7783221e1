// Fixed paths (the same for every run and every worker) as the analysers report them: relative to the
// directory the runner runs in, POSIX, `<tmp>` for the system's temp directory. Two test files that
// write the same path, or one inside the other, collide when they run at the same time.
import path from 'node:path';

/** `./test//tmp/` → `test/tmp`; absolute paths stay absolute. */
export function normalisePath(raw: string): string {
  const normal = path.posix.normalize(raw);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

/** Which files write each fixed path, for the question "who else writes this, or a path inside it, or around it?". */
export class SharedPaths {
  /** path → files writing exactly it. */
  private readonly exact = new Map<string, Set<string>>();
  /** path → files writing something below it. */
  private readonly below = new Map<string, Set<string>>();

  add(file: string, written: string): void {
    put(this.exact, written, file);
    for (const ancestor of ancestors(written)) put(this.below, ancestor, file);
  }

  /** Other files that write `written`, a path inside it or a directory holding it, sorted. */
  others(file: string, written: string): string[] {
    const found = new Set<string>([...(this.exact.get(written) ?? []), ...(this.below.get(written) ?? [])]);
    for (const ancestor of ancestors(written)) for (const other of this.exact.get(ancestor) ?? []) found.add(other);
    found.delete(file);
    return [...found].sort();
  }
}

function put(map: Map<string, Set<string>>, key: string, file: string): void {
  const set = map.get(key);
  if (set) set.add(file);
  else map.set(key, new Set([file]));
}

/** `test/tmp/a` → `test/tmp`, `test`; the root and `.` hold everything, so they are left out. */
function ancestors(written: string): string[] {
  const out: string[] = [];
  for (let at = written.lastIndexOf('/'); at > 0; at = written.lastIndexOf('/', at - 1)) out.push(written.slice(0, at));
  return out;
}

// A tiny Python wrapper the command runs under, because Node cannot ask for getrusage(RUSAGE_CHILDREN):
// it forks, execs the command, waits, and writes the command's exit status and the kernel's ru_maxrss
// of all waited-for descendants to a report file. Python starts in ~15 ms with -I -S and is on nearly
// every Linux and macOS machine; without it the command runs bare and the document says so.
//
// It takes its command as one line of JSON on stdin ({argv, env, cwd, report, quiet}), so that it can
// be started before the command is known: the executable starts it from its first lines, and Python's
// start-up overlaps Node's loading of the tool instead of delaying the command (see spawn.ts). Stdin
// closed without a line means there is nothing to run: it exits at once.
//
// The wrapper ignores SIGINT/SIGTERM/SIGHUP (testpace forwards them to the whole process group, so the
// command gets them) and lives on to report. The child restores the dispositions the wrapper was started
// with, and SIGPIPE/SIGXFSZ, which Python itself sets to "ignore" at start-up.
import { existsSync } from 'node:fs';

export const WRAPPER_SOURCE = String.raw`
import json, os, signal, sys, resource
forwarded = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
original = {s: signal.getsignal(s) for s in forwarded}
for s in forwarded:
    signal.signal(s, signal.SIG_IGN)
line = sys.stdin.buffer.readline()
if not line.endswith(b"\n"):
    os._exit(0)
spec = json.loads(line)
report, argv = spec["report"], spec["argv"]
pid = os.fork()
if pid == 0:
    for s in forwarded:
        signal.signal(s, signal.SIG_IGN if original[s] == signal.SIG_IGN else signal.SIG_DFL)
    for name in ("SIGPIPE", "SIGXFSZ"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    if spec["quiet"]:
        os.dup2(null, 1)
        os.dup2(null, 2)
    try:
        os.chdir(spec["cwd"])
        os.execvpe(argv[0], argv, spec["env"])
    except OSError as error:
        with open(report, "w") as out:
            out.write("exec-error %d %s\n" % (error.errno, error.strerror))
        os._exit(127)
while True:
    try:
        _, status = os.waitpid(pid, 0)
        break
    except InterruptedError:
        continue
maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if sys.platform != "darwin":
    maxrss *= 1024
code = os.waitstatus_to_exitcode(status)
with open(report, "a") as out:
    out.write("exit %d %d\n" % (code, maxrss))
os._exit(code if code >= 0 else 128 - code)
`;

/** What the wrapper reads on stdin: the command and how to run it. */
export interface WrapperSpec {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where it writes its report. */
  report: string;
  /** The command's stdout and stderr go to /dev/null. */
  quiet: boolean;
}

/** What the wrapper reported. */
export interface WrapperReport {
  /** The command's exit code, or null when a signal ended it. */
  exitCode: number | null;
  signalNumber: number | null;
  childrenMaxRssBytes: number;
}

/** Parses the report file; an exec failure becomes `{ execError }`. */
export function parseWrapperReport(text: string): WrapperReport | { execError: string } | undefined {
  const exec = /^exec-error (\d+) (.*)$/m.exec(text);
  if (exec) return { execError: exec[2]!.trim() };
  const exit = /^exit (-?\d+) (\d+)$/m.exec(text);
  if (!exit) return undefined;
  const code = Number(exit[1]);
  return { exitCode: code >= 0 ? code : null, signalNumber: code < 0 ? -code : null, childrenMaxRssBytes: Number(exit[2]) };
}

/** The Python to run the wrapper with: the system one first (a pyenv shim would add a shell's start-up). */
export function wrapperPython(env: NodeJS.ProcessEnv): string | undefined {
  for (const candidate of ['/usr/bin/python3', '/usr/local/bin/python3', '/opt/homebrew/bin/python3']) {
    if (existsSync(candidate)) return candidate;
  }
  for (const dir of (env.PATH ?? '').split(':')) {
    if (dir && existsSync(`${dir}/python3`)) return `${dir}/python3`;
  }
  return undefined;
}

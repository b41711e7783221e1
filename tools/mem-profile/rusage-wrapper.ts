// A tiny Python wrapper the command runs under, because Node cannot ask for getrusage(RUSAGE_CHILDREN):
// it forks, execs the command, waits, and writes the command's exit status, the kernel's ru_maxrss of
// all waited-for descendants and when the command ended to a report file. Python is on nearly every
// Linux and macOS machine; without it the command runs bare and the document says so.
//
// It takes its command on stdin (see encodeSpec). Stdin closed without a whole spec means there is
// nothing to run: it exits at once. Before the fork it imports only what Python has loaded anyway (os,
// sys) and the built-in _signal: `python3 -I -S` importing `json`, `signal` (enum) and `resource` as
// well took 16 ms, with only os and sys 8 ms (medians of 25 here); `resource` is imported after the
// fork, while the command starts.
//
// The wrapper ignores SIGINT/SIGTERM/SIGHUP (testpace forwards them to the whole process group, so the
// command gets them) and lives on to report. The child restores the dispositions the wrapper was started
// with, and SIGPIPE/SIGXFSZ, which Python itself sets to "ignore" at start-up.
import { existsSync } from 'node:fs';

export const WRAPPER_SOURCE = String.raw`
import _signal, os, sys
forwarded = (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP)
original = {s: _signal.getsignal(s) for s in forwarded}
for s in forwarded:
    _signal.signal(s, _signal.SIG_IGN)
try:
    size = int(sys.stdin.buffer.readline())
    fields = sys.stdin.buffer.read(size).split(b"\0")
    magic, report, cwd, quiet, argc = fields[:5]
    argc = int(argc)
    argv = fields[5:5 + argc]
    env = dict(entry.split(b"=", 1) for entry in fields[5 + argc:-1])
    assert magic == b"testpace-wrapper-1" and argc > 0 and fields[-1] == b"end"
except Exception:
    os._exit(0)
pid = os.fork()
if pid == 0:
    for s in forwarded:
        _signal.signal(s, _signal.SIG_IGN if original[s] == _signal.SIG_IGN else _signal.SIG_DFL)
    for name in ("SIGPIPE", "SIGXFSZ"):
        if hasattr(_signal, name):
            _signal.signal(getattr(_signal, name), _signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    if quiet == b"1":
        os.dup2(null, 1)
        os.dup2(null, 2)
    try:
        os.chdir(cwd)
        os.execvpe(argv[0], argv, env)
    except OSError as error:
        with open(report, "w") as out:
            out.write("exec-error %d %s\n" % (error.errno, error.strerror))
        os._exit(127)
import resource, time
while True:
    try:
        _, status = os.waitpid(pid, 0)
        break
    except InterruptedError:
        continue
ended = time.monotonic_ns()
maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if sys.platform != "darwin":
    maxrss *= 1024
code = os.waitstatus_to_exitcode(status)
with open(report, "a") as out:
    out.write("exit %d %d %d\n" % (code, maxrss, ended))
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

/**
 * The spec as the wrapper reads it: its length in bytes on a line, then NUL-separated fields (a marker,
 * report, cwd, quiet, the number of arguments, the arguments, the environment as NAME=value, "end").
 * The length lets the wrapper start the command as soon as the spec is in, without waiting for the
 * end of its stdin (which comes when the tool's event loop gets to close the pipe). Nothing the kernel
 * passes to a program can hold a NUL, so none is escaped; one that does is refused, as Node's spawn
 * refuses it.
 */
export function encodeSpec(spec: WrapperSpec): Buffer {
  const env = Object.entries(spec.env).flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${value}`]));
  const fields = ['testpace-wrapper-1', spec.report, spec.cwd, spec.quiet ? '1' : '0', String(spec.argv.length), ...spec.argv, ...env, 'end'];
  const bad = fields.find((field) => field.includes('\0'));
  if (bad !== undefined) throw new TypeError(`a command argument or environment variable holds a NUL byte: ${JSON.stringify(bad)}`);
  const payload = Buffer.from(fields.join('\0'));
  return Buffer.concat([Buffer.from(`${payload.length}\n`), payload]);
}

/** What the wrapper reported. */
export interface WrapperReport {
  /** The command's exit code, or null when a signal ended it. */
  exitCode: number | null;
  signalNumber: number | null;
  childrenMaxRssBytes: number;
  /** When the command ended, on the monotonic clock (CLOCK_MONOTONIC, as process.hrtime), in nanoseconds. */
  endedNs: bigint | null;
}

/** Parses the report file; an exec failure becomes `{ execError }`. */
export function parseWrapperReport(text: string): WrapperReport | { execError: string } | undefined {
  const exec = /^exec-error (\d+) (.*)$/m.exec(text);
  if (exec) return { execError: exec[2]!.trim() };
  const exit = /^exit (-?\d+) (\d+)(?: (\d+))?$/m.exec(text);
  if (!exit) return undefined;
  const code = Number(exit[1]);
  return { exitCode: code >= 0 ? code : null, signalNumber: code < 0 ? -code : null, childrenMaxRssBytes: Number(exit[2]), endedNs: exit[3] === undefined ? null : BigInt(exit[3]) };
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

// The early start: the whole start of a plain invocation's run (`testpace-mem-profile [-q] [-o FILE]
// -- <command>`, see plainInvocation), before the command line is parsed. Loading
// yargs and the options then happens while the command runs, instead of before it: the tool's
// start-up is most of what it adds to a run's wall time (bench/mem-profile-overhead.ts).
//
// As in profile (tools/profile/early.ts): only an invocation whose every argument is one of those,
// written plainly, starts early; run() takes the early run only when the parsed options ask for exactly
// that run, so the parsed options remain the only authority. Were they ever to disagree, the early run
// is killed with its whole process group and its files removed, and a run is started from them.
import { rmSync } from 'node:fs';
import { plainInvocation } from '../../lib/entry.ts';
import { type Io, processIo } from '../../lib/io.ts';
import { type MemProfileOptions, defaults } from './options.ts';
import { type Session, startSession } from './run.ts';

/** The options that shape a session: all but where the document goes and how it is summarised. */
function sessionOptions(options: MemProfileOptions): unknown[] {
  const { command, intervalMs, maxRssBytes, quiet, tests, rusage, sampler, tracemalloc } = options;
  return [command, intervalMs, maxRssBytes, quiet, tests, rusage, sampler, tracemalloc];
}

let early: Promise<Session | undefined> | undefined;
let taken = false;

/**
 * From the executable's first lines (after the wrapper: spawn.ts's startEarlyWrapper), when the
 * arguments are plain: starts the whole run. Resolves once the command has been launched (or at once
 * when there is nothing to start); never rejects.
 */
export function startEarly(argv: readonly string[]): Promise<unknown> {
  const plan = plainInvocation(argv);
  if (!plan) return Promise.resolve();
  const options: MemProfileOptions = { ...defaults, ...plan };
  let started: Session | undefined;
  // Whatever fails here fails again, and is reported, when run() starts the run itself.
  early = startSession(options, processIo()).then(
    (session) => (started = session),
    () => undefined,
  );
  // Should the tool end without taking the run (a plain invocation always takes it), the command does
  // not outlive it.
  process.once('exit', () => {
    if (!taken) started?.running.signalGroup('SIGKILL');
  });
  return early;
}

/**
 * The early session, if one was started and `options` ask for exactly it; one they do not ask for is
 * stopped here, its process group killed and its files removed.
 */
export async function takeEarlySession(options: MemProfileOptions, io: Io): Promise<Session | undefined> {
  taken = true;
  const session = await early;
  early = undefined;
  if (!session) return undefined;
  const wanted = sessionOptions(options);
  const same =
    io.cwd === session.io.cwd &&
    io.env === session.io.env &&
    sessionOptions(session.options).every((value, i) => JSON.stringify(value) === JSON.stringify(wanted[i]));
  if (same) return session;
  session.running.signalGroup('SIGKILL');
  await session.running.exited.catch(() => undefined);
  session.release();
  await session.monitor.stop();
  session.sampler.close?.();
  session.follower?.close();
  rmSync(session.tmpDir, { recursive: true, force: true });
  return undefined;
}

'use strict';
// --cpu-profile for Node runners: preloaded into every Node process through NODE_OPTIONS=--require
// (Node 20 refuses --cpu-prof there), it starts V8's CPU profiler through node:inspector and writes
// the .cpuprofile to $TESTPACE_CPU_PROFILE_DIR when the process exits.
const dir = process.env.TESTPACE_CPU_PROFILE_DIR;

/** An inspector session, or undefined where the process has no inspector (node --test's own process has none). */
function connect() {
  try {
    const session = new (require('node:inspector').Session)();
    session.connect();
    return session;
  } catch {
    return undefined;
  }
}

const session = dir ? connect() : undefined;
if (session) {
  const fs = require('node:fs');
  const path = require('node:path');
  session.post('Profiler.enable');
  session.post('Profiler.start');
  let written = false;
  const stop = () => {
    if (written) return;
    written = true;
    // An in-process inspector session answers synchronously, so this completes inside 'exit' or a signal handler.
    session.post('Profiler.stop', (error, result) => {
      if (!error && result?.profile) fs.writeFileSync(path.join(dir, `${process.pid}-${Date.now()}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on('exit', stop);
  // Pool workers (vitest forks) are ended with SIGTERM and never see 'exit': write the profile, then let
  // the signal do what it would have done (unless the program has its own handler, which then decides).
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
    const onSignal = () => {
      stop();
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

'use strict';
// Preloaded (NODE_OPTIONS --require) into every Node process of a mem-profile run: appends
// { pid, maxRssBytes } from process.resourceUsage() (the kernel's ru_maxrss) to $TESTPACE_EXIT_REPORT.
const fs = require('node:fs');

const reportFile = process.env.TESTPACE_EXIT_REPORT;
let reported = false;

function writeReport() {
  if (reported) return;
  reported = true;
  try {
    const line = JSON.stringify({ pid: process.pid, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n';
    fs.appendFileSync(reportFile, line);
  } catch {
    // Never let the report change how the process ends.
  }
}

if (reportFile) {
  process.on('exit', writeReport);
  // Workers are often ended by a signal (vitest terminates its forks with SIGTERM), which skips 'exit':
  // report, remove this listener and, when nobody else listens, raise the signal again so the process
  // still dies of it as it would have.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
    process.on(signal, function onSignal() {
      writeReport();
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

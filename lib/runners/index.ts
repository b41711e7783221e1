// Runner adapters shared by testpace-profile and testpace-mem-profile: detect the runner in a command,
// instrument the command so it streams test events (JSON lines) to a file, and read those events.
export { type LocatedRunner, type RunnerName, detectRunner, locateRunner, runnerNames } from './detect.ts';
export {
  EVENTS_ENV,
  type FileEvent,
  type TestEndEvent,
  type TestEvent,
  type TestOutcome,
  type TestStartEvent,
  followEvents,
  inFlight,
  parseEvents,
  parseFileEvents,
  parseSessionEvents,
  readRunEvents,
  type SessionEvent,
  withoutSuites,
} from './events.ts';
export { type InstrumentOptions, type Instrumented, adapters, instrument } from './instrument.ts';
// The JUnit reader (./junit.ts) is imported where a report is read, after the run (see its header).

// The concrete fix each rule suggests, in the words and APIs of the runner at hand.
import type { Runner } from './file-analysis.ts';

const js = (runner: Runner) => runner === 'vitest' || runner === 'jest' || runner === 'mocha' || runner === 'node-test';

export function sleepFix(runner: Runner): string {
  switch (runner) {
    case 'pytest':
      return 'wait for the condition instead of a fixed time (poll with a short interval and a deadline), or freeze the clock with freezegun / time-machine when the code only reads time';
    case 'vitest':
      return 'use fake timers: vi.useFakeTimers() and await vi.advanceTimersByTimeAsync(ms); or await vi.waitFor(() => condition) instead of a fixed wait';
    case 'jest':
      return 'use fake timers: jest.useFakeTimers() and await jest.advanceTimersByTimeAsync(ms); or poll for the condition instead of a fixed wait';
    case 'node-test':
      return "mock the timers: t.mock.timers.enable({ apis: ['setTimeout'] }) and t.mock.timers.tick(ms); or poll for the condition";
    case 'mocha':
      return 'fake the clock with @sinonjs/fake-timers (clock.tickAsync(ms)), or poll for the condition instead of a fixed wait';
    case 'bats':
      return 'poll for the condition with a deadline (until cond; do sleep 0.01; done) instead of a fixed sleep, or make the wait configurable and 0 under test';
  }
}

export function networkFix(runner: Runner): string {
  if (runner === 'pytest') return 'replace the real connection with a fake: responses / respx / pytest-httpserver for HTTP, or monkeypatch the client; keep one real-network test marked @pytest.mark.network';
  if (runner === 'bats') return 'point the command at a local stub (a file:// URL or a fixture file) instead of a live service';
  if (runner === 'vitest') return "mock the client: vi.spyOn(globalThis, 'fetch') / msw, or vi.mock the HTTP module; keep real-network checks in a separate, tagged suite";
  if (runner === 'jest') return "mock the client: jest.spyOn(globalThis, 'fetch') / msw / nock, or jest.mock the HTTP module; keep real-network checks in a separate suite";
  return "mock the client (t.mock.method(globalThis, 'fetch') in node:test, sinon / nock in mocha); keep real-network checks in a separate suite";
}

export function databaseFix(runner: Runner): string {
  if (runner === 'pytest') return 'use an in-memory database (sqlite3.connect(":memory:")) or a fake repository, and share one connection per module/session in a fixture';
  if (runner === 'bats') return 'use sqlite3 :memory: or a prepared fixture database copied once in setup_file';
  return `use an in-memory database or a fake repository, and open one connection in ${runner === 'mocha' || runner === 'node-test' ? 'before()' : 'beforeAll()'} instead of per test`;
}

export function subprocessFix(runner: Runner): string {
  if (runner === 'pytest') return 'call the code in-process (import and call its main function) instead of spawning an interpreter; keep one end-to-end test for the command line';
  return 'call the module in-process (import it and call its entry function) instead of spawning a process; keep one end-to-end test for the command line';
}

export function fixtureFix(runner: Runner, kind: string, mutated: boolean): string {
  if (kind === 'afterEach' || kind === 'bats-teardown' || kind === 'xunit-teardown') {
    return `make the clean-up cheap, or do it once ${runner === 'bats' ? 'in teardown_file()' : runner === 'mocha' || runner === 'node-test' ? 'in after()' : 'in afterAll()'} if the tests do not depend on it between them`;
  }
  if (mutated) {
    if (runner === 'pytest') return 'build it once in a module- or session-scoped fixture and have this function-scoped fixture return a cheap copy (copy.deepcopy), since tests mutate it';
    if (runner === 'bats') return 'build it once in setup_file() and copy it into $BATS_TEST_TMPDIR in setup(), since tests change it';
    return `build it once in ${runner === 'mocha' || runner === 'node-test' ? 'before()' : 'beforeAll()'} and give each test a cheap copy (structuredClone) in beforeEach, since tests mutate it`;
  }
  if (runner === 'pytest') {
    return kind === 'xunit-setup'
      ? 'build it once per class with setup_class (or a class-scoped fixture) if the tests do not mutate it'
      : 'widen the scope: @pytest.fixture(scope="module") or "session", if the tests do not mutate what it builds (else return a copy from a cheap function-scoped wrapper)';
  }
  if (runner === 'bats') return 'move the costly part to setup_file(), which runs once per file, and export what the tests read';
  if (js(runner)) {
    const hook = runner === 'mocha' ? 'before()' : runner === 'node-test' ? 'before()' : 'beforeAll()';
    return `build it once in ${hook} if the tests do not mutate it (or give each test a cheap copy)`;
  }
  return 'build it once for all the tests that use it';
}

export function duplicateFix(runner: Runner): string {
  if (runner === 'pytest') return 'keep one test, or merge them with @pytest.mark.parametrize over what differs';
  if (runner === 'vitest' || runner === 'jest') return 'keep one test, or merge them with test.each over what differs';
  if (runner === 'bats') return 'keep one test, or loop over the cases in one @test';
  return 'keep one test, or generate the cases from a table in a loop';
}

/** How to keep the given tests serial in each runner. */
export function serialFix(runner: Runner, kind: string | undefined, hazard: 'shared-resource' | 'order-dependent'): string {
  const cure =
    kind === 'env'
      ? runner === 'pytest'
        ? 'use monkeypatch.setenv, which restores the variable'
        : runner === 'vitest'
          ? 'use vi.stubEnv (restored by vi.unstubAllEnvs)'
          : 'save and restore the variable in afterEach'
      : kind === 'fixed-path'
        ? runner === 'pytest'
          ? 'write under tmp_path instead of a fixed path'
          : runner === 'bats'
            ? 'write under $BATS_TEST_TMPDIR instead of a fixed path'
            : 'write under a fresh fs.mkdtemp(path.join(os.tmpdir(), ...)) directory'
        : kind === 'fixed-port'
          ? 'listen on port 0 and read the port the system chose'
          : kind === 'global'
            ? runner === 'vitest'
              ? 'use vi.stubGlobal (restored by vi.unstubAllGlobals)'
              : 'save the global and put it back in afterEach'
          : kind === 'chdir'
            ? runner === 'pytest'
              ? 'use monkeypatch.chdir, which restores the directory'
              : 'pass a cwd to the code under test instead of changing the process directory'
            : runner === 'pytest'
              ? 'use monkeypatch.setattr / setitem, which restore the value'
              : runner === 'vitest'
                ? 'restore the value in afterEach, or vi.spyOn / vi.mock the module'
                : 'restore the value in afterEach, or stub it with a mock that is restored';
  const serial =
    runner === 'pytest'
      ? 'until then keep it serial: @pytest.mark.xdist_group("serial") and run with --dist loadgroup'
      : runner === 'vitest'
        ? 'until then keep its file serial: run it in a project with fileParallelism: false (or sequence.concurrent off and poolOptions singleFork)'
        : runner === 'jest'
          ? 'until then keep its file serial: run it in a separate jest --runInBand invocation'
          : runner === 'mocha'
            ? 'until then keep its file out of --parallel runs (a separate serial mocha invocation)'
            : runner === 'node-test'
              ? 'until then run its file in a separate node --test --test-concurrency=1 invocation'
              : 'until then keep its file serial: bats --no-parallelize-across-files, or run it in a separate bats call';
  // Separate worker processes do not share process state: keeping such tests serial changes nothing.
  if (hazard === 'order-dependent') return cure;
  return `${cure}; ${serial}`;
}

export function slowTestFix(runner: Runner): string {
  if (runner === 'pytest') return 'see where the time goes (testpace-profile --cpu-profile, or pytest --durations); mark it @pytest.mark.slow and deselect it in the fast loop (-m "not slow")';
  return 'see where the time goes (testpace-profile --cpu-profile); move it to a slow suite that runs less often';
}

export function collectionFix(runner: Runner): string {
  if (runner === 'pytest') return 'import heavy modules inside the tests or fixtures that need them (not at module level), narrow testpaths / norecursedirs so fewer files are collected, and avoid work at import time';
  if (runner === 'vitest') return 'import heavy modules lazily, narrow include globs, and check environment set-up (jsdom) and setupFiles, which run for every file';
  if (runner === 'jest') return 'import heavy modules lazily, narrow testMatch, and check transforms (babel/ts-jest: try @swc/jest) and setupFiles, which run for every file';
  return 'import heavy modules lazily and narrow which files are loaded';
}

// The event stream contract of lib/runners: live following, torn lines, suites, the test in flight.
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { followEvents, inFlight, parseEvents, readRunEvents } from '../../lib/runners/events.ts';
import { instrument } from '../../lib/runners/instrument.ts';
import { tempDir } from '../helpers.ts';

const line = (value: object) => JSON.stringify(value) + '\n';
const base = { file: 'tests/a.js', worker: null, pid: 7 };

describe('test events', () => {
  it('follows a file as it grows, holding back a line until its newline arrives', async () => {
    const file = path.join(await tempDir(), 'events.jsonl');
    const follower = followEvents(file);
    expect(await follower.poll()).toEqual([]); // not there yet
    const start = line({ event: 'start', ...base, name: 'a > b', id: 'x', t: 1 });
    await appendFile(file, start.slice(0, 20));
    expect(await follower.poll()).toEqual([]);
    await appendFile(file, start.slice(20));
    const [event] = await follower.poll();
    expect(event).toMatchObject({ event: 'start', name: 'a > b', pid: 7 });
    expect(inFlight([event!]).map((e) => e.name)).toEqual(['a > b']);
  });

  it('drops suites (node:test reports them like tests) and skips lines that are not events', async () => {
    const file = path.join(await tempDir(), 'events.jsonl');
    await appendFile(
      file,
      line({ event: 'start', ...base, name: 'suite', id: 's', t: 1 }) +
        line({ event: 'start', ...base, name: 'suite > test', id: 't', t: 2 }) +
        'garbage\n' +
        line({ event: 'end', ...base, name: 'suite > test', id: 't', t: 5, outcome: 'passed', durationMs: 3 }) +
        line({ event: 'end', ...base, name: 'suite', id: 's', t: 6, outcome: 'passed', durationMs: 5, suite: true }),
    );
    expect(readRunEvents(file).events.map((e) => `${e.event} ${e.name}`)).toEqual(['start suite > test', 'end suite > test']);
    expect(parseEvents('{"event":"end","file":"f","name":"n","t":1,"outcome":"exploded","durationMs":1}\n')).toEqual([]);
    expect(readRunEvents(path.join(path.dirname(file), 'none.jsonl')).events).toEqual([]);
  });

  it('names the runner hidden behind make through PYTEST_PLUGINS, and refuses a hidden Node runner', async () => {
    const tmpDir = await tempDir();
    const options = { cwd: tmpDir, eventsFile: path.join(tmpDir, 'e.jsonl'), tmpDir, env: {} };
    const pytest = await instrument('pytest', ['make', 'test'], options);
    expect(pytest.command).toEqual(['make', 'test']);
    expect(pytest.env).toMatchObject({ PYTEST_PLUGINS: 'testpace_pytest_events', PYTHONPATH: tmpDir, TESTPACE_EVENTS: options.eventsFile });
    await expect(instrument('vitest', ['npm', 'test'], options)).rejects.toThrow('cannot find vitest in the command "npm test"');
  });

  it('keeps the user’s reporters and adds its own', async () => {
    const tmpDir = await tempDir();
    const options = { cwd: tmpDir, eventsFile: path.join(tmpDir, 'e.jsonl'), tmpDir, env: {} };
    const vitest = await instrument('vitest', ['npx', 'vitest', 'run', '--reporter=dot'], options);
    expect(vitest.command).toEqual(['npx', 'vitest', `--reporter=${tmpDir}/vitest-reporter.mjs`, 'run', '--reporter=dot']);
    // Reporters named on jest's command line: ours joins them, last, where it cannot take a test path as its value.
    const jest = await instrument('jest', ['jest', '--reporters=dot', 'tests/a.test.js'], options);
    expect(jest.command).toEqual(['jest', '--reporters=dot', 'tests/a.test.js', `--reporters=${tmpDir}/jest-reporter.cjs`]);
    const mocha = await instrument('mocha', ['mocha', '-R', 'dot', 'test/'], options);
    expect(mocha.command).toEqual(['mocha', `--reporter=${tmpDir}/mocha-reporter.cjs`, '--reporter-option=testpaceInner=dot', 'test/']);
  });
});

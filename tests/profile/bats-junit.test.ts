// testpace-profile on bats (through its JUnit report), on any runner through --junit, and its one-line errors.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readJunit } from '../../lib/runners/junit.ts';
import type { JunitCase } from '../../lib/runners/junit.ts';
import { runBinary, tempDir, writeTree } from '../helpers.ts';
import { type Profiled, example, expectSleep, profile, testNamed } from './profile-helpers.ts';

describe('profile on the bats example', () => {
  let result: Profiled;
  beforeAll(async () => {
    result = await profile(example('bats'), ['--', 'bats', 'test']);
  });

  it('reads every test from the JUnit report bats writes alongside its usual output', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.document.runner).toBe('bats');
    expect(result.document.tests, result.stderr).toHaveLength(17);
    expect(result.stderr).toMatch(/^ok 1 /m); // bats' own TAP output still reaches the user
    const receipt = testNamed(result.document, 'receipt prints after the printer warms up');
    expect(receipt.file).toBe('test/checkout.bats');
    expectSleep(receipt, 300);
  });
});

describe('profile --junit', () => {
  it('reads the JUnit XML the command writes', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      'test_sleep.py': 'import time\n\ndef test_sleeps():\n    time.sleep(0.3)\n\ndef test_fails():\n    assert False, "nope"\n',
    });
    const result = await profile(dir, ['--junit', 'out/report.xml', '--', 'python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--junitxml=out/report.xml']);
    expect(result.code).toBe(1);
    expect(result.document.runner).toBe('junit');
    expect(result.document.status).toBe('failed');
    const sleeper = result.document.tests.find((t) => t.name === 'test_sleeps')!;
    expectSleep(sleeper, 300);
    expect(sleeper.id).toBe('test_sleep::test_sleeps');
    expect(result.document.runs[0]!.tests.find((t) => t.name === 'test_fails')).toMatchObject({ outcome: 'failed' });
  });

  it('says in one line, exit 2, when the JUnit file is not XML, and still writes an error document', async () => {
    const dir = await tempDir();
    const result = await profile(dir, ['--junit', 'report.xml', '--', 'sh', '-c', 'echo "not xml at all" > report.xml']);
    expect(result.code).toBe(2);
    expect(result.document.status).toBe('error');
    expect(result.stderr).toMatch(/^testpace-profile: report\.xml: not JUnit XML: text data outside of root node \(line \d+, column \d+\)$/m);
  });

  it('refuses a JUnit file the run did not write', async () => {
    const dir = await tempDir();
    const result = await runBinary('profile', ['--junit', 'missing.xml', '--', 'true'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('testpace-profile: missing.xml: no such file after the run');
  });
});

describe('profile errors', () => {
  it('exits 2 with one line for a command that cannot start', async () => {
    const result = await runBinary('profile', ['--runner', 'pytest', '--', 'no-such-test-runner-xyz'], { cwd: await tempDir() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')[0]).toBe('testpace-profile: no-such-test-runner-xyz: command not found');
    expect(result.stderr).not.toContain('    at ');
  });

  it('exits 2 for a runner it cannot detect, naming --runner and --junit', async () => {
    const result = await runBinary('profile', ['--', 'make', 'test'], { cwd: await tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('testpace-profile: cannot tell which test runner "make test" runs');
    expect(result.stderr).toContain('--junit');
  });

  it('exits 2 without a command', async () => {
    const result = await runBinary('profile', ['--runs', '2'], { cwd: await tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no test command given');
  });
});

describe('readJunit', () => {
  it('streams test cases with outcomes, messages, files and suite timestamps', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'r.xml');
    await writeFile(
      file,
      `<?xml version="1.0"?>
<testsuites><testsuite name="s" file="a/b.py" timestamp="2026-01-02T03:04:05">
  <testcase classname="a.b" name="ok" time="0.25"/>
  <testcase classname="a.b" name="bad" time="1"><failure message="boom&amp;bang">trace</failure></testcase>
  <testcase classname="a.b" name="err" time="0"><error><![CDATA[first line
second]]></error></testcase>
  <testcase name="skip" file="c.py"><skipped/></testcase>
</testsuite></testsuites>`,
    );
    const cases: JunitCase[] = [];
    expect(await readJunit(file, (c) => cases.push(c))).toBe(4);
    expect(cases.map((c) => [c.file, c.name, c.outcome, c.durationMs, c.message])).toEqual([
      ['a/b.py', 'ok', 'passed', 250, undefined],
      ['a/b.py', 'bad', 'failed', 1000, 'boom&bang'],
      ['a/b.py', 'err', 'error', 0, 'first line'],
      ['c.py', 'skip', 'skipped', 0, undefined],
    ]);
    expect(cases[0]!.id).toBe('a.b::ok');
    expect(cases[0]!.suiteTimestampMs).toBe(new Date(2026, 0, 2, 3, 4, 5).getTime());
  });

  it('rejects XML that is not JUnit', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'r.xml');
    await writeFile(file, '<html><body/></html>');
    await expect(readJunit(file, () => {})).rejects.toThrow('not JUnit XML: expected a <testsuites> or <testsuite> root element, found <html>');
  });
});

// Reading JUnit XML by streaming (saxes): one test case at a time, so that 100k test cases and
// 50 MB files stay within a small, flat amount of memory. Any runner that writes JUnit XML
// (pytest --junitxml, gotestsum, cargo nextest, Playwright, bats) can be read this way.
// Imported only where a report is read, after the run: loading this module and saxes took about
// 2 ms of a start in one --cpu-prof run (50 µs interval), which no command should wait for.
import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import { InputError } from '../errors.ts';
import type { TestOutcome } from './events.ts';

/** One <testcase>. */
export interface JunitCase {
  /** The testcase's `file` attribute, else its testsuite's, else its classname (or the suite name). */
  file: string;
  name: string;
  /** `classname::name` (or the name alone without a classname). */
  id: string;
  classname: string | undefined;
  outcome: TestOutcome;
  durationMs: number;
  message?: string;
  /** The enclosing testsuite's name and `timestamp` attribute (epoch ms), when given. */
  suite: string | undefined;
  suiteTimestampMs: number | undefined;
}

const MESSAGE_LIMIT = 500;

function firstLine(text: string | undefined): string | undefined {
  const line = text?.split('\n').map((l) => l.trim()).find(Boolean);
  return line ? line.slice(0, MESSAGE_LIMIT) : undefined;
}

function parseTimestamp(value: string | undefined): number | undefined {
  if (!value) return undefined;
  // JUnit timestamps are usually local time without a zone (ISO 8601 without offset): read as such.
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Streams the test cases of a JUnit XML file to `onCase`; returns how many were read.
 * Throws InputError (file, line and column) for a file that is missing, not XML, or not JUnit.
 */
export async function readJunit(file: string, onCase: (testCase: JunitCase) => void, source = file): Promise<number> {
  const parser = new SaxesParser({ position: true });
  const suites: Array<{ name?: string; file?: string; timestamp?: number }> = [];
  let current: (Omit<JunitCase, 'outcome' | 'message'> & { outcome: TestOutcome; message?: string }) | undefined;
  let capture: 'message' | undefined;
  let captured = '';
  let count = 0;
  let sawRoot = false;
  let failure: Error | undefined;

  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag) => {
    const attributes = tag.attributes as Record<string, string>;
    if (!sawRoot) {
      sawRoot = true;
      if (tag.name !== 'testsuites' && tag.name !== 'testsuite') {
        failure ??= new Error(`expected a <testsuites> or <testsuite> root element, found <${tag.name}>`);
      }
    }
    switch (tag.name) {
      case 'testsuite': {
        const parent = suites[suites.length - 1];
        suites.push({
          name: attributes.name ?? parent?.name,
          file: attributes.file ?? parent?.file,
          timestamp: parseTimestamp(attributes.timestamp) ?? parent?.timestamp,
        });
        break;
      }
      case 'testcase': {
        const suite = suites[suites.length - 1];
        const classname = attributes.classname || undefined;
        const name = attributes.name ?? '(unnamed)';
        const seconds = Number(attributes.time ?? 0);
        current = {
          file: attributes.file || suite?.file || classname || suite?.name || '(unknown)',
          name,
          id: classname ? `${classname}::${name}` : name,
          classname,
          outcome: 'passed',
          durationMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0,
          suite: suite?.name,
          suiteTimestampMs: suite?.timestamp,
        };
        break;
      }
      case 'failure':
      case 'error':
      case 'skipped':
        if (!current) break;
        if (tag.name === 'skipped') {
          if (current.outcome === 'passed') current.outcome = 'skipped';
        } else {
          current.outcome = tag.name === 'failure' ? 'failed' : 'error';
          current.message = firstLine(attributes.message);
          if (!current.message && !tag.isSelfClosing) {
            capture = 'message';
            captured = '';
          }
        }
        break;
    }
  });
  parser.on('text', (text) => {
    if (capture && captured.length < 4 * MESSAGE_LIMIT) captured += text.slice(0, 4 * MESSAGE_LIMIT);
  });
  parser.on('cdata', (text) => {
    if (capture && captured.length < 4 * MESSAGE_LIMIT) captured += text.slice(0, 4 * MESSAGE_LIMIT);
  });
  parser.on('closetag', (tag) => {
    if ((tag.name === 'failure' || tag.name === 'error') && capture && current) {
      current.message = firstLine(captured);
      capture = undefined;
    } else if (tag.name === 'testcase' && current) {
      onCase(current as JunitCase);
      count++;
      current = undefined;
    } else if (tag.name === 'testsuite') {
      suites.pop();
    }
  });

  const describe = (error: Error) =>
    new InputError(source, `not JUnit XML: ${error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '')} (line ${parser.line}, column ${parser.column})`, {
      cause: error,
    });
  let stream;
  try {
    stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    for await (const chunk of stream) {
      parser.write(chunk as string);
      if (failure) break;
    }
    if (!failure) parser.close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(source, 'no such file; expected the JUnit XML the command writes', { cause: error });
    if (code) throw new InputError(source, `cannot read (${code})`, { cause: error });
    failure ??= error as Error;
  } finally {
    stream?.destroy();
  }
  if (failure) throw describe(failure);
  if (!sawRoot) throw new InputError(source, 'not JUnit XML: no root element (empty file?)');
  return count;
}

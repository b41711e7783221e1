// Reading JUnit XML by streaming (saxes): one test case at a time, so that 100k test cases and
// 50 MB files stay within a small, flat amount of memory. Any runner that writes JUnit XML
// (pytest --junitxml, gotestsum, cargo nextest, Playwright, bats) can be read this way.
// Imported only where a report is read, after the run: loading this module and saxes took about
// 2 ms of a start in one --cpu-prof run (50 µs interval), which no command should wait for.
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
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
  /** Absent when the `time` attribute is missing or unreadable (abc, -5, 1e400, empty). */
  durationMs?: number;
  message?: string;
  /** The enclosing testsuite's name and `timestamp` attribute (epoch ms), when given. */
  suite: string | undefined;
  suiteTimestampMs: number | undefined;
}

const MESSAGE_LIMIT = 500;
/**
 * Attribute values (names, class names, files) beyond this many characters are cut: no test name is
 * that long, and a 150 MB one would be copied into every run of the document until no string can
 * hold it.
 */
export const ATTRIBUTE_LIMIT = 8192;

/** What a read found besides the test cases: one line each, for the document's warnings. */
export interface JunitRead {
  count: number;
  warnings: string[];
}

/** The seconds of a `time` attribute in milliseconds, or undefined when it is not a finite number ≥ 0. */
function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * The encoding of an XML file, from its first bytes: a byte-order mark, else the XML declaration's
 * encoding="...", else UTF-8 (the XML default). Returns the decoder and how many bytes of mark to skip.
 */
function sniffEncoding(head: Uint8Array, source: string): { decoder: TextDecoder; skip: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { decoder: new TextDecoder('utf-8'), skip: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { decoder: new TextDecoder('utf-16le'), skip: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { decoder: new TextDecoder('utf-16be'), skip: 2 };
  // The declaration itself is ASCII in every encoding a declaration can name without a mark.
  const declaration = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(Buffer.from(head.subarray(0, 200)).toString('latin1'));
  const label = declaration?.[1] ?? 'utf-8';
  try {
    return { decoder: new TextDecoder(label), skip: 0 };
  } catch {
    throw new InputError(source, `not JUnit XML that can be read: its declaration names the encoding "${label}", which is not one testpace knows`, {
      hint: 'write the report as UTF-8',
    });
  }
}

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
export async function readJunit(file: string, onCase: (testCase: JunitCase) => void, source = file): Promise<JunitRead> {
  const parser = new SaxesParser({ position: true });
  const suites: Array<{ name?: string; file?: string; timestamp?: number }> = [];
  let current: (Omit<JunitCase, 'outcome' | 'message'> & { outcome: TestOutcome; message?: string }) | undefined;
  let capture: 'message' | undefined;
  let captured = '';
  let count = 0;
  let sawRoot = false;
  let failure: Error | undefined;
  const unreadableTimes: Array<{ id: string; time: string }> = [];
  let truncated = 0;
  let firstTruncated: string | undefined;

  /** An attribute's value, cut to ATTRIBUTE_LIMIT characters (and counted) when longer. */
  const value = (attributes: Record<string, string>, name: string, tag: string): string | undefined => {
    const text = attributes[name];
    if (text === undefined || text.length <= ATTRIBUTE_LIMIT) return text;
    truncated++;
    firstTruncated ??= `${tag} ${name}, ${text.length} characters, at line ${parser.line}`;
    return text.slice(0, ATTRIBUTE_LIMIT) + '…';
  };

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
          name: value(attributes, 'name', 'testsuite') ?? parent?.name,
          file: value(attributes, 'file', 'testsuite') ?? parent?.file,
          timestamp: parseTimestamp(attributes.timestamp) ?? parent?.timestamp,
        });
        break;
      }
      case 'testcase': {
        const suite = suites[suites.length - 1];
        const classname = value(attributes, 'classname', 'testcase') || undefined;
        const name = value(attributes, 'name', 'testcase') ?? '(unnamed)';
        const id = classname ? `${classname}::${name}` : name;
        const durationMs = parseSeconds(attributes.time);
        current = {
          file: value(attributes, 'file', 'testcase') || suite?.file || classname || suite?.name || '(unknown)',
          name,
          id,
          classname,
          outcome: 'passed',
          suite: suite?.name,
          suiteTimestampMs: suite?.timestamp,
        };
        // No time attribute is common for skipped tests and says nothing wrong; a time that is there
        // and unreadable is worth a warning. Either way the duration stays unknown.
        if (durationMs !== undefined) current.durationMs = durationMs;
        else if (attributes.time !== undefined) unreadableTimes.push({ id, time: attributes.time.slice(0, 40) });
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
          current.message = firstLine(attributes.message?.slice(0, 4 * MESSAGE_LIMIT));
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
    error instanceof RangeError
      ? // V8's longest string (about 512 MiB) is less than one value here: no reader could hold it.
        new InputError(source, `not JUnit XML that can be read: a value at line ${parser.line} is longer than the longest string Node can hold (${error.message})`, { cause: error })
      : new InputError(source, `not JUnit XML: ${error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '')} (line ${parser.line}, column ${parser.column})`, {
          cause: error,
        });
  let stream;
  try {
    stream = createReadStream(file, { highWaterMark: 1 << 20 });
    let decoder: TextDecoder | undefined;
    for await (const chunk of stream) {
      let bytes = chunk as Buffer;
      if (!decoder) {
        const sniffed = sniffEncoding(bytes, source);
        decoder = sniffed.decoder;
        bytes = bytes.subarray(sniffed.skip);
      }
      parser.write(decoder.decode(bytes, { stream: true }));
      if (failure) break;
    }
    if (!failure && decoder) parser.write(decoder.decode());
    if (!failure) parser.close();
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(source, 'no such file; expected the JUnit XML the command writes', { cause: error });
    if (code && !code.startsWith('ERR_')) throw new InputError(source, `cannot read (${code})`, { cause: error });
    failure ??= error as Error;
  } finally {
    stream?.destroy();
  }
  if (failure) throw describe(failure);
  if (!sawRoot) throw new InputError(source, 'not JUnit XML: no root element (empty file?)');
  const warnings: string[] = [];
  if (unreadableTimes.length) {
    const first = unreadableTimes[0]!;
    warnings.push(
      `${source}: ${unreadableTimes.length} test case${unreadableTimes.length === 1 ? ' has' : 's have'} no readable time (first: ${first.id}, ` +
        `time=${JSON.stringify(first.time)}); ${unreadableTimes.length === 1 ? 'its duration is' : 'their durations are'} unknown, not 0`,
    );
  }
  if (truncated) warnings.push(`${source}: ${truncated} attribute value${truncated === 1 ? '' : 's'} longer than ${ATTRIBUTE_LIMIT} characters cut to that length (first: ${firstTruncated})`);
  return { count, warnings };
}

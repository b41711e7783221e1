// Reading testpace documents from files or stdin, and validating any document against its schema.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InputError } from './errors.ts';
import type { Io } from './io.ts';
import * as generatedValidators from './generated/validators.js';
import { type DocumentKind, SCHEMA_VERSION, documentKinds } from './schemas.ts';
import { MAX_DOCUMENT_BYTES, decodeDocument, tooBig } from './text-input.ts';

export type { DocumentKind } from './schemas.ts';

/** Any testpace document, before its kind is known. */
export interface AnyDocument {
  kind: DocumentKind;
  schemaVersion: number;
  [key: string]: unknown;
}

// Precompiled from schemas/ (scripts/generate.mjs): no schema is compiled at run time.
const validators: Record<DocumentKind, ValidateFunction> = generatedValidators;

function describe(error: ErrorObject): { jsonPath: string; what: string } {
  const jsonPath = '$' + error.instancePath.replace(/\/([^/]+)/g, (_, key: string) => (/^\d+$/.test(key) ? `[${key}]` : `.${key}`));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { jsonPath, what: `missing required property "${String(params.missingProperty)}"` };
    case 'additionalProperties':
      return { jsonPath, what: `unexpected property "${String(params.additionalProperty)}"` };
    case 'unevaluatedProperties':
      return { jsonPath, what: `unexpected property "${String(params.unevaluatedProperty)}"` };
    case 'enum':
      return { jsonPath, what: `expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { jsonPath, what: `expected ${JSON.stringify(params.allowedValue)}` };
    default:
      return { jsonPath, what: `expected ${error.message ?? 'a valid value'}` };
  }
}

/**
 * Checks a parsed value against the schema of its kind and returns it typed.
 * Throws an InputError naming the source, the JSON path and what was expected.
 */
export function validateDocument<T = AnyDocument>(value: unknown, source: string, expected?: readonly DocumentKind[]): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(source, 'expected a testpace document (a JSON object with "kind" and "schemaVersion")');
  }
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  if (typeof kind !== 'string' || !(documentKinds as readonly string[]).includes(kind)) {
    throw new InputError(source, `expected "kind" to be one of ${documentKinds.join(', ')}, received ${JSON.stringify(kind)}`, {
      jsonPath: '$.kind',
    });
  }
  if (record.schemaVersion !== SCHEMA_VERSION) {
    throw new InputError(source, `expected schemaVersion ${SCHEMA_VERSION}, received ${JSON.stringify(record.schemaVersion)}`, {
      jsonPath: '$.schemaVersion',
      hint: 'this document was written by another version of testpace',
    });
  }
  if (expected && !expected.includes(kind as DocumentKind)) {
    throw new InputError(source, `expected a ${expected.join(' or ')} document, received a ${kind} document`, { jsonPath: '$.kind' });
  }
  const validate = validators[kind as DocumentKind];
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const { jsonPath, what } = first ? describe(first) : { jsonPath: '$', what: 'invalid document' };
    throw new InputError(source, `not a valid ${kind} document: ${what}`, { jsonPath });
  }
  return value as T;
}

/** Parses JSON text, with the line and column of a syntax error. */
export function parseJson(text: string, source: string): unknown {
  if (text.trim() === '') {
    throw new InputError(source, 'empty input; expected a testpace JSON document', {
      hint: source === 'stdin' ? 'pipe a document in, or name a file' : undefined,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    let where = '';
    if (position) {
      const offset = Number(position[1]);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      where = ` at line ${line} column ${offset - before.lastIndexOf('\n')}`;
    }
    throw new InputError(source, `not JSON${where}: ${message.replace(/ in JSON at position \d+.*$/, '')}`, { cause: error });
  }
}

/** Reads a stream's bytes, stopping with an InputError once they pass `limit`. */
async function readStream(stream: Readable, source: string, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > limit) {
      stream.destroy();
      throw tooBig(source, limit, limit, true);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads the text of a file, or of stdin for '-': at most `limit` bytes (a larger input is an
 * InputError giving its size and the limit), UTF-8 checked (see decodeDocument).
 */
export async function readSource(source: string, io: Io, limit = MAX_DOCUMENT_BYTES): Promise<{ text: string; name: string }> {
  if (source === '-') {
    if (io.stdin.isTTY) {
      throw new InputError('stdin', 'no document given; expected a file name or a document piped to stdin');
    }
    const bytes = await readStream(io.stdin, 'stdin', limit).catch((error: unknown) => {
      if (error instanceof InputError) throw error;
      throw new InputError('stdin', `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
    });
    return { text: decodeDocument(bytes, 'stdin'), name: 'stdin' };
  }
  const file = path.resolve(io.cwd, source);
  try {
    const { size } = await stat(file);
    if (size > limit) throw tooBig(source, size, limit);
    // A FIFO or device has no size to check: its bytes are counted as they come.
    return { text: decodeDocument(size > 0 ? await readFile(file) : await readStream(createReadStream(file), source, limit), source), name: source };
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a JSON file' : `cannot read (${code ?? (error as Error).message})`;
    throw new InputError(source, what, { cause: error });
  }
}

/** Reads, parses and validates one document from a file or stdin ('-'). */
export async function readDocument<T = AnyDocument>(source: string, io: Io, expected?: readonly DocumentKind[]): Promise<T> {
  const { text, name } = await readSource(source, io);
  return validateDocument<T>(parseJson(text, name), name, expected);
}

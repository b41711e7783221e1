// Checked access to a harness's JSON: a value of the wrong shape names the file, the JSON path and
// what was expected, in one line (exit 2), instead of an undefined deep in the conversion.
import { InputError } from '../../../lib/errors.ts';

export type Json = Record<string, unknown>;

export interface Reader {
  object(value: unknown, path: string): Json;
  array(value: unknown, path: string): unknown[];
  number(value: unknown, path: string): number;
  optionalNumber(value: unknown, path: string): number | null;
  string(value: unknown, path: string): string;
  numbers(value: unknown, path: string): number[];
}

/** A reader of `what` (e.g. "pytest-benchmark JSON") from `source`. */
export function reader(source: string, what: string): Reader {
  const fail = (path: string, expected: string, value: unknown): never => {
    const received = value === undefined ? 'nothing' : Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
    throw new InputError(source, `expected ${expected} in ${what}, received ${received}`, { jsonPath: path });
  };
  const self: Reader = {
    object: (value, path) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : fail(path, 'an object', value)),
    array: (value, path) => (Array.isArray(value) ? value : fail(path, 'an array', value)),
    number: (value, path) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fail(path, 'a number ≥ 0', value)),
    optionalNumber: (value, path) => (value === undefined || value === null ? null : self.number(value, path)),
    string: (value, path) => (typeof value === 'string' ? value : fail(path, 'a string', value)),
    numbers: (value, path) => self.array(value, path).map((item, i) => self.number(item, `${path}[${i}]`)),
  };
  return self;
}

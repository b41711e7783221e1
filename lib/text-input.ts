// Turning the bytes of an input into text: the size limit, byte-order marks, and UTF-8 that is
// checked rather than patched with U+FFFD.
import { InputError } from './errors.ts';

/**
 * The largest JSON document a tool reads. Parsing holds the text and the parsed value at once, and
 * V8 cannot make a string of more than about 512 MiB; 256 MiB stays well inside both.
 */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/** Sizes as people read them: 1.0 GiB, 256 MiB, 12 KiB, 300 bytes. */
export function formatSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 && value % 1 !== 0 ? 1 : 0)} ${units[unit]}`;
}

/** The InputError for an input over `limit` bytes; `bytes` is its size, or a lower bound when `atLeast`. */
export function tooBig(source: string, bytes: number, limit: number, atLeast = false): InputError {
  return new InputError(source, `${atLeast ? 'more than ' : ''}${formatSize(bytes)}, over the limit of ${formatSize(limit)} for a document`, {
    hint: 'a document this large is not one a testpace tool wrote; check that the right file was named',
  });
}

/**
 * The offset of the first byte that does not belong to well-formed UTF-8 (overlong forms, surrogates
 * and code points past U+10FFFF included), or -1 when all of it is.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0; // overlong
      if (lead === 0xed) high = 0x9f; // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90; // overlong
      if (lead === 0xf4) high = 0x8f; // past U+10FFFF
    } else return i;
    for (let k = 1; k < length; k++) {
      const byte = bytes[i + k];
      if (byte === undefined || byte < (k === 1 ? low : 0x80) || byte > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return -1;
}

/**
 * The text of a JSON document: UTF-8, with a byte-order mark accepted and dropped (some Windows
 * tools write one); UTF-16 with its mark decoded; anything that is not UTF-8 refused with the byte
 * offset where it stops being so, since a silent U+FFFD would change test names.
 */
export function decodeDocument(bytes: Uint8Array, source: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const offset = invalidUtf8Offset(body) + (body === bytes ? 0 : 3);
    const byte = bytes[offset]!;
    throw new InputError(source, `not UTF-8: byte ${offset} (0x${byte.toString(16).padStart(2, '0')}) does not begin or continue a UTF-8 character`, {
      hint: 'documents are UTF-8 JSON; was the file re-encoded or truncated?',
    });
  }
}

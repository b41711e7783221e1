// A checksum around each of select's cache files (issue 17, item 8): a flipped byte in a cache can
// otherwise parse as valid JSON or valid arrays and change the answer (a garbled name in a chain,
// an edge to the wrong file). A file whose checksum does not match is treated as absent, so the
// run builds what it needs from scratch and writes a sound file. CRC-32 detects every change of up
// to four consecutive bytes, which covers the damage seen (single flipped bytes); it guards against
// corruption, not against someone forging a cache.
import { crc32 } from 'node:zlib';

const TRAILER = Buffer.from('TPCK', 'latin1');
const TRAILER_LENGTH = TRAILER.length + 4;

/** `data` followed by a marker and the CRC-32 of `data`, to write as a cache file. */
export function sealed(data: string | Uint8Array): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const trailer = Buffer.alloc(TRAILER_LENGTH);
  TRAILER.copy(trailer, 0);
  trailer.writeUInt32LE(crc32(body), TRAILER.length);
  return Buffer.concat([body, trailer]);
}

/** The data of a sealed cache file; null when the marker is missing or the checksum does not match. */
export function unsealed(file: Buffer): Buffer | null {
  if (file.length < TRAILER_LENGTH) return null;
  const end = file.length - TRAILER_LENGTH;
  if (!file.subarray(end, end + TRAILER.length).equals(TRAILER)) return null;
  const body = file.subarray(0, end);
  return crc32(body) === file.readUInt32LE(end + TRAILER.length) ? body : null;
}

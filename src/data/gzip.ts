import { gunzipSync } from 'fflate';
import { crc32 } from './crc32.js';
import { DataFormatError } from './data-format-error.js';

/** True when `bytes` starts with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses a single-member gzip file and checks its trailer (CRC-32 and length), so a
 * truncated or bit-flipped download is caught here rather than as odd pixels later.
 */
export function gunzip(bytes: Uint8Array, source: string): Uint8Array {
  if (bytes.length < 18) {
    throw new DataFormatError(source, `gzip file is truncated (${bytes.length} bytes)`);
  }
  let out: Uint8Array;
  try {
    out = gunzipSync(bytes);
  } catch (e) {
    throw new DataFormatError(source, `corrupt gzip data (${(e as Error).message})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expectedCrc = view.getUint32(bytes.length - 8, true);
  const expectedSize = view.getUint32(bytes.length - 4, true);
  if (out.length >>> 0 !== expectedSize) {
    throw new DataFormatError(
      source,
      `corrupt gzip data: decompressed ${out.length} bytes but the trailer says ${expectedSize}`,
    );
  }
  if (crc32(out) !== expectedCrc) {
    throw new DataFormatError(source, 'corrupt gzip data: CRC-32 check failed');
  }
  return out;
}

import { Gunzip } from 'fflate';
import { crc32 } from './crc32.js';
import { DataFormatError } from './data-format-error.js';

/** True when `bytes` starts with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Input fed to the inflater at a time: bounds the output of one step (deflate expands at most ~1032x). */
const STEP = 4096;

/**
 * Inflates gzip data (one member or several, concatenated) as a stream, handing each piece of
 * output to `onData`, which may throw to stop (a size cap: the output is never held whole
 * here). A single-member file's trailer is checked (CRC-32 and length), so a truncated or
 * bit-flipped file is caught here rather than as odd pixels later; multi-member files rely on
 * the caller's checksum.
 */
export function inflateGzip(
  bytes: Uint8Array,
  source: string,
  onData: (chunk: Uint8Array) => void,
): void {
  if (bytes.length < 18) {
    throw new DataFormatError(source, `gzip file is truncated (${bytes.length} bytes)`);
  }
  let total = 0;
  let crc = 0;
  let single = true;
  let ended = false;
  const g = new Gunzip((chunk, final) => {
    total += chunk.length;
    if (single && chunk.length > 0) crc = crc32(chunk, crc);
    if (final) ended = true;
    onData(chunk);
  });
  g.onmember = () => {
    single = false;
  };
  try {
    for (let i = 0; i < bytes.length; i += STEP) {
      const end = Math.min(bytes.length, i + STEP);
      g.push(bytes.subarray(i, end), end === bytes.length);
    }
  } catch (e) {
    if (e instanceof DataFormatError) throw e;
    throw new DataFormatError(source, `corrupt gzip data (${(e as Error).message})`);
  }
  if (!ended) throw new DataFormatError(source, 'corrupt gzip data (unexpected end of file)');
  if (single) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const expectedCrc = view.getUint32(bytes.length - 8, true);
    const expectedSize = view.getUint32(bytes.length - 4, true);
    if (total >>> 0 !== expectedSize) {
      throw new DataFormatError(
        source,
        `corrupt gzip data: decompressed ${total} bytes but the trailer says ${expectedSize}`,
      );
    }
    if (crc !== expectedCrc) {
      throw new DataFormatError(source, 'corrupt gzip data: CRC-32 check failed');
    }
  }
}

/**
 * Decompresses gzip data into one array, refusing to produce more than `maxBytes` (checked as
 * the output grows, never trusting the trailer's size).
 */
export function gunzip(bytes: Uint8Array, source: string, maxBytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  inflateGzip(bytes, source, (chunk) => {
    total += chunk.length;
    if (total > maxBytes) {
      throw new DataFormatError(source, `gzip data inflates to more than ${maxBytes} bytes`);
    }
    parts.push(chunk);
  });
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

import { DataFormatError } from './data-format-error.js';
import { gunzip, isGzip } from './gzip.js';

/** A decoded IDX file: unsigned bytes plus their shape. */
export interface IdxArray {
  data: Uint8Array;
  shape: number[];
}

/** IDX magic numbers: 0x0000 | type 0x08 (unsigned byte) | number of dimensions. */
export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

/**
 * Parses an IDX file of unsigned bytes (the MNIST format: a big-endian magic number, one
 * big-endian uint32 per dimension, then the data), gzipped or plain. `source` names the file
 * in errors. With `expectDims`, the number of dimensions must match (3 for images, 1 for labels).
 */
export function parseIdx(bytes: Uint8Array, source: string, expectDims?: number): IdxArray {
  const raw = isGzip(bytes) ? gunzip(bytes, source) : bytes;
  if (raw.length < 4) {
    throw new DataFormatError(source, `too short to be an IDX file (${raw.length} bytes)`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0, false);
  const type = (magic >>> 8) & 0xff;
  const dims = magic & 0xff;
  if (magic >>> 16 !== 0 || dims === 0) {
    throw new DataFormatError(
      source,
      `not an IDX file (magic number 0x${hex(magic)}; expected 0x${hex(IDX_IMAGES_MAGIC)} for images or 0x${hex(IDX_LABELS_MAGIC)} for labels)`,
    );
  }
  if (type !== 0x08) {
    throw new DataFormatError(
      source,
      `IDX element type 0x${type.toString(16)} is not supported (only unsigned bytes, 0x08)`,
    );
  }
  if (expectDims !== undefined && dims !== expectDims) {
    const want = expectDims === 3 ? IDX_IMAGES_MAGIC : expectDims === 1 ? IDX_LABELS_MAGIC : 0;
    throw new DataFormatError(
      source,
      `wrong magic number 0x${hex(magic)}: expected 0x${hex(want)} (${expectDims} dimension${expectDims === 1 ? '' : 's'})`,
    );
  }
  const headerBytes = 4 + 4 * dims;
  if (raw.length < headerBytes) {
    throw new DataFormatError(
      source,
      `truncated IDX header (${raw.length} of ${headerBytes} bytes)`,
    );
  }
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < dims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    shape.push(size);
    count *= size;
  }
  const expected = headerBytes + count;
  if (raw.length < expected) {
    throw new DataFormatError(
      source,
      `truncated: ${raw.length} bytes, but its header (shape ${shape.join(' x ')}) needs ${expected}`,
    );
  }
  if (raw.length > expected) {
    throw new DataFormatError(
      source,
      `${raw.length - expected} unexpected trailing bytes after ${shape.join(' x ')} values`,
    );
  }
  return { data: raw.subarray(headerBytes, expected), shape };
}

/** Encodes unsigned bytes as an IDX file (used by tests and by tools that write datasets). */
export function encodeIdx(data: Uint8Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new RangeError(`shape ${shape.join('x')} holds ${count} values, got ${data.length}`);
  }
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0800 | shape.length, false);
  shape.forEach((s, d) => view.setUint32(4 + 4 * d, s, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

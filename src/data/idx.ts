import { DataFormatError } from './data-format-error.js';
import { inflateGzip, isGzip } from './gzip.js';

/** A decoded IDX file: unsigned bytes plus their shape. */
export interface IdxArray {
  data: Uint8Array;
  shape: number[];
}

/** IDX magic numbers: 0x0000 | type 0x08 (unsigned byte) | number of dimensions. */
export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

/**
 * Most bytes (header included) an IDX file may declare unless the caller knows better: its
 * header is checked against this before anything is allocated.
 */
export const MAX_IDX_BYTES = 256 * 2 ** 20;
/** Trailing bytes counted (for the message) before giving up on a file. */
const MAX_TRAILING = 1 << 20;

/**
 * Decodes an IDX file of unsigned bytes fed in pieces (plain bytes, or an inflating stream):
 * the header is checked first (magic, type, dimensions, and the size it declares against
 * `maxBytes`), then exactly the declared size is allocated; more data than declared stops the
 * stream at once, so a hostile file costs at most `maxBytes` of memory.
 */
export class IdxDecoder {
  private head = new Uint8Array(4 + 4 * 255);
  private headLen = 0;
  private headerBytes = 0;
  private shape: number[] = [];
  private raw: Uint8Array | null = null;
  private filled = 0;
  private trailing = 0;

  constructor(
    readonly source: string,
    readonly expectDims?: number,
    readonly maxBytes: number = MAX_IDX_BYTES,
  ) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    while (!this.raw && i < chunk.length) {
      const want = this.headerBytes || 4;
      const take = Math.min(want - this.headLen, chunk.length - i);
      this.head.set(chunk.subarray(i, i + take), this.headLen);
      this.headLen += take;
      i += take;
      if (this.headLen === 4 && this.headerBytes === 0) this.readMagic();
      if (this.headerBytes > 0 && this.headLen === this.headerBytes) this.readShape();
    }
    if (!this.raw || i >= chunk.length) return;
    const room = this.raw.length - this.filled;
    const take = Math.min(room, chunk.length - i);
    this.raw.set(chunk.subarray(i, i + take), this.filled);
    this.filled += take;
    this.trailing += chunk.length - i - take;
    if (this.trailing > MAX_TRAILING) {
      throw new DataFormatError(
        this.source,
        `more data than its header (shape ${this.shape.join(' x ')}) declares: over ${MAX_TRAILING} unexpected trailing bytes`,
      );
    }
  }

  /** The decoded array; `raw` is the whole file (header and data) for checksums. */
  finish(): IdxArray & { raw: Uint8Array } {
    if (this.headerBytes === 0) {
      throw new DataFormatError(this.source, `too short to be an IDX file (${this.headLen} bytes)`);
    }
    if (!this.raw) {
      throw new DataFormatError(
        this.source,
        `truncated IDX header (${this.headLen} of ${this.headerBytes} bytes)`,
      );
    }
    const expected = this.raw.length;
    if (this.filled < expected) {
      throw new DataFormatError(
        this.source,
        `truncated: ${this.filled} bytes, but its header (shape ${this.shape.join(' x ')}) needs ${expected}`,
      );
    }
    if (this.trailing > 0) {
      throw new DataFormatError(
        this.source,
        `${this.trailing} unexpected trailing bytes after ${this.shape.join(' x ')} values`,
      );
    }
    return { data: this.raw.subarray(this.headerBytes), shape: this.shape, raw: this.raw };
  }

  private readMagic(): void {
    const magic = new DataView(this.head.buffer).getUint32(0, false);
    const type = (magic >>> 8) & 0xff;
    const dims = magic & 0xff;
    if (magic >>> 16 !== 0 || dims === 0) {
      throw new DataFormatError(
        this.source,
        `not an IDX file (magic number 0x${hex(magic)}; expected 0x${hex(IDX_IMAGES_MAGIC)} for images or 0x${hex(IDX_LABELS_MAGIC)} for labels)`,
      );
    }
    if (type !== 0x08) {
      throw new DataFormatError(
        this.source,
        `IDX element type 0x${type.toString(16)} is not supported (only unsigned bytes, 0x08)`,
      );
    }
    const expectDims = this.expectDims;
    if (expectDims !== undefined && dims !== expectDims) {
      const want = expectDims === 3 ? IDX_IMAGES_MAGIC : expectDims === 1 ? IDX_LABELS_MAGIC : 0;
      throw new DataFormatError(
        this.source,
        `wrong magic number 0x${hex(magic)}: expected 0x${hex(want)} (${expectDims} dimension${expectDims === 1 ? '' : 's'})`,
      );
    }
    this.headerBytes = 4 + 4 * dims;
  }

  private readShape(): void {
    const view = new DataView(this.head.buffer);
    const dims = (this.headerBytes - 4) / 4;
    let count = 1;
    for (let d = 0; d < dims; d++) {
      const size = view.getUint32(4 + 4 * d, false);
      this.shape.push(size);
      count *= size;
    }
    const expected = this.headerBytes + count;
    // Checked before allocating: the header is the file's claim, not a fact.
    if (expected > this.maxBytes) {
      throw new DataFormatError(
        this.source,
        `its header declares shape ${this.shape.join(' x ')} (${expected} bytes), more than the ${this.maxBytes} bytes this file may hold`,
      );
    }
    this.raw = new Uint8Array(expected);
    this.raw.set(this.head.subarray(0, this.headerBytes));
    this.filled = this.headerBytes;
  }
}

/**
 * Parses an IDX file of unsigned bytes (the MNIST format: a big-endian magic number, one
 * big-endian uint32 per dimension, then the data), gzipped (one member or several) or plain.
 * `source` names the file in errors. With `expectDims`, the number of dimensions must match (3
 * for images, 1 for labels); `maxBytes` caps the size the header may declare, and so the
 * memory a file can take, however it is compressed.
 */
export function parseIdx(
  bytes: Uint8Array,
  source: string,
  expectDims?: number,
  maxBytes: number = MAX_IDX_BYTES,
): IdxArray {
  const decoder = new IdxDecoder(source, expectDims, maxBytes);
  if (isGzip(bytes)) inflateGzip(bytes, source, (chunk) => decoder.push(chunk));
  else decoder.push(bytes);
  const { data, shape } = decoder.finish();
  return { data, shape };
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

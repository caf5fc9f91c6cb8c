import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'fflate';
import { DataFormatError } from './data-format-error.js';
import { encodeIdx, parseIdx } from './idx.js';

const images = encodeIdx(
  Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i),
  [2, 3, 4],
);
const labels = encodeIdx(Uint8Array.from([7, 2]), [2]);

test('parses image and label files, plain and gzipped', () => {
  const a = parseIdx(images, 'img', 3);
  assert.deepEqual(a.shape, [2, 3, 4]);
  assert.equal(a.data.length, 24);
  assert.equal(a.data[23], 23);
  const b = parseIdx(gzipSync(labels), 'lbl.gz', 1);
  assert.deepEqual(b.shape, [2]);
  assert.deepEqual([...b.data], [7, 2]);
});

test('header magic numbers are the standard ones', () => {
  assert.deepEqual([...images.subarray(0, 4)], [0, 0, 8, 3]);
  assert.deepEqual([...labels.subarray(0, 4)], [0, 0, 8, 1]);
});

function rejects(bytes: Uint8Array, pattern: RegExp, dims?: number): void {
  assert.throws(
    () => parseIdx(bytes, 'some/file', dims),
    (e: unknown) =>
      e instanceof DataFormatError &&
      e.message.startsWith('some/file: ') &&
      pattern.test(e.message),
  );
}

test('rejects truncated data, naming the file', () => {
  rejects(
    images.subarray(0, images.length - 1),
    /truncated: 39 bytes, but its header \(shape 2 x 3 x 4\) needs 40/,
  );
  rejects(images.subarray(0, 10), /truncated IDX header/);
  rejects(images.subarray(0, 2), /too short/);
});

test('rejects trailing bytes, a wrong magic number and the wrong kind of file', () => {
  const longer = new Uint8Array(images.length + 3);
  longer.set(images);
  rejects(longer, /3 unexpected trailing bytes/);
  const bad = images.slice();
  bad[0] = 0x12;
  rejects(bad, /not an IDX file \(magic number 0x12000803/);
  rejects(labels, /wrong magic number 0x00000801: expected 0x00000803/, 3);
  const floats = images.slice();
  floats[2] = 0x0d;
  rejects(floats, /element type 0xd is not supported/);
});

test('rejects corrupt and truncated gzip', () => {
  const gz = gzipSync(images);
  rejects(gz.subarray(0, gz.length - 6), /corrupt gzip|truncated/);
  const flipped = gz.slice();
  flipped[gz.length - 8] ^= 0xff; // CRC byte
  rejects(flipped, /CRC-32 check failed/);
  const garbage = gz.slice();
  for (let i = 10; i < garbage.length - 8; i++) garbage[i] = 0xff;
  rejects(garbage, /corrupt gzip/);
});

test('multi-member gzip is one file: the members inflate back to back', () => {
  const cut = 9;
  const two = new Uint8Array([
    ...gzipSync(images.subarray(0, cut)),
    ...gzipSync(images.subarray(cut)),
  ]);
  const a = parseIdx(two, 'two.gz', 3);
  assert.deepEqual(a.shape, [2, 3, 4]);
  assert.deepEqual([...a.data], [...images.subarray(16)]);
});

test('a header is checked against the cap before anything is allocated', () => {
  const huge = encodeIdx(new Uint8Array(0), [0, 0, 0]);
  new DataView(huge.buffer).setUint32(4, 0xffffffff);
  new DataView(huge.buffer).setUint32(8, 0xffffffff);
  new DataView(huge.buffer).setUint32(12, 0xffffffff);
  assert.throws(
    () => parseIdx(huge, 'h', 3),
    /its header declares shape 4294967295 x 4294967295 x 4294967295/,
  );
  assert.throws(() => parseIdx(images, 'small-cap', 3, 39), /\(40 bytes\), more than the 39 bytes/);
  // A gzip that inflates past the declared size stops with the file named.
  const longer = gzipSync(new Uint8Array([...images, ...new Uint8Array(2 << 20)]));
  assert.throws(
    () => parseIdx(longer, 'bomb.gz', 3),
    /bomb\.gz: more data than its header .* declares/,
  );
});

test('fuzzed headers: every mutation parses or is a DataFormatError naming the file', () => {
  let s = 12345;
  const next = (n: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % n;
  };
  const base = encodeIdx(new Uint8Array(6 * 5 * 4), [6, 5, 4]);
  for (let i = 0; i < 3000; i++) {
    const bytes = base.slice(0, 16 + next(base.length - 15));
    for (let k = 1 + next(4); k > 0; k--) bytes[next(16)] = next(4) === 0 ? 0xff : next(256);
    const input = next(3) === 0 ? gzipSync(bytes) : bytes;
    try {
      const r = parseIdx(input, 'fuzz', next(2) === 0 ? 3 : undefined, 1 << 16);
      assert.equal(
        r.data.length,
        r.shape.reduce((a, b) => a * b, 1),
      );
    } catch (e) {
      assert.ok(e instanceof DataFormatError, String(e));
      assert.ok(e.message.startsWith('fuzz: '), e.message);
    }
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAllClose, assertSameValues } from '../../../test/helpers/numeric.js';
import { argmax, reduce } from './reduce.js';

// x[o, j, i] = 100 o + 10 j + i, shape [2, 3, 4].
const x = new Float64Array(24).map(
  (_, f) => 100 * Math.floor(f / 12) + 10 * (Math.floor(f / 4) % 3) + (f % 4),
);

test('reduce: sum and mean over the first, middle and last axis of [2, 3, 4]', () => {
  const out = new Float64Array(12);
  reduce('sum', x, 1, 2, 12, out); // first axis
  assertSameValues(
    out,
    Array.from({ length: 12 }, (_, f) => 100 + 2 * (10 * Math.floor(f / 4) + (f % 4))),
  );
  reduce('sum', x, 2, 3, 4, out.subarray(0, 8)); // middle axis: 3 * (100 o + i) + 30
  assertSameValues(
    out.subarray(0, 8),
    Array.from({ length: 8 }, (_, f) => 300 * Math.floor(f / 4) + 3 * (f % 4) + 30),
  );
  reduce('mean', x, 6, 4, 1, out.subarray(0, 6)); // last axis: 100 o + 10 j + 1.5
  assertSameValues(
    out.subarray(0, 6),
    Array.from({ length: 6 }, (_, r) => 100 * Math.floor(r / 3) + 10 * (r % 3) + 1.5),
  );
});

test('reduce: max, min and prod', () => {
  const out = new Float64Array(8);
  reduce('max', x, 2, 3, 4, out);
  assertSameValues(out, [20, 21, 22, 23, 120, 121, 122, 123]);
  reduce('min', x, 2, 3, 4, out);
  assertSameValues(out, [0, 1, 2, 3, 100, 101, 102, 103]);
  const small = new Float64Array([1, 2, 3, 4, 0.5, -1]);
  reduce('prod', small, 1, 3, 2, out.subarray(0, 2));
  assertAllClose(out.subarray(0, 2), [1 * 3 * 0.5, 2 * 4 * -1], { rel: 1e-15 });
});

test('reduce: max and min propagate NaN; an empty axis gives the identity', () => {
  const out = new Float64Array(2);
  reduce('max', new Float64Array([1, NaN, 3, 0]), 1, 2, 2, out);
  assertSameValues(out, [3, NaN]);
  reduce('min', new Float64Array([NaN, 5, -1, 0]), 1, 2, 2, out);
  assertSameValues(out, [NaN, 0]);
  const empty = new Float64Array(0);
  const one = new Float64Array(1);
  for (const [op, want] of [
    ['sum', 0],
    ['prod', 1],
    ['max', -Infinity],
    ['min', Infinity],
    ['mean', NaN],
  ] as const) {
    reduce(op, empty, 1, 0, 1, one);
    assertSameValues(one, [want], op);
  }
});

test('reduce: float32 output is the double sum rounded once', () => {
  const values = Array.from({ length: 1000 }, (_, i) => Math.fround(Math.sin(i) * 1e3));
  const out = new Float32Array(1);
  reduce('sum', new Float32Array(values), 1, 1000, 1, out);
  assert.equal(out[0], Math.fround(values.reduce((s, v) => s + v, 0)));
});

test('argmax: first index of the maximum, along any axis', () => {
  const out = new Int32Array(8);
  argmax(x, 2, 3, 4, out);
  assertSameValues(out, [2, 2, 2, 2, 2, 2, 2, 2]);
  const ties = new Float64Array([1, 3, 3, 0, 7, 7]);
  argmax(ties, 2, 3, 1, out.subarray(0, 2));
  assertSameValues(out.subarray(0, 2), [1, 1]);
});

test('argmax: NaN counts as maximal, the first NaN wins', () => {
  const out = new Int32Array(2);
  argmax(new Float64Array([1, NaN, 5, NaN, 2, -Infinity]), 2, 3, 1, out);
  assertSameValues(out, [1, 0]);
});

test('argmax: an empty axis is rejected', () => {
  assert.throws(() => argmax(new Float64Array(0), 2, 0, 1, new Int32Array(2)), /empty/);
});

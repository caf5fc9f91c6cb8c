// Golden values of the projective warp, checked by hand against TensorFlow's semantics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Tensor } from '../tensor/tensor.js';
import type { FillMode, Interpolation } from './index.js';
import * as ops from './index.js';

/** One 1-channel image of these rows, warped by one transform. */
function warp(
  rows: number[][],
  t: number[],
  fillMode: FillMode,
  interpolation: Interpolation = 'bilinear',
  fillValue = 0,
): number[][] {
  const h = rows.length;
  const w = rows[0]!.length;
  const x = new Tensor(Float32Array.from(rows.flat()), [1, h, w, 1]);
  const y = ops.affineTransform(x, t, { fillMode, interpolation, fillValue });
  return rows.map((_, r) => Array.from(y.values.slice(r * w, (r + 1) * w)));
}

const shift = (dx: number, dy = 0): number[] => [1, 0, -dx, 0, 1, -dy, 0, 0];

test('a one-pixel translation is a shift, its edge filled as each fill mode says', () => {
  const row = [[1, 2, 3, 4]];
  // Output column q reads input column q - 1; column -1 is mapped by the fill mode.
  assert.deepEqual(warp(row, shift(1), 'reflect'), [[1, 1, 2, 3]]); // dcba|abcd: -1 -> a
  assert.deepEqual(warp(row, shift(1), 'wrap'), [[4, 1, 2, 3]]); // abcd|abcd: -1 -> d
  assert.deepEqual(warp(row, shift(1), 'nearest'), [[1, 1, 2, 3]]);
  assert.deepEqual(warp(row, shift(1), 'constant', 'bilinear', 9), [[9, 1, 2, 3]]);
  assert.deepEqual(warp(row, shift(-1), 'reflect'), [[2, 3, 4, 4]]);
  assert.deepEqual(warp(row, shift(-1), 'wrap'), [[2, 3, 4, 1]]);
  // Two pixels: reflect reads b a | a b c.
  assert.deepEqual(warp(row, shift(2), 'reflect'), [[2, 1, 1, 2]]);
  for (const mode of ['reflect', 'constant'] as const) {
    assert.deepEqual(warp(row, shift(1), mode, 'nearest'), warp(row, shift(1), mode));
  }
  // Down by one row.
  assert.deepEqual(
    warp(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      shift(0, 1),
      'constant',
    ),
    [
      [0, 0],
      [1, 2],
      [3, 4],
    ],
  );
});

test('a half-pixel translation blends neighbours (bilinear) and rounds half away from zero (nearest)', () => {
  const row = [[1, 2, 3, 4]];
  assert.deepEqual(warp(row, shift(0.5), 'constant'), [[0.5, 1.5, 2.5, 3.5]]);
  // Column q reads q - 0.5: C's round(-0.5) = -1 (outside: fill), round(0.5) = 1, ...
  assert.deepEqual(warp(row, shift(0.5), 'constant', 'nearest'), [[0, 2, 3, 4]]);
});

test('a 90 degree rotation (Keras offsets) is numpy rot90: a transpose and a flip', () => {
  const img = [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ];
  const a = Math.PI / 2;
  const [c, s] = [Math.cos(a), Math.sin(a)];
  const t = [c, -s, (2 - (c * 2 - s * 2)) / 2, s, c, (2 - (s * 2 + c * 2)) / 2, 0, 0];
  const got = warp(img, t, 'constant');
  const rot90 = [
    [3, 6, 9],
    [2, 5, 8],
    [1, 4, 7],
  ];
  got.flat().forEach((v, i) => assert.ok(Math.abs(v - rot90.flat()[i]!) < 1e-5, `${got}`));
});

test('zoom factor 0 (the identity transform) returns the image exactly; zoom 2 samples about the centre', () => {
  const img = [
    [0.1, 0.2, 0.3],
    [0.4, 0.5, 0.6],
    [0.7, 0.8, 0.9],
  ];
  const x = new Tensor(Float32Array.from(img.flat()), [1, 3, 3, 1]);
  const y = ops.affineTransform(x, [1, 0, 0, 0, 1, 0, 0, 0]);
  assert.deepEqual(Array.from(y.values), Array.from(x.values));
  // Zoom out by 2 about the centre (1, 1): output (q, r) reads (2q - 1, 2r - 1), so only the
  // centre stays inside; 'nearest' clamps the rest back onto the image.
  const z = warp(img, [2, 0, -1, 0, 2, -1, 0, 0], 'constant');
  assert.deepEqual(
    z.flat().map((v) => Math.round(v * 10)),
    [0, 0, 0, 0, 5, 0, 0, 0, 0],
  );
  const n = warp(img, [2, 0, -1, 0, 2, -1, 0, 0], 'nearest');
  assert.deepEqual(
    n.flat().map((v) => Math.round(v * 10)),
    [1, 2, 3, 4, 5, 6, 7, 8, 9].map((v) => v),
  );
});

test('reflect, wrap and nearest far outside the image (several periods)', () => {
  const row = [[1, 2, 3]];
  // Column 0 reads -7: reflect (period 6) -> -1 -> 0, wrap -> 2, nearest -> 0.
  assert.deepEqual(warp(row, shift(7), 'reflect')[0]![0], 1);
  assert.deepEqual(warp(row, shift(7), 'nearest')[0]![0], 1);
  assert.deepEqual(warp(row, shift(9), 'reflect')[0]![0], 3); // -9 -> -3 -> 2
});

test('affineTransform checks its inputs and has no gradient', () => {
  const x = new Tensor(new Float32Array(4), [1, 2, 2, 1]);
  assert.throws(() => ops.affineTransform(x, [1, 0, 0]), /8 transform numbers/);
  assert.throws(
    () => ops.affineTransform(new Tensor(new Float32Array(4), [2, 2]), []),
    /\[n, h, w, c\]/,
  );
  x.requiresGrad = true;
  assert.throws(() => ops.affineTransform(x, shift(0)), /no gradient/);
});

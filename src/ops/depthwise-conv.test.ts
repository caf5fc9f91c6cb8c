import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradCheck, randomTensor as rt } from '../../test/helpers/gradcheck.js';
import { Tensor } from '../tensor/tensor.js';
import * as ops from './index.js';

test('depthwiseConv2d: hand-checked values, channel order ci * multiplier + m', () => {
  // x: 1 image 2x2, 2 channels; kernel 1x1 with multiplier 2: channel 0 -> (x1, x2), 1 -> (x3, x4).
  const x = new Tensor(Float32Array.of(1, 10, 2, 20, 3, 30, 4, 40), [1, 2, 2, 2]);
  const k = new Tensor(Float32Array.of(1, 2, 3, 4), [1, 1, 2, 2]);
  const y = ops.depthwiseConv2d(x, k);
  assert.deepEqual(y.shape, [1, 2, 2, 4]);
  assert.deepEqual([...y.values], [1, 2, 30, 40, 2, 4, 60, 80, 3, 6, 90, 120, 4, 8, 120, 160]);
  // 2x2 'valid' sum kernel over one channel: 1 + 2 + 3 + 4.
  const s = ops.depthwiseConv2d(
    new Tensor(Float32Array.of(1, 2, 3, 4), [1, 2, 2, 1]),
    new Tensor(Float32Array.of(1, 1, 1, 1), [2, 2, 1, 1]),
  );
  assert.deepEqual([...s.values], [10]);
});

test('depthwiseConv2d equals conv2d with a block-diagonal kernel', () => {
  const x = rt([2, 6, 5, 3], 31);
  const k = rt([3, 3, 3, 2], 32);
  const full = new Float64Array(3 * 3 * 3 * 6);
  for (let tap = 0; tap < 9; tap++)
    for (let c = 0; c < 3; c++)
      for (let m = 0; m < 2; m++)
        full[(tap * 3 + c) * 6 + c * 2 + m] = k.values[(tap * 3 + c) * 2 + m]!;
  for (const padding of ['valid', 'same'] as const) {
    const opts = { padding, strides: [2, 1] as [number, number] };
    const a = ops.depthwiseConv2d(x, k, opts);
    const b = ops.conv2d(x, new Tensor(full, [3, 3, 3, 6]), opts);
    assert.deepEqual(a.shape, b.shape);
    a.values.forEach((v, i) => assert.ok(Math.abs(v - b.values[i]!) < 1e-12, `${padding} [${i}]`));
  }
});

test('depthwiseConv2d gradients (float64 central differences)', () => {
  for (const padding of ['valid', 'same'] as const) {
    for (const [strides, dilation] of [
      [
        [1, 1],
        [1, 1],
      ],
      [
        [2, 2],
        [1, 1],
      ],
      [
        [1, 1],
        [2, 2],
      ],
    ] as [[number, number], [number, number]][]) {
      const tag = `${padding} strides ${strides} dilation ${dilation}`;
      gradCheck(
        `depthwiseConv2d ${tag}`,
        (x, w, b) => ops.depthwiseConv2d(x, w, { padding, strides, dilation, bias: b }),
        [rt([2, 6, 5, 3], 41), rt([3, 2, 3, 2], 42), rt([6], 43)],
      );
    }
  }
});

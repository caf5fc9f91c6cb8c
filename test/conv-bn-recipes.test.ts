// Conv2D 'same' padding with strides and BatchNormalization over channels, checked value by
// value against references written out here (TensorFlow's padding rule; Keras's BN formulas).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../src/kernels/index.js';
import { BatchNormalization, Conv2D } from '../src/layers/index.js';
import { Tensor } from '../src/tensor/tensor.js';
import { assertAllClose } from './helpers/numeric.js';
import { randomTensor } from './helpers/gradcheck.js';

/**
 * Direct convolution in doubles. 'same' (TensorFlow): out = ceil(in / s),
 * pad_total = max((out - 1) * s + k - in, 0), pad_top = floor(pad_total / 2), the rest at
 * the bottom; 'valid': out = floor((in - k) / s) + 1.
 */
function referenceConv(
  x: Tensor,
  k: Tensor,
  bias: Tensor,
  stride: [number, number],
  padding: 'same' | 'valid',
): { data: number[]; shape: number[] } {
  const [n, H, W, C] = x.shape as number[] as [number, number, number, number];
  const [KH, KW, , F] = k.shape as number[] as [number, number, number, number];
  const dim = (size: number, kk: number, s: number): [number, number] => {
    if (padding === 'valid') return [Math.floor((size - kk) / s) + 1, 0];
    const out = Math.ceil(size / s);
    return [out, Math.floor(Math.max((out - 1) * s + kk - size, 0) / 2)];
  };
  const [OH, top] = dim(H, KH, stride[0]);
  const [OW, left] = dim(W, KW, stride[1]);
  const out: number[] = [];
  for (let b = 0; b < n; b++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++)
        for (let f = 0; f < F; f++) {
          let s = bias.values[f]!;
          for (let u = 0; u < KH; u++)
            for (let v = 0; v < KW; v++) {
              const r = i * stride[0] + u - top;
              const c = j * stride[1] + v - left;
              if (r < 0 || r >= H || c < 0 || c >= W) continue;
              for (let ch = 0; ch < C; ch++) {
                s +=
                  x.values[((b * H + r) * W + c) * C + ch]! *
                  k.values[((u * KW + v) * C + ch) * F + f]!;
              }
            }
          out.push(s);
        }
  return { data: out, shape: [n, OH, OW, F] };
}

describe("Conv2D 'same' padding with strides", () => {
  const cases: [string, number[], [number, number], [number, number]][] = [
    ['3x3 stride 2 on 6x6 (padding only after)', [2, 6, 6, 3], [3, 3], [2, 2]],
    ['3x3 stride 2 on 5x7 (one pixel each side)', [2, 5, 7, 2], [3, 3], [2, 2]],
    ['4x4 stride 1 (one before, two after)', [1, 5, 5, 2], [4, 4], [1, 1]],
    ['2x3 strides 2x3', [1, 7, 8, 2], [2, 3], [2, 3]],
    ['5x5 stride 2 on 28x28 (an MNIST stem)', [1, 28, 28, 1], [5, 5], [2, 2]],
  ];
  for (const [name, inShape, kernelSize, strides] of cases) {
    it(name, () => {
      const x = randomTensor(inShape, 3);
      const layer = new Conv2D({
        filters: 4,
        kernelSize,
        strides,
        padding: 'same',
        dtype: 'float64',
      });
      const y = layer.apply(x) as Tensor;
      const [kernel, bias] = layer.trainableWeights();
      // A non-zero bias, so its placement is checked too.
      bias!.assign(Float64Array.from([0.1, -0.2, 0.3, -0.4]));
      const y2 = layer.apply(x) as Tensor;
      const want = referenceConv(x, kernel!, bias!, strides, 'same');
      assert.deepEqual(y.shape, want.shape);
      assertAllClose(y2.values, want.data, { rel: 1e-12, abs: 1e-12 }, name);
    });
  }

  it("'valid' with stride 2 drops the last row and column when they do not fit", () => {
    const x = randomTensor([1, 6, 6, 1], 5);
    const layer = new Conv2D({ filters: 2, kernelSize: 3, strides: 2, dtype: 'float64' });
    const y = layer.apply(x) as Tensor;
    const [kernel, bias] = layer.trainableWeights();
    const want = referenceConv(x, kernel!, bias!, [2, 2], 'valid');
    assert.deepEqual(y.shape, [1, 2, 2, 2]);
    assertAllClose(y.values, want.data, { rel: 1e-12, abs: 1e-12 }, 'valid');
  });
});

describe('BatchNormalization over channels (axis -1 on [N, H, W, C])', () => {
  it('normalises each channel over batch, height and width; moving statistics per channel', () => {
    const [n, h, w, c] = [3, 4, 2, 5];
    const x = randomTensor([n, h, w, c], 9, -2, 3);
    const bn = new BatchNormalization({ momentum: 0.9, epsilon: 1e-3, dtype: 'float64' });
    const y = bn.apply(x, { training: true }) as Tensor;
    assert.equal(bn.movingMean!.size, c);
    const count = n * h * w;
    const mean = new Array<number>(c).fill(0);
    const variance = new Array<number>(c).fill(0);
    for (let i = 0; i < count; i++)
      for (let k = 0; k < c; k++) mean[k]! += x.values[i * c + k]! / count;
    for (let i = 0; i < count; i++)
      for (let k = 0; k < c; k++) variance[k]! += (x.values[i * c + k]! - mean[k]!) ** 2 / count;
    const want = Array.from(
      x.values,
      (v, i) => (v - mean[i % c]!) / Math.sqrt(variance[i % c]! + 1e-3),
    );
    assertAllClose(y.values, want, { rel: 1e-10, abs: 1e-10 }, 'normalised');
    // Keras: moving = moving * momentum + batch * (1 - momentum), biased batch variance.
    assertAllClose(
      bn.movingMean!.values,
      mean.map((m) => 0.1 * m),
      { rel: 1e-10, abs: 1e-12 },
      'moving mean',
    );
    assertAllClose(
      bn.movingVariance!.values,
      variance.map((v) => 0.9 + 0.1 * v),
      { rel: 1e-10 },
      'moving variance',
    );
    // Inference: the moving statistics, per channel.
    const yi = bn.apply(x, { training: false }) as Tensor;
    const mm = bn.movingMean!.values;
    const mv = bn.movingVariance!.values;
    const wantI = Array.from(x.values, (v, i) => (v - mm[i % c]!) / Math.sqrt(mv[i % c]! + 1e-3));
    assertAllClose(yi.values, wantI, { rel: 1e-10, abs: 1e-10 }, 'inference');
  });
});

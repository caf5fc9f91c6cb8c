// Float64 central-difference checks of every differentiable op's gradient.
import { test } from 'node:test';
import { gradCheck, randomTensor as rt } from '../../test/helpers/gradcheck.js';
import { Tensor } from '../tensor/tensor.js';
import type { Padding } from './conv.js';
import { conv2dMaxPool } from './conv-pool.js';
import type { Pool2dOptions } from './pool.js';
import * as ops from './index.js';

const positive = (shape: number[], seed: number): Tensor => rt(shape, seed, 0.5, 2);

test('unary ops', () => {
  const x = rt([3, 4], 1, -2, 2);
  for (const [name, f] of Object.entries({
    neg: ops.neg,
    abs: ops.abs,
    square: ops.square,
    exp: ops.exp,
    relu: ops.relu,
    relu6: (t: Tensor) => ops.relu6(ops.scale(t, 4)),
    sigmoid: ops.sigmoid,
    tanh: ops.tanh,
    softplus: ops.softplus,
    leakyRelu: (t: Tensor) => ops.leakyRelu(t, 0.3),
    elu: (t: Tensor) => ops.elu(t, 1.5),
    clip: (t: Tensor) => ops.clip(t, -0.5, 0.7),
    scale: (t: Tensor) => ops.scale(t, -2.5),
    addScalar: (t: Tensor) => ops.addScalar(t, 3),
  })) {
    gradCheck(name, f, [x]);
  }
  const p = positive([3, 4], 2);
  for (const [name, f] of Object.entries({
    sqrt: ops.sqrt,
    rsqrt: ops.rsqrt,
    reciprocal: ops.reciprocal,
    log: ops.log,
    log1p: ops.log1p,
    powScalar: (t: Tensor) => ops.powScalar(t, 2.5),
  })) {
    gradCheck(name, f, [p]);
  }
});

test('binary ops with broadcasting', () => {
  const cases: [number[], number[]][] = [
    [
      [2, 3],
      [2, 3],
    ],
    [[2, 3], [3]],
    [
      [2, 3],
      [2, 1],
    ],
    [
      [2, 1, 3],
      [4, 1],
    ],
    [[2, 3], []],
  ];
  for (const [sa, sb] of cases) {
    const a = rt(sa, 3);
    const b = rt(sb, 4);
    const tag = `${JSON.stringify(sa)} ${JSON.stringify(sb)}`;
    gradCheck(`add ${tag}`, ops.add, [a, b]);
    gradCheck(`sub ${tag}`, ops.sub, [a, b]);
    gradCheck(`mul ${tag}`, ops.mul, [a, b]);
    gradCheck(`div ${tag}`, ops.div, [a, positive(sb, 5)]);
    gradCheck(`maximum ${tag}`, ops.maximum, [a, b]);
    gradCheck(`minimum ${tag}`, ops.minimum, [a, b]);
    gradCheck(`squaredDifference ${tag}`, ops.squaredDifference, [a, b]);
    gradCheck(`pow ${tag}`, ops.pow, [positive(sa, 6), b]);
  }
});

test('reductions', () => {
  const x = rt([2, 3, 4], 7);
  for (const axis of [undefined, 0, 1, 2, -1, [0, 2]] as const) {
    for (const keep of [false, true]) {
      const tag = `axis ${JSON.stringify(axis)} keepDims ${keep}`;
      gradCheck(`sum ${tag}`, (t) => ops.sum(t, axis, keep), [x]);
      gradCheck(`mean ${tag}`, (t) => ops.mean(t, axis, keep), [x]);
      gradCheck(`max ${tag}`, (t) => ops.max(t, axis, keep), [x]);
      gradCheck(`min ${tag}`, (t) => ops.min(t, axis, keep), [x]);
    }
  }
});

test('shape ops', () => {
  const x = rt([2, 3, 4], 8);
  gradCheck('reshape', (t) => ops.reshape(t, [4, -1]), [x]);
  gradCheck('flatten', ops.flatten, [x]);
  gradCheck('transpose', (t) => ops.transpose(t, [2, 0, 1]), [x]);
  gradCheck('sliceRows', (t) => ops.sliceRows(t, 1, 2), [x]);
  gradCheck('concat', (a, b) => ops.concat([a, b], 1), [x, rt([2, 2, 4], 9)]);
});

test('matMul with every transpose combination, and dense with bias and relu', () => {
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      const a = rt(ta ? [4, 3] : [3, 4], 10);
      const b = rt(tb ? [5, 4] : [4, 5], 11);
      gradCheck(`matMul ${ta} ${tb}`, (x, y) => ops.matMul(x, y, ta, tb), [a, b]);
    }
  }
  gradCheck('dense linear', (x, w, b) => ops.dense(x, w, b), [
    rt([3, 4], 12),
    rt([4, 5], 13),
    rt([5], 14),
  ]);
  gradCheck('dense relu', (x, w, b) => ops.dense(x, w, b, 'relu'), [
    rt([3, 4], 15),
    rt([4, 5], 16),
    rt([5], 17),
  ]);
});

test('softmax, logSoftmax and fused softmax cross-entropy', () => {
  const x = rt([3, 5], 18, -3, 3);
  gradCheck('softmax', ops.softmax, [x]);
  gradCheck('logSoftmax', ops.logSoftmax, [x]);
  const soft = ops.softmax(rt([3, 5], 19));
  gradCheck('softmaxCrossEntropy dense', (t) => ops.softmaxCrossEntropy(t, soft), [x]);
  const sparse = new Tensor(Int32Array.from([4, 0, 2]), [3]);
  gradCheck('softmaxCrossEntropy sparse', (t) => ops.softmaxCrossEntropy(t, sparse), [x]);
});

test('dropout', () => {
  gradCheck('dropout', (t) => ops.dropout(t, 0.4, 1234), [rt([4, 6], 20)]);
});

test('conv2d and pooling with stride, dilation and same padding', () => {
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
        [1, 2],
        [1, 1],
      ],
      [
        [1, 1],
        [2, 2],
      ],
    ] as [[number, number], [number, number]][]) {
      const tag = `${padding} strides ${strides} dilation ${dilation}`;
      gradCheck(`conv2d ${tag}`, (x, w) => ops.conv2d(x, w, { padding, strides, dilation }), [
        rt([2, 6, 5, 3], 21),
        rt([3, 2, 3, 4], 22),
      ]);
    }
    for (const strides of [
      [2, 2],
      [1, 1],
      [3, 2],
    ] as [number, number][]) {
      const tag = `${padding} strides ${strides}`;
      gradCheck(
        `maxPool2d ${tag}`,
        (x) => ops.maxPool2d(x, { poolSize: [2, 3], strides, padding }),
        [rt([2, 7, 6, 3], 23)],
      );
      gradCheck(
        `avgPool2d ${tag}`,
        (x) => ops.avgPool2d(x, { poolSize: [3, 2], strides, padding }),
        [rt([2, 7, 6, 3], 24)],
      );
    }
  }
});

test('conv2d with its fused bias and relu epilogue', () => {
  // Random float64 pre-activations sit far from relu's kink at the 1e-6 step.
  for (const activation of ['linear', 'relu'] as const) {
    gradCheck(
      `conv2d + bias + ${activation}`,
      (x, w, b) => ops.conv2d(x, w, { bias: b, activation, padding: 'same' }),
      [rt([2, 6, 5, 3], 31), rt([3, 3, 3, 4], 32), rt([4], 33)],
    );
  }
  // A first layer (no input gradient): the filter kernel runs the epilogue's backward itself.
  gradCheck(
    'conv2d + bias + relu, filter and bias only',
    (x, w, b) => ops.conv2d(x, w, { bias: b, activation: 'relu', padding: 'same' }),
    [rt([2, 6, 5, 3], 36), rt([3, 3, 3, 4], 37), rt([4], 38)],
    { check: [1, 2] },
  );
  gradCheck('conv2d + relu, no bias', (x, w) => ops.conv2d(x, w, { activation: 'relu' }), [
    rt([2, 5, 5, 2], 34),
    rt([3, 3, 2, 3], 35),
  ]);
});

test('conv2dMaxPool: conv, epilogue and max pooling as one op', () => {
  for (const activation of ['linear', 'relu'] as const) {
    const cases: [Padding, Pool2dOptions][] = [
      ['valid', { poolSize: [2, 2] }],
      ['same', { poolSize: [2, 3], strides: [1, 2], padding: 'same' }],
    ];
    for (const [padding, pool] of cases) {
      gradCheck(
        `conv2dMaxPool ${activation} ${padding}`,
        (x, w, b) => conv2dMaxPool(x, w, { bias: b, activation, padding }, pool),
        [rt([2, 7, 6, 3], 61), rt([3, 3, 3, 4], 62), rt([4], 63)],
      );
    }
  }
  gradCheck(
    'conv2dMaxPool + relu, filter and bias only',
    (x, w, b) => conv2dMaxPool(x, w, { bias: b, activation: 'relu' }),
    [rt([2, 8, 7, 1], 64), rt([3, 3, 1, 4], 65), rt([4], 66)],
    { check: [1, 2] },
  );
});

test('batchNorm (fused, over the last axis) with and without gamma and beta', () => {
  gradCheck('batchNorm + gamma, beta', (x, g, b) => ops.batchNorm(x, g, b, 1e-3).y, [
    rt([2, 3, 2, 4], 41),
    rt([4], 42, 0.5, 2),
    rt([4], 43),
  ]);
  gradCheck('batchNorm, no gamma or beta', (x) => ops.batchNorm(x, null, null, 1e-3).y, [
    rt([5, 3], 44),
  ]);
  gradCheck('batchNorm + gamma only', (x, g) => ops.batchNorm(x, g, null, 1e-3).y, [
    rt([6, 2], 45),
    rt([2], 46, 0.5, 2),
  ]);
});

test('scaleShift (per-channel affine over the last axis), with and without shift', () => {
  gradCheck('scaleShift', (x, s, b) => ops.scaleShift(x, s, b), [
    rt([2, 3, 4], 47),
    rt([4], 48),
    rt([4], 49),
  ]);
  gradCheck('scaleShift, no shift', (x, s) => ops.scaleShift(x, s, null), [
    rt([5, 3], 50),
    rt([3], 51),
  ]);
});

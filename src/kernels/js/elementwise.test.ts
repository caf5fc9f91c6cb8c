import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertAllClose,
  assertSameValues,
  centralDifference,
} from '../../../test/helpers/numeric.js';
import type { UnaryOp } from '../backend.js';
import { softplus, sigmoid, unary, unaryFn, unaryGrad } from './elementwise.js';

function applyOp(op: UnaryOp, xs: number[], param?: number, param2?: number): Float64Array {
  const out = new Float64Array(xs.length);
  unary(op, new Float64Array(xs), out, param, param2);
  return out;
}

test('unary: hand-computed values of every op', () => {
  const cases: [UnaryOp, number[], number[], number?, number?][] = [
    ['linear', [-2, 0, 3], [-2, 0, 3]],
    ['neg', [-2, 0.5], [2, -0.5]],
    ['abs', [-2, 0, 3], [2, 0, 3]],
    ['sign', [-2, 0, 3], [-1, 0, 1]],
    ['square', [-3, 0.5], [9, 0.25]],
    ['sqrt', [4, 0, 2.25], [2, 0, 1.5]],
    ['rsqrt', [4, 0.25], [0.5, 2]],
    ['reciprocal', [4, -0.5], [0.25, -2]],
    ['exp', [0, 1], [1, Math.E]],
    ['log', [1, Math.E], [0, 1]],
    ['log1p', [0, Math.E - 1], [0, 1]],
    ['relu', [-1, 0, 2], [0, 0, 2]],
    ['relu6', [-1, 3, 6, 7], [0, 3, 6, 6]],
    ['leaky_relu', [-2, 3], [-0.6, 3], 0.3],
    ['elu', [-1, 2], [0.5 * (Math.exp(-1) - 1), 2], 0.5],
    ['elu', [-1, 2], [Math.exp(-1) - 1, 2], 1],
    ['sigmoid', [0, 2], [0.5, 1 / (1 + Math.exp(-2))]],
    ['tanh', [0, 1], [0, Math.tanh(1)]],
    ['softplus', [0, 1], [Math.LN2, Math.log(1 + Math.E)]],
    ['scale', [2, -3], [5, -7.5], 2.5],
    ['add_scalar', [2, -3], [4.5, -0.5], 2.5],
    ['pow_scalar', [2, 9], [8, 729], 3],
    ['clip', [-5, 0.5, 5], [-1, 0.5, 2], -1, 2],
  ];
  for (const [op, xs, want, p, p2] of cases) {
    assertAllClose(applyOp(op, xs, p, p2), want, { rel: 1e-15, abs: 1e-16 }, op);
  }
});

test('unary: sigmoid and softplus neither overflow nor lose the tails', () => {
  assertSameValues(applyOp('sigmoid', [1000, -1000]), [1, 0]);
  assertSameValues(applyOp('softplus', [1000, -1000]), [1000, 0]);
  // exp(-40) is far below 1's rounding error, but sigmoid(-40) and softplus(-40) must keep it.
  assertAllClose([sigmoid(-40), softplus(-40)], [Math.exp(-40), Math.exp(-40)], { rel: 1e-12 });
});

test('unary: NaN passes through the activations', () => {
  for (const op of [
    'relu',
    'relu6',
    'leaky_relu',
    'elu',
    'sigmoid',
    'tanh',
    'softplus',
    'clip',
  ] as const) {
    const out = applyOp(op, [NaN], 0, 1);
    assert.ok(Number.isNaN(out[0]), op);
  }
});

test('unary: works in place and rounds once into float32', () => {
  const x = new Float32Array([0.1, 0.2, 0.3]);
  unary('exp', x, x);
  assertSameValues(
    x,
    [0.1, 0.2, 0.3].map((v) => Math.fround(Math.exp(Math.fround(v)))),
  );
});

test('unary: ops with a required parameter reject a missing one', () => {
  // Keras's defaults (leaky slope, ELU alpha) live in the activations, not the kernels.
  for (const op of ['scale', 'add_scalar', 'pow_scalar', 'clip', 'leaky_relu', 'elu'] as const) {
    assert.throws(() => unaryFn(op), /needs param/, op);
  }
  assert.throws(() => unaryFn('clip', 0), /needs param2/);
});

/** Where each op is smooth, with its parameters: central differences are valid there. */
const smooth: [UnaryOp, number, number, number?, number?][] = [
  ['linear', -3, 3],
  ['neg', -3, 3],
  ['abs', 0.1, 3],
  ['square', -3, 3],
  ['sqrt', 0.1, 4],
  ['rsqrt', 0.1, 4],
  ['reciprocal', 0.2, 4],
  ['exp', -3, 3],
  ['log', 0.1, 4],
  ['log1p', -0.9, 4],
  ['relu', 0.1, 3],
  ['relu6', 0.1, 5.9],
  ['leaky_relu', -3, -0.1, 0.3],
  ['elu', -3, -0.1, 0.7],
  ['elu', 0.1, 3, 0.7],
  ['sigmoid', -8, 8],
  ['tanh', -4, 4],
  ['softplus', -8, 8],
  ['scale', -3, 3, -1.5],
  ['add_scalar', -3, 3, 4],
  ['pow_scalar', 0.2, 3, 2.5],
  ['pow_scalar', 0.2, 3, -1.5],
  ['clip', -0.9, 0.9, -1, 1],
  ['clip', 1.1, 3, -1, 1],
];

test('unaryGrad: matches central differences of unary in float64', () => {
  for (const [op, lo, hi, p, p2] of smooth) {
    const n = 11;
    const x = new Float64Array(n).map((_, i) => lo + ((hi - lo) * i) / (n - 1));
    const y = new Float64Array(n);
    unary(op, x, y, p, p2);
    const dy = new Float64Array(n).map((_, i) => 0.5 + 0.1 * i);
    const dx = new Float64Array(n);
    unaryGrad(op, x, y, dy, dx, p, p2);
    const f = unaryFn(op, p, p2);
    const numeric = new Float64Array(n);
    const xi = new Float64Array(1);
    for (let i = 0; i < n; i++) {
      xi[0] = x[i];
      numeric[i] = dy[i] * centralDifference(() => f(xi[0]), xi, 0, 1e-5);
    }
    assertAllClose(dx, numeric, { rel: 1e-6, abs: 1e-8 }, `${op} grad on [${lo}, ${hi}]`);
  }
});

test('unaryGrad: kinks take TensorFlow conventions', () => {
  const grad = (op: UnaryOp, xs: number[], p?: number, p2?: number): Float64Array => {
    const x = new Float64Array(xs);
    const y = new Float64Array(xs.length);
    unary(op, x, y, p, p2);
    const dx = new Float64Array(xs.length);
    unaryGrad(op, x, y, new Float64Array(xs.length).fill(1), dx, p, p2);
    return dx;
  };
  assertSameValues(grad('relu', [0]), [0]);
  assertSameValues(grad('abs', [0, -2]), [0, -1]);
  assertSameValues(grad('relu6', [0, 6, 3]), [0, 0, 1]);
  assertSameValues(grad('leaky_relu', [0], 0.3), [0.3]);
  assertSameValues(grad('elu', [0], 0.5), [0.5]);
  assertSameValues(grad('clip', [-1, 1, 1.5], -1, 1), [1, 1, 0]);
  assertSameValues(grad('sign', [-1, 0, 2]), [0, 0, 0]);
  assertSameValues(grad('pow_scalar', [0, 2], 0), [0, 0]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAllClose, centralDifference, dot } from '../../../test/helpers/numeric.js';
import { mulberry32, uniforms } from '../../../test/helpers/seeded-random.js';
import {
  logSoftmax,
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyGrad,
  softmaxGrad,
} from './softmax.js';

test('softmax: a hand-computed row, and rows are independent', () => {
  const out = new Float64Array(6);
  softmax(new Float64Array([1, 2, 3, 0, 0, 0]), 2, 3, out);
  const z = Math.E + Math.E ** 2 + Math.E ** 3;
  assertAllClose(out, [Math.E / z, Math.E ** 2 / z, Math.E ** 3 / z, 1 / 3, 1 / 3, 1 / 3], {
    rel: 1e-15,
  });
});

test('softmax and logSoftmax: huge logits do not overflow', () => {
  const x = new Float64Array([1000, 1001, -1000]);
  const p = new Float64Array(3);
  const lp = new Float64Array(3);
  softmax(x, 1, 3, p);
  logSoftmax(x, 1, 3, lp);
  const l = Math.log1p(Math.exp(-1));
  assertAllClose(p, [Math.exp(-1 - l), Math.exp(-l), 0], { rel: 1e-14, abs: 1e-300 });
  assertAllClose(lp, [-1 - l, -l, -2001 - l], { rel: 1e-14 });
});

test('logSoftmax: equals log(softmax) on random rows', () => {
  const rng = mulberry32(11);
  const x = uniforms(rng, 5 * 7, -5, 5);
  const p = new Float64Array(x.length);
  const lp = new Float64Array(x.length);
  softmax(x, 5, 7, p);
  logSoftmax(x, 5, 7, lp);
  assertAllClose(lp, p.map(Math.log), { rel: 1e-13, abs: 1e-15 });
});

test('softmaxGrad: matches central differences of sum(dy * softmax(x))', () => {
  const rng = mulberry32(12);
  const [rows, cols] = [3, 5];
  const x = uniforms(rng, rows * cols, -3, 3);
  const dy = uniforms(rng, rows * cols);
  const y = new Float64Array(rows * cols);
  softmax(x, rows, cols, y);
  const dx = new Float64Array(rows * cols);
  softmaxGrad(y, dy, rows, cols, dx);
  const scratch = new Float64Array(rows * cols);
  const loss = (): number => {
    softmax(x, rows, cols, scratch);
    return dot(dy, scratch);
  };
  const numeric = x.map((_, i) => centralDifference(loss, x, i));
  assertAllClose(dx, numeric, { rel: 1e-7, abs: 1e-9 });
});

test('softmaxCrossEntropy: loss is -sum t log softmax, probs is softmax (dense and sparse)', () => {
  const rng = mulberry32(13);
  const [rows, cols] = [4, 6];
  const logits = uniforms(rng, rows * cols, -4, 4);
  const sparse = new Int32Array([0, 5, 2, 2]);
  const dense = new Float64Array(rows * cols);
  sparse.forEach((l, r) => (dense[r * cols + l] = 1));
  const lp = new Float64Array(rows * cols);
  logSoftmax(logits, rows, cols, lp);
  const wantProbs = new Float64Array(rows * cols);
  softmax(logits, rows, cols, wantProbs);
  const wantLoss = Array.from(sparse, (l, r) => -lp[r * cols + l]);
  for (const labels of [dense, sparse]) {
    const loss = new Float64Array(rows);
    const probs = new Float64Array(rows * cols);
    softmaxCrossEntropy(logits, labels, rows, cols, loss, probs);
    assertAllClose(loss, wantLoss, { rel: 1e-14 }, `loss (${labels.constructor.name})`);
    assertAllClose(probs, wantProbs, { rel: 1e-15 }, `probs (${labels.constructor.name})`);
  }
});

test('softmaxCrossEntropyGrad: matches central differences of sum_r scale_r * loss_r', () => {
  const rng = mulberry32(14);
  const [rows, cols] = [3, 5];
  const logits = uniforms(rng, rows * cols, -3, 3);
  // Soft targets whose rows do not sum to 1: the formula's sum_k t[r, k] factor matters.
  const soft = uniforms(rng, rows * cols, 0, 1);
  const sparse = new Int32Array([4, 0, 2]);
  const scale = new Float64Array([0.5, -2, 1.25]);
  for (const labels of [soft, sparse]) {
    const loss = new Float64Array(rows);
    const probs = new Float64Array(rows * cols);
    const total = (): number => {
      softmaxCrossEntropy(logits, labels, rows, cols, loss, probs);
      return dot(scale, loss);
    };
    const numeric = logits.map((_, i) => centralDifference(total, logits, i));
    total();
    const dlogits = new Float64Array(rows * cols);
    softmaxCrossEntropyGrad(probs, labels, rows, cols, scale, dlogits);
    assertAllClose(dlogits, numeric, { rel: 1e-7, abs: 1e-9 }, `grad (${labels.constructor.name})`);
    // A number scale applies to every row.
    const byNumber = new Float64Array(rows * cols);
    softmaxCrossEntropyGrad(probs, labels, rows, cols, 3, byNumber);
    const byArray = new Float64Array(rows * cols);
    softmaxCrossEntropyGrad(probs, labels, rows, cols, new Float64Array(rows).fill(3), byArray);
    assertAllClose(byNumber, byArray, {}, 'number scale');
  }
});

test('softmaxCrossEntropy: a masked (-inf) class with zero target weight costs nothing', () => {
  const loss = new Float64Array(1);
  const probs = new Float64Array(3);
  softmaxCrossEntropy(
    new Float64Array([-Infinity, 0, 0]),
    new Float64Array([0, 0.5, 0.5]),
    1,
    3,
    loss,
    probs,
  );
  assertAllClose(loss, [Math.LN2], { rel: 1e-15 });
  assertAllClose(probs, [0, 0.5, 0.5], {});
});

test('softmaxCrossEntropy: sparse labels outside [0, cols) are rejected', () => {
  const run = (label: number): void =>
    softmaxCrossEntropy(
      new Float64Array(3),
      new Int32Array([label]),
      1,
      3,
      new Float64Array(1),
      new Float64Array(3),
    );
  assert.throws(() => run(3), /label 3/);
  assert.throws(() => run(-1), /label -1/);
});

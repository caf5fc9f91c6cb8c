import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32, uniforms } from '../../../test/helpers/seeded-random.js';
import { assertAllClose, assertSameValues } from '../../../test/helpers/numeric.js';
import type { EpilogueActivation, GemmOptions } from '../backend.js';
import { unaryFn } from './elementwise.js';
import { gemm } from './gemm.js';

/** The definition, one output at a time: op(A)[i, p] and op(B)[p, j] read through the layout. */
function naiveGemm(
  m: number,
  n: number,
  k: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c: ArrayLike<number>,
  opts: GemmOptions,
): Float64Array {
  const opA = (i: number, p: number): number => (opts.transA ? a[p * m + i] : a[i * k + p]);
  const opB = (p: number, j: number): number => (opts.transB ? b[j * k + p] : b[p * n + j]);
  const act = unaryFn(opts.activation ?? 'linear');
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += opA(i, p) * opB(p, j);
      let v = (opts.alpha ?? 1) * s;
      if ((opts.beta ?? 0) !== 0) v += (opts.beta ?? 0) * c[i * n + j];
      if (opts.bias) v += opts.bias[j];
      out[i * n + j] = act(v);
    }
  }
  return out;
}

test('gemm: a hand-computed 2x3 times 3x2', () => {
  const a = new Float64Array([1, 2, 3, 4, 5, 6]);
  const b = new Float64Array([7, 8, 9, 10, 11, 12]);
  const c = new Float64Array(4);
  gemm(2, 2, 3, a, b, c);
  assertSameValues(c, [58, 64, 139, 154]);
});

test('gemm: transposed layouts read the same matrices', () => {
  // A = [[1, 2, 3], [4, 5, 6]] stored transposed; B = [[7, 8], [9, 10], [11, 12]] stored transposed.
  const aT = new Float64Array([1, 4, 2, 5, 3, 6]);
  const bT = new Float64Array([7, 9, 11, 8, 10, 12]);
  const c = new Float64Array(4);
  gemm(2, 2, 3, aT, bT, c, { transA: true, transB: true });
  assertSameValues(c, [58, 64, 139, 154]);
});

test('gemm: matches the definition for every transpose combination and odd shapes', () => {
  const rng = mulberry32(1);
  const shapes = [
    [1, 1, 1],
    [3, 5, 7],
    [17, 4, 9],
    [2, 31, 1],
    [0, 3, 2],
    [2, 3, 0],
  ];
  for (const [m, n, k] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = uniforms(rng, m * k);
        const b = uniforms(rng, k * n);
        const c = uniforms(rng, m * n);
        const opts = { transA, transB, alpha: 0.75, beta: -1.5 };
        const want = naiveGemm(m, n, k, a, b, c, opts);
        gemm(m, n, k, a, b, c, opts);
        assertAllClose(
          c,
          want,
          { rel: 1e-12, abs: 1e-14 },
          `gemm ${m}x${n}x${k} transA=${transA} transB=${transB}`,
        );
      }
    }
  }
});

test('gemm: beta = 0 ignores C even when it holds NaN', () => {
  const a = new Float64Array([1, 2]);
  const b = new Float64Array([3, 4]);
  const c = new Float64Array([NaN]);
  gemm(1, 1, 2, a, b, c, { beta: 0, alpha: 2 });
  assertSameValues(c, [22]);
});

test('gemm: beta scales the previous C, bias is added per column', () => {
  const a = new Float64Array([1, 2]); // [2, 1]
  const b = new Float64Array([3, 4]); // [1, 2]
  const c = new Float64Array([10, 20, 30, 40]);
  gemm(2, 2, 1, a, b, c, { alpha: 1, beta: 0.5, bias: new Float64Array([100, 200]) });
  // outer product [[3, 4], [6, 8]] + 0.5 * C + bias.
  assertSameValues(c, [3 + 5 + 100, 4 + 10 + 200, 6 + 15 + 100, 8 + 20 + 200]);
});

test('gemm: every epilogue activation is applied after bias', () => {
  const rng = mulberry32(2);
  const acts: EpilogueActivation[] = ['linear', 'relu'];
  for (const activation of acts) {
    const [m, n, k] = [4, 6, 5];
    const a = uniforms(rng, m * k, -2, 2);
    const b = uniforms(rng, k * n, -2, 2);
    const bias = uniforms(rng, n);
    const opts: GemmOptions = { bias, activation };
    const want = naiveGemm(m, n, k, a, b, [], opts);
    const c = new Float64Array(m * n).fill(NaN);
    gemm(m, n, k, a, b, c, opts);
    assertAllClose(c, want, { rel: 1e-12, abs: 1e-14 }, `activation ${activation}`);
  }
});

test('gemm: float32 output is the double result rounded once', () => {
  const rng = mulberry32(3);
  const [m, n, k] = [7, 9, 65];
  const a = uniforms(rng, m * k);
  const b = uniforms(rng, k * n);
  const c64 = new Float64Array(m * n);
  const c32 = new Float32Array(m * n);
  gemm(m, n, k, a, b, c64, { transB: false });
  gemm(m, n, k, new Float32Array(a), new Float32Array(b), c32);
  assertSameValues(c32, Float32Array.from(c64));
});

test('gemm: 0 * inf in A or B still poisons the output', () => {
  const c = new Float64Array(1);
  gemm(1, 1, 2, new Float64Array([0, 1]), new Float64Array([Infinity, 2]), c);
  assert.ok(Number.isNaN(c[0]));
});

test('gemm: short arrays are rejected', () => {
  assert.throws(
    () => gemm(2, 2, 2, new Float64Array(3), new Float64Array(4), new Float64Array(4)),
    /A has 3 items/,
  );
  assert.throws(
    () =>
      gemm(2, 2, 2, new Float64Array(4), new Float64Array(4), new Float64Array(4), {
        bias: new Float64Array(1),
      }),
    /bias/,
  );
});

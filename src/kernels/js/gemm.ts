import type { FloatArray, GemmOptions } from '../backend.js';
import { checkCount, checkLength } from './check.js';
import { unaryFn } from './elementwise.js';
import { scratchF64 } from './scratch.js';

/**
 * C[m, n] = act(alpha * op(A) op(B) + beta * C + bias), accumulated in doubles.
 *
 * Without transB the loop order is i-k-j into a row accumulator, so the inner loop streams a
 * row of B. With transB, B's rows are op(B)'s columns, so each output is a dot product of two
 * contiguous runs (op(A)'s row is gathered first when A is transposed).
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  opts: GemmOptions = {},
): void {
  checkCount('gemm', 'm', m);
  checkCount('gemm', 'n', n);
  checkCount('gemm', 'k', k);
  checkLength('gemm', 'A', a, m * k);
  checkLength('gemm', 'B', b, k * n);
  checkLength('gemm', 'C', c, m * n);
  const transA = opts.transA ?? false;
  const transB = opts.transB ?? false;
  const alpha = opts.alpha ?? 1;
  const beta = opts.beta ?? 0;
  const bias = opts.bias;
  if (bias) checkLength('gemm', 'bias', bias, n);
  const act = opts.activation ?? 'linear';
  const actFn = act === 'linear' ? undefined : unaryFn(act);

  const acc = scratchF64(0, n);
  const aRow = scratchF64(1, transB ? k : 0);
  for (let i = 0; i < m; i++) {
    if (transB) {
      for (let p = 0; p < k; p++) aRow[p] = transA ? a[p * m + i] : a[i * k + p];
      for (let j = 0; j < n; j++) {
        const bOff = j * k;
        let sum = 0;
        for (let p = 0; p < k; p++) sum += aRow[p] * b[bOff + p];
        acc[j] = sum;
      }
    } else {
      acc.fill(0);
      for (let p = 0; p < k; p++) {
        // No skipping of zero a[i, p]: 0 * inf and 0 * NaN must still poison the result.
        const aip = transA ? a[p * m + i] : a[i * k + p];
        const bOff = p * n;
        for (let j = 0; j < n; j++) acc[j] += aip * b[bOff + j];
      }
    }

    const cOff = i * n;
    for (let j = 0; j < n; j++) {
      let v = alpha * acc[j];
      // beta = 0 ignores C entirely, so an uninitialised (NaN) C is harmless.
      if (beta !== 0) v += beta * c[cOff + j];
      if (bias) v += bias[j];
      c[cOff + j] = actFn ? actFn(v) : v;
    }
  }
}

import type { FloatArray, ReduceOp } from '../backend.js';
import { checkCount, checkLength } from './check.js';
import { scratchF64 } from './scratch.js';

function checkView(
  kernel: string,
  x: FloatArray,
  outer: number,
  axis: number,
  inner: number,
  out: ArrayLike<number>,
): void {
  checkCount(kernel, 'outer', outer);
  checkCount(kernel, 'axis', axis);
  checkCount(kernel, 'inner', inner);
  checkLength(kernel, 'x', x, outer * axis * inner);
  checkLength(kernel, 'out', out, outer * inner);
}

/**
 * out[o, i] = reduce_j x[o, j, i]. Walks x in memory order with a row of `inner` double
 * accumulators. An empty axis gives the identity (0, 1, -inf, +inf; mean is 0/0 = NaN).
 * max and min propagate NaN.
 */
export function reduce(
  op: ReduceOp,
  x: FloatArray,
  outer: number,
  axis: number,
  inner: number,
  out: FloatArray,
): void {
  checkView('reduce', x, outer, axis, inner, out);
  const acc = scratchF64(0, inner);
  const init = op === 'prod' ? 1 : op === 'max' ? -Infinity : op === 'min' ? Infinity : 0;
  for (let o = 0; o < outer; o++) {
    acc.fill(init);
    for (let j = 0; j < axis; j++) {
      const off = (o * axis + j) * inner;
      switch (op) {
        case 'sum':
        case 'mean':
          for (let i = 0; i < inner; i++) acc[i] += x[off + i];
          break;
        case 'prod':
          for (let i = 0; i < inner; i++) acc[i] *= x[off + i];
          break;
        case 'max':
          for (let i = 0; i < inner; i++) {
            const v = x[off + i];
            if (v > acc[i] || v !== v) acc[i] = v;
          }
          break;
        case 'min':
          for (let i = 0; i < inner; i++) {
            const v = x[off + i];
            if (v < acc[i] || v !== v) acc[i] = v;
          }
          break;
      }
    }
    const outOff = o * inner;
    const div = op === 'mean' ? axis : 1;
    for (let i = 0; i < inner; i++) out[outOff + i] = acc[i] / div;
  }
}

/**
 * out[o, i] = argmax_j x[o, j, i]: the first index of the maximum, where NaN counts as larger
 * than everything (so the first NaN wins). An empty axis is an error: there is no index to give.
 */
export function argmax(
  x: FloatArray,
  outer: number,
  axis: number,
  inner: number,
  out: Int32Array,
): void {
  checkView('argmax', x, outer, axis, inner, out);
  if (axis === 0 && outer * inner > 0) throw new RangeError('argmax: the reduced axis is empty');
  const best = scratchF64(0, inner);
  const bestIndex = new Int32Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * axis * inner;
    for (let i = 0; i < inner; i++) best[i] = x[base + i];
    bestIndex.fill(0);
    for (let j = 1; j < axis; j++) {
      const off = base + j * inner;
      for (let i = 0; i < inner; i++) {
        const v = x[off + i];
        const b = best[i];
        // Strictly greater keeps the first maximum; once a NaN is held nothing replaces it.
        if (b === b && (v > b || v !== v)) {
          best[i] = v;
          bestIndex[i] = j;
        }
      }
    }
    out.set(bestIndex, o * inner);
  }
}

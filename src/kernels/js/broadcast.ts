import type { BinaryOp, FloatArray } from '../backend.js';
import { checkLength, sizeOf, stridesOf } from './check.js';

export type ScalarBinaryFn = (a: number, b: number) => number;

/** The scalar function behind `op`. maximum/minimum propagate NaN (Math.max/min semantics). */
export function binaryFn(op: BinaryOp): ScalarBinaryFn {
  switch (op) {
    case 'add':
      return (a, b) => a + b;
    case 'sub':
      return (a, b) => a - b;
    case 'mul':
      return (a, b) => a * b;
    case 'div':
      return (a, b) => a / b;
    case 'pow':
      return (a, b) => a ** b;
    case 'maximum':
      return Math.max;
    case 'minimum':
      return Math.min;
    case 'squared_difference':
      return (a, b) => (a - b) * (a - b);
    case 'greater':
      return (a, b) => (a > b ? 1 : 0);
    case 'greater_equal':
      return (a, b) => (a >= b ? 1 : 0);
    case 'less':
      return (a, b) => (a < b ? 1 : 0);
    case 'equal':
      return (a, b) => (a === b ? 1 : 0);
  }
}

/**
 * Strides for reading an operand of `shape` at each index of `outShape`: the operand is
 * right-aligned, and its missing or size-1 dimensions get stride 0 (they broadcast).
 */
export function broadcastStrides(
  what: string,
  shape: readonly number[],
  outShape: readonly number[],
): number[] {
  const rank = outShape.length;
  const offset = rank - shape.length;
  if (offset < 0) {
    throw new RangeError(
      `binary: ${what} shape [${shape}] has more dimensions than out [${outShape}]`,
    );
  }
  const own = stridesOf(shape);
  const strides = new Array<number>(rank).fill(0);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d];
    const outSize = outShape[d + offset];
    if (size === outSize) strides[d + offset] = size === 1 ? 0 : own[d];
    else if (size !== 1) {
      throw new RangeError(`binary: ${what} shape [${shape}] does not broadcast to [${outShape}]`);
    }
  }
  return strides;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * out = a op b with NumPy broadcasting. Walks `out` in order one innermost row at a time, with
 * an odometer over the outer dimensions; reading a[i] before writing out[i] is what makes
 * out === a safe when their shapes agree.
 */
export function binary(
  op: BinaryOp,
  a: FloatArray,
  aShape: readonly number[],
  b: FloatArray,
  bShape: readonly number[],
  out: FloatArray,
  outShape: readonly number[],
): void {
  const f = binaryFn(op);
  const size = sizeOf(outShape);
  const aStrides = broadcastStrides('a', aShape, outShape);
  const bStrides = broadcastStrides('b', bShape, outShape);
  checkLength('binary', 'a', a, sizeOf(aShape));
  checkLength('binary', 'b', b, sizeOf(bShape));
  checkLength('binary', 'out', out, size);
  if (size === 0) return;

  if (sameShape(aShape, outShape) && sameShape(bShape, outShape)) {
    for (let i = 0; i < size; i++) out[i] = f(a[i], b[i]);
    return;
  }
  const rank = outShape.length;
  if (rank === 0) {
    out[0] = f(a[0], b[0]);
    return;
  }

  const last = rank - 1;
  const rowLen = outShape[last];
  const aStep = aStrides[last];
  const bStep = bStrides[last];
  const index = new Array<number>(last).fill(0);
  let aOff = 0;
  let bOff = 0;
  for (let o = 0; o < size; o += rowLen) {
    for (let j = 0; j < rowLen; j++) out[o + j] = f(a[aOff + j * aStep], b[bOff + j * bStep]);
    for (let d = last - 1; d >= 0; d--) {
      index[d]++;
      aOff += aStrides[d];
      bOff += bStrides[d];
      if (index[d] < outShape[d]) break;
      index[d] = 0;
      aOff -= aStrides[d] * outShape[d];
      bOff -= bStrides[d] * outShape[d];
    }
  }
}

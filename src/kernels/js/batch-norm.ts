import type { FloatArray } from '../backend.js';
import { checkCount, checkLength } from './check.js';
import { scratchF64 } from './scratch.js';

function checkArgs(kernel: string, rows: number, cols: number): number {
  checkCount(kernel, 'rows', rows);
  checkCount(kernel, 'cols', cols);
  return rows * cols;
}

/**
 * Batch normalization over the columns of [rows, cols] (training): mean and biased variance per
 * column by two passes in double, invStd = 1 / sqrt(variance + epsilon), and
 * y = (x - mean) * gamma * invStd + beta (gamma 1 and beta 0 when absent).
 */
export function batchNorm(
  x: FloatArray,
  rows: number,
  cols: number,
  epsilon: number,
  y: FloatArray,
  mean: FloatArray,
  variance: FloatArray,
  invStd: FloatArray,
  gamma?: FloatArray,
  beta?: FloatArray,
): void {
  const n = checkArgs('batchNorm', rows, cols);
  if (!(epsilon >= 0)) throw new RangeError(`batchNorm: epsilon must be >= 0, got ${epsilon}`);
  checkLength('batchNorm', 'x', x, n);
  checkLength('batchNorm', 'y', y, n);
  for (const [what, arr] of [
    ['mean', mean],
    ['variance', variance],
    ['invStd', invStd],
  ] as const) {
    checkLength('batchNorm', what, arr, cols);
  }
  if (gamma) checkLength('batchNorm', 'gamma', gamma, cols);
  if (beta) checkLength('batchNorm', 'beta', beta, cols);
  const m = scratchF64(0, cols);
  const v = scratchF64(1, cols);
  for (let i = 0; i < n; i++) m[i % cols] += x[i]!;
  for (let c = 0; c < cols; c++) m[c] /= rows;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m[i % cols]!;
    v[i % cols] += d * d;
  }
  const scale = scratchF64(2, cols);
  for (let c = 0; c < cols; c++) {
    v[c] /= rows;
    const inv = 1 / Math.sqrt(v[c]! + epsilon);
    mean[c] = m[c]!;
    variance[c] = v[c]!;
    invStd[c] = inv;
    scale[c] = (gamma ? gamma[c]! : 1) * inv;
  }
  for (let i = 0; i < n; i++) {
    const c = i % cols;
    y[i] = (x[i]! - m[c]!) * scale[c]! + (beta ? beta[c]! : 0);
  }
}

/** y = x * scale + shift per column of [rows, cols] (shift 0 when absent), in double. */
export function scaleShift(
  x: FloatArray,
  rows: number,
  cols: number,
  scale: FloatArray,
  y: FloatArray,
  shift?: FloatArray,
): void {
  const n = checkArgs('scaleShift', rows, cols);
  checkLength('scaleShift', 'x', x, n);
  checkLength('scaleShift', 'y', y, n);
  checkLength('scaleShift', 'scale', scale, cols);
  if (shift) checkLength('scaleShift', 'shift', shift, cols);
  for (let i = 0; i < n; i++) {
    const c = i % cols;
    y[i] = x[i]! * scale[c]! + (shift ? shift[c]! : 0);
  }
}

/**
 * batchNorm's backward (xhat = (x - mean) * invStd): dbeta = sum dy, dgamma = sum dy * xhat per
 * column, dx = gamma * invStd / rows * (rows * dy - dbeta - xhat * dgamma), in double.
 */
export function batchNormBackward(
  x: FloatArray,
  dy: FloatArray,
  mean: FloatArray,
  invStd: FloatArray,
  rows: number,
  cols: number,
  dx: FloatArray,
  dgamma: FloatArray,
  dbeta: FloatArray,
  gamma?: FloatArray,
): void {
  const n = checkArgs('batchNormBackward', rows, cols);
  checkLength('batchNormBackward', 'x', x, n);
  checkLength('batchNormBackward', 'dy', dy, n);
  checkLength('batchNormBackward', 'dx', dx, n);
  for (const [what, arr] of [
    ['mean', mean],
    ['invStd', invStd],
    ['dgamma', dgamma],
    ['dbeta', dbeta],
  ] as const) {
    checkLength('batchNormBackward', what, arr, cols);
  }
  if (gamma) checkLength('batchNormBackward', 'gamma', gamma, cols);
  const sb = scratchF64(0, cols);
  const sg = scratchF64(1, cols);
  for (let i = 0; i < n; i++) {
    const c = i % cols;
    sb[c] += dy[i]!;
    sg[c] += dy[i]! * (x[i]! - mean[c]!) * invStd[c]!;
  }
  for (let i = 0; i < n; i++) {
    const c = i % cols;
    const xhat = (x[i]! - mean[c]!) * invStd[c]!;
    const a = ((gamma ? gamma[c]! : 1) * invStd[c]!) / rows;
    dx[i] = a * (rows * dy[i]! - sb[c]! - xhat * sg[c]!);
  }
  dgamma.set(sg);
  dbeta.set(sb);
}

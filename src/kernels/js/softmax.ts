import type { FloatArray } from '../backend.js';
import { checkCount, checkLength } from './check.js';
import { scratchF64 } from './scratch.js';

/**
 * Row-wise softmax family over [rows, cols] matrices. Each row is shifted by its maximum
 * before exp, so no exp overflows; the exps are kept in a double scratch row.
 */

function checkMatrix(
  kernel: string,
  rows: number,
  cols: number,
  ...arrays: [string, ArrayLike<number>][]
): void {
  checkCount(kernel, 'rows', rows);
  checkCount(kernel, 'cols', cols);
  for (const [what, arr] of arrays) checkLength(kernel, what, arr, rows * cols);
}

function rowMax(x: FloatArray, off: number, cols: number): number {
  let max = -Infinity;
  for (let j = 0; j < cols; j++) if (x[off + j] > max) max = x[off + j];
  return max;
}

/** exps[j] = exp(x[off + j] - max) for one row; returns their sum. */
function shiftedExps(
  x: FloatArray,
  off: number,
  cols: number,
  max: number,
  exps: Float64Array,
): number {
  let sum = 0;
  for (let j = 0; j < cols; j++) {
    const e = Math.exp(x[off + j] - max);
    exps[j] = e;
    sum += e;
  }
  return sum;
}

export function softmax(x: FloatArray, rows: number, cols: number, out: FloatArray): void {
  checkMatrix('softmax', rows, cols, ['x', x], ['out', out]);
  const exps = scratchF64(0, cols);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    const sum = shiftedExps(x, off, cols, rowMax(x, off, cols), exps);
    for (let j = 0; j < cols; j++) out[off + j] = exps[j] / sum;
  }
}

export function logSoftmax(x: FloatArray, rows: number, cols: number, out: FloatArray): void {
  checkMatrix('logSoftmax', rows, cols, ['x', x], ['out', out]);
  const exps = scratchF64(0, cols);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    const max = rowMax(x, off, cols);
    const logSum = Math.log(shiftedExps(x, off, cols, max, exps));
    for (let j = 0; j < cols; j++) out[off + j] = x[off + j] - max - logSum;
  }
}

/** dx = y * (dy - sum_j(dy * y)) per row. Reads each row fully before writing it. */
export function softmaxGrad(
  y: FloatArray,
  dy: FloatArray,
  rows: number,
  cols: number,
  dx: FloatArray,
): void {
  checkMatrix('softmaxGrad', rows, cols, ['y', y], ['dy', dy], ['dx', dx]);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += dy[off + j] * y[off + j];
    for (let j = 0; j < cols; j++) dx[off + j] = y[off + j] * (dy[off + j] - dot);
  }
}

function checkLabels(
  kernel: string,
  labels: FloatArray | Int32Array,
  rows: number,
  cols: number,
): void {
  if (labels instanceof Int32Array) {
    checkLength(kernel, 'labels', labels, rows);
    for (let r = 0; r < rows; r++) {
      const l = labels[r];
      if (l < 0 || l >= cols)
        throw new RangeError(`${kernel}: label ${l} of row ${r} is not in [0, ${cols})`);
    }
  } else {
    checkLength(kernel, 'labels', labels, rows * cols);
  }
}

/**
 * loss[r] = -sum_j t[r, j] * logsoftmax(x)[r, j], probs = softmax(x). Terms with t = 0 are
 * skipped, so a -inf logit that has no target weight (a masked class) costs 0, not 0 * -inf.
 */
export function softmaxCrossEntropy(
  logits: FloatArray,
  labels: FloatArray | Int32Array,
  rows: number,
  cols: number,
  loss: FloatArray,
  probs: FloatArray,
): void {
  checkMatrix('softmaxCrossEntropy', rows, cols, ['logits', logits], ['probs', probs]);
  checkLength('softmaxCrossEntropy', 'loss', loss, rows);
  checkLabels('softmaxCrossEntropy', labels, rows, cols);
  const sparse = labels instanceof Int32Array;
  const exps = scratchF64(0, cols);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    const max = rowMax(logits, off, cols);
    const sum = shiftedExps(logits, off, cols, max, exps);
    const logSum = Math.log(sum);
    let l = 0;
    if (sparse) {
      l = -(logits[off + labels[r]] - max - logSum);
    } else {
      for (let j = 0; j < cols; j++) {
        const t = labels[off + j];
        if (t !== 0) l -= t * (logits[off + j] - max - logSum);
      }
    }
    loss[r] = l;
    for (let j = 0; j < cols; j++) probs[off + j] = exps[j] / sum;
  }
}

/** dlogits[r, j] = scale[r] * (probs[r, j] * sum_k t[r, k] - t[r, j]). */
export function softmaxCrossEntropyGrad(
  probs: FloatArray,
  labels: FloatArray | Int32Array,
  rows: number,
  cols: number,
  scale: FloatArray | number,
  dlogits: FloatArray,
): void {
  checkMatrix('softmaxCrossEntropyGrad', rows, cols, ['probs', probs], ['dlogits', dlogits]);
  checkLabels('softmaxCrossEntropyGrad', labels, rows, cols);
  if (typeof scale !== 'number') checkLength('softmaxCrossEntropyGrad', 'scale', scale, rows);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    const s = typeof scale === 'number' ? scale : scale[r];
    if (labels instanceof Int32Array) {
      // A one-hot target sums to 1.
      const label = labels[r];
      for (let j = 0; j < cols; j++)
        dlogits[off + j] = s * (probs[off + j] - (j === label ? 1 : 0));
    } else {
      let total = 0;
      for (let j = 0; j < cols; j++) total += labels[off + j];
      for (let j = 0; j < cols; j++)
        dlogits[off + j] = s * (probs[off + j] * total - labels[off + j]);
    }
  }
}

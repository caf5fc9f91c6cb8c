import { formatShape } from '../tensor/shape.js';
import { record } from '../tensor/tape.js';
import { Tensor } from '../tensor/tensor.js';
import { backendFor, floats, uninitialized } from './engine.js';
import { binaryRaw } from './binary.js';
import { sum } from './reduce.js';

function rowsCols(x: Tensor, op: string): [number, number] {
  if (x.rank < 1)
    throw new Error(`${op} needs at least one dimension, got ${formatShape(x.shape)}.`);
  const cols = x.shape[x.rank - 1]!;
  return [x.size / Math.max(1, cols), cols];
}

/** Each softmax output's input, for `softmaxLogits`. Weak: it never keeps a tensor alive. */
const softmaxInputs = new WeakMap<Tensor, Tensor>();

/**
 * The logits `t` was computed from, when `t` is the output of `softmax`; otherwise undefined.
 * Cross-entropy losses ask this to choose the fused `softmaxCrossEntropy` (exact, and stable
 * where log(softmax) would underflow), as Keras's TensorFlow backend looks for a Softmax op
 * behind its input.
 */
export function softmaxLogits(t: Tensor): Tensor | undefined {
  return softmaxInputs.get(t);
}

/** Softmax over the last axis. */
export function softmax(x: Tensor): Tensor {
  const [rows, cols] = rowsCols(x, 'softmax');
  const k = backendFor(x.dtype);
  const out = uninitialized(x.shape, x.dtype);
  k.softmax(floats(x, 'softmax'), rows, cols, floats(out, 'softmax'));
  softmaxInputs.set(out, x);
  return record(out, 'softmax', [x], (dy) => {
    const dx = uninitialized(x.shape, x.dtype);
    k.softmaxGrad(floats(out, 'softmax'), floats(dy, 'softmax'), rows, cols, floats(dx, 'softmax'));
    return [dx];
  });
}

/** Log-softmax over the last axis. */
export function logSoftmax(x: Tensor): Tensor {
  const [rows, cols] = rowsCols(x, 'logSoftmax');
  const k = backendFor(x.dtype);
  const out = uninitialized(x.shape, x.dtype);
  k.logSoftmax(floats(x, 'logSoftmax'), rows, cols, floats(out, 'logSoftmax'));
  return record(out, 'logSoftmax', [x], (dy) => {
    // dx = dy - softmax(x) * sum(dy)
    const p = uninitialized(x.shape, x.dtype);
    k.unary('exp', floats(out, 'logSoftmax'), floats(p, 'logSoftmax'));
    const s = sum(dy, -1, true);
    return [binaryRaw('sub', dy, binaryRaw('mul', p, s))];
  });
}

/**
 * Per-row cross-entropy between softmax(logits) and `labels`, fused: labels are either a
 * float tensor of target distributions shaped like the logits, or an int32 tensor of class
 * indices with one dimension fewer (sparse). Returns the per-row losses.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const [rows, cols] = rowsCols(logits, 'softmaxCrossEntropy');
  const sparse = labels.dtype === 'int32';
  const expectedSize = sparse ? rows : rows * cols;
  if (labels.size !== expectedSize) {
    throw new Error(
      `softmaxCrossEntropy: labels of shape ${formatShape(labels.shape)} do not match logits ${formatShape(logits.shape)}` +
        (sparse ? ' (sparse labels need one class index per row).' : '.'),
    );
  }
  if (sparse) {
    for (let i = 0; i < labels.size; i++) {
      const c = labels.values[i]!;
      if (c < 0 || c >= cols)
        throw new RangeError(`Label ${c} at row ${i} is outside 0..${cols - 1}.`);
    }
  }
  const k = backendFor(logits.dtype);
  const lbl = sparse ? (labels.values as Int32Array) : floats(labels, 'softmaxCrossEntropy');
  const probs = uninitialized(logits.shape, logits.dtype);
  const loss = uninitialized(logits.shape.slice(0, -1), logits.dtype);
  k.softmaxCrossEntropy(
    floats(logits, 'softmaxCrossEntropy'),
    lbl,
    rows,
    cols,
    floats(loss, 'ce'),
    floats(probs, 'ce'),
  );
  return record(loss, 'softmaxCrossEntropy', [logits], (dy) => {
    const dx = uninitialized(logits.shape, logits.dtype);
    k.softmaxCrossEntropyGrad(
      floats(probs, 'ce'),
      lbl,
      rows,
      cols,
      floats(dy, 'ce'),
      floats(dx, 'ce'),
    );
    return [dx];
  });
}

// Per-sample accuracy functions (Keras 3's keras/src/metrics/accuracy_metrics.py): 1 where the
// prediction is right, 0 where it is wrong. Plain loops: metrics never need gradients.
import { argmax } from '../ops/index.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

function asFloatTensor(t: Tensor): Tensor {
  return t.dtype === 'int32' ? new Tensor(Float32Array.from(t.values), t.shape) : t;
}

/** Whether argmax(yTrue) == argmax(yPred) over the last axis; shape yPred.shape[:-1]. */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  if (yTrue.rank !== yPred.rank || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new Error(
      `categorical_accuracy: y_true ${formatShape(yTrue.shape)} and y_pred ${formatShape(yPred.shape)} must have the same shape (one-hot labels).`,
    );
  }
  const a = argmax(asFloatTensor(yTrue), -1).values;
  const b = argmax(asFloatTensor(yPred), -1).values;
  const out = new Float32Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = a[i] === b[i] ? 1 : 0;
  return new Tensor(out, yPred.shape.slice(0, -1));
}

/**
 * Whether yTrue (class indices, shaped yPred.shape[:-1], optionally with a trailing 1) equals
 * argmax(yPred) over the last axis; shape yPred.shape[:-1].
 */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const want = yPred.shape.slice(0, -1);
  let shape = yTrue.shape;
  if (shape.length === yPred.rank && shape[shape.length - 1] === 1) shape = shape.slice(0, -1);
  if (shape.length !== want.length || shape.some((d, i) => d !== want[i])) {
    throw new Error(
      `sparse_categorical_accuracy: y_true ${formatShape(yTrue.shape)} does not match y_pred ${formatShape(yPred.shape)}; expected class indices of shape ${formatShape(want)}.`,
    );
  }
  const predicted = argmax(asFloatTensor(yPred), -1).values;
  const labels = yTrue.values;
  const out = new Float32Array(predicted.length);
  for (let i = 0; i < out.length; i++) out[i] = labels[i] === predicted[i] ? 1 : 0;
  return new Tensor(out, want);
}

/**
 * Mean over the last axis of whether (yPred > threshold) equals yTrue; one value per sample.
 * Labels [n] line up with predictions [n, 1] (Keras's squeeze_or_expand_to_same_rank).
 */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  let t = yTrue.shape;
  let p = yPred.shape;
  if (t.length === p.length + 1 && t[t.length - 1] === 1) {
    if (p.length === 1) p = [...p, 1];
    else t = t.slice(0, -1);
  } else if (p.length === t.length + 1 && p[p.length - 1] === 1) {
    if (t.length === 1) t = [...t, 1];
    else p = p.slice(0, -1);
  }
  if (t.length !== p.length || t.some((d, i) => d !== p[i])) {
    throw new Error(
      `binary_accuracy: y_true ${formatShape(yTrue.shape)} and y_pred ${formatShape(yPred.shape)} do not match.`,
    );
  }
  const last = p.length === 0 ? 1 : p[p.length - 1]!;
  const rows = last === 0 ? 0 : yPred.size / last;
  const out = new Float32Array(rows);
  const yt = yTrue.values;
  const yp = yPred.values;
  for (let r = 0; r < rows; r++) {
    let hits = 0;
    for (let j = r * last; j < (r + 1) * last; j++)
      hits += (yp[j]! > threshold ? 1 : 0) === yt[j] ? 1 : 0;
    out[r] = hits / last;
  }
  return new Tensor(out, p.slice(0, -1));
}

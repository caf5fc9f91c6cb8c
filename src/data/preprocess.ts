import { allocate, type DType } from '../tensor/dtype.js';
import { Random } from '../tensor/random.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Preprocessing with Keras's semantics, over plain typed arrays so it needs no backend.
 * Images are row-major [N, ...dims]; "rows" below means samples.
 */

/** uint8 pixels -> float32 in [0, 1] (x / 255), keeping the layout (flattened or not). */
export function normalize(pixels: Uint8Array, scale = 255): Float32Array {
  const out = new Float32Array(pixels.length);
  const inv = 1 / scale;
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! * inv;
  return out;
}

/** Labels as given to oneHot / toCategorical: a tensor of class indices or plain numbers. */
export type Labels = Tensor | ArrayLike<number>;

/**
 * TF.js `tf.oneHot`: class indices [N] -> [N, depth] holding `onValue` at each index and
 * `offValue` elsewhere; int32 by default, as in TF.js (every loss and metric takes int32 targets).
 */
export function oneHot(
  indices: Labels,
  depth: number,
  onValue = 1,
  offValue = 0,
  dtype: DType = 'int32',
): Tensor {
  const labels = indices instanceof Tensor ? indices.values : indices;
  if (indices instanceof Tensor && indices.rank > 1 && indices.shape.at(-1) !== 1) {
    throw new Error(
      `oneHot: expected class indices of shape [N] (or [N, 1]), got shape ${formatShape(indices.shape)}.`,
    );
  }
  if (!Number.isInteger(depth) || depth < 1) {
    throw new RangeError(`oneHot: depth must be a whole number >= 1, got ${depth}.`);
  }
  const out = allocate(dtype, labels.length * depth);
  if (offValue !== 0) out.fill(offValue);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= depth) {
      throw new RangeError(`oneHot: label ${c} at index ${i} is outside 0..${depth - 1}.`);
    }
    out[i * depth + c] = onValue;
  }
  return new Tensor(out, [labels.length, depth]);
}

/**
 * Keras `to_categorical`: integer labels -> one-hot float32 [N, numClasses] (numClasses: the
 * largest label + 1 when not given).
 */
export function toCategorical(labels: Labels, numClasses?: number): Tensor {
  let k = numClasses;
  if (k === undefined) {
    const values = labels instanceof Tensor ? labels.values : labels;
    k = 0;
    for (let i = 0; i < values.length; i++) k = Math.max(k, values[i]! + 1);
  }
  return oneHot(labels, k, 1, 0, 'float32');
}

/** Number of values per sample for an array of `n` samples. */
function rowSize(length: number, n: number): number {
  if (n <= 0 || length % n !== 0) {
    throw new RangeError(`an array of ${length} values cannot hold ${n} equal samples`);
  }
  return length / n;
}

type Rows = Uint8Array | Float32Array | Int32Array | Float64Array;

/** Copies the samples `indices` of `a` (n samples) into a new array of the same type. */
export function takeRows<T extends Rows>(a: T, n: number, indices: ArrayLike<number>): T {
  const size = rowSize(a.length, n);
  const out = new (a.constructor as new (len: number) => T)(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    out.set(a.subarray(r * size, (r + 1) * size), i * size);
  }
  return out;
}

/**
 * Shuffles several sample-aligned arrays with one seeded permutation, so images and labels stay
 * paired. Returns new arrays; the inputs are untouched.
 */
export function shuffleTogether<T extends Rows[]>(n: number, seed: number, ...arrays: T): T {
  const perm = new Random(seed).permutation(n);
  return arrays.map((a) => takeRows(a, n, perm)) as T;
}

/**
 * Keras `validation_split`: the LAST `fraction` of the samples (taken before any shuffling)
 * becomes the hold-out set. `floor(n * (1 - fraction))` samples stay for training, as Keras
 * 3 computes it. Returns [train, holdout] views (no copy) for each array.
 */
export function splitLast<T extends Rows>(
  a: T,
  n: number,
  fraction: number,
): { train: T; holdout: T; trainCount: number } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(`validation split must be between 0 and 1 (exclusive), got ${fraction}`);
  }
  const size = rowSize(a.length, n);
  const trainCount = Math.floor(n * (1 - fraction));
  if (trainCount === 0 || trainCount === n) {
    throw new RangeError(
      `validation split ${fraction} of ${n} samples leaves an empty ${trainCount === 0 ? 'training' : 'validation'} set`,
    );
  }
  return {
    train: a.subarray(0, trainCount * size) as T,
    holdout: a.subarray(trainCount * size) as T,
    trainCount,
  };
}

/** Counts of each class 0..numClasses-1. */
export function classCounts(labels: ArrayLike<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (c >= 0 && c < numClasses) counts[c]!++;
  }
  return counts;
}

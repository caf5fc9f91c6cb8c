// TF.js's rank-checked tensor constructors, over `tensor()`.
import type { DType } from './dtype.js';
import { formatShape, type Shape } from './shape.js';
import { Tensor, tensor, type TensorLike } from './tensor.js';

function ranked(rank: number, values: TensorLike, shape: Shape | undefined, dtype?: DType): Tensor {
  const name = `tensor${rank}d`;
  if (shape !== undefined && shape.length !== rank) {
    throw new Error(`${name}: shape ${formatShape(shape)} is not of rank ${rank}.`);
  }
  const flat = ArrayBuffer.isView(values) || (Array.isArray(values) && !Array.isArray(values[0]));
  if (flat && shape === undefined && rank > 1) {
    throw new Error(
      `${name}: flat values need a shape, e.g. ${name}(values, [rows, cols${rank > 2 ? ', ...' : ''}]).`,
    );
  }
  const t = tensor(values, shape, dtype);
  if (t.rank !== rank) {
    throw new Error(
      `${name}: the values have shape ${formatShape(t.shape)}, of rank ${t.rank}, not ${rank}.`,
    );
  }
  return t;
}

/** A rank-1 tensor (TF.js `tf.tensor1d`). */
export function tensor1d(values: TensorLike, dtype?: DType): Tensor {
  return ranked(1, values, undefined, dtype);
}

/** A rank-2 tensor from nested arrays, or from flat values and a shape (TF.js `tf.tensor2d`). */
export function tensor2d(
  values: TensorLike,
  shape?: readonly [number, number],
  dtype?: DType,
): Tensor {
  return ranked(2, values, shape, dtype);
}

/** A rank-3 tensor (TF.js `tf.tensor3d`). */
export function tensor3d(
  values: TensorLike,
  shape?: readonly [number, number, number],
  dtype?: DType,
): Tensor {
  return ranked(3, values, shape, dtype);
}

/** A rank-4 tensor, e.g. images [n, height, width, channels] (TF.js `tf.tensor4d`). */
export function tensor4d(
  values: TensorLike,
  shape?: readonly [number, number, number, number],
  dtype?: DType,
): Tensor {
  return ranked(4, values, shape, dtype);
}

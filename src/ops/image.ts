import type { FillMode, Interpolation } from '../kernels/backend.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

import { backendFor, empty, floats } from './engine.js';

export type { FillMode, Interpolation };

export interface AffineTransformOptions {
  /** Default 'reflect' (Keras's augmentation layers). */
  fillMode?: FillMode;
  /** Default 'bilinear'. */
  interpolation?: Interpolation;
  /** What 'constant' fills with. Default 0. */
  fillValue?: number;
}

/**
 * Warps each image of x [n, h, w, c] by its own projective transform (keras.ops.image.
 * affine_transform, TensorFlow's ImageProjectiveTransformV3): `transforms` holds 8 numbers per
 * image, [a0, a1, a2, b0, b1, b2, c0, c1], mapping output (column q, row r) to the input point
 * ((a0 q + a1 r + a2) / k, (b0 q + b1 r + b2) / k), k = c0 q + c1 r + 1.
 *
 * Not differentiable: augmentation warps inputs, ahead of anything trainable; a warp of a tensor
 * that needs a gradient is an error rather than a silent stop.
 */
export function affineTransform(
  x: Tensor,
  transforms: ArrayLike<number>,
  options: AffineTransformOptions = {},
): Tensor {
  if (x.rank !== 4) {
    throw new Error(`affineTransform needs images [n, h, w, c]; got ${formatShape(x.shape)}.`);
  }
  const [n, h, w, c] = x.shape as [number, number, number, number];
  if (transforms.length !== n * 8) {
    throw new Error(
      `affineTransform needs 8 transform numbers per image (${n * 8}), got ${transforms.length}.`,
    );
  }
  if (x.requiresGrad) {
    throw new Error(
      'affineTransform has no gradient: put augmentation layers before the trainable layers.',
    );
  }
  const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
  const t = dtype === 'float64' ? Float64Array.from(transforms) : Float32Array.from(transforms);
  const y = empty(x.shape, dtype);
  backendFor(dtype).affineTransform(
    floats(x, 'affineTransform'),
    t,
    n,
    h,
    w,
    c,
    options.fillMode ?? 'reflect',
    options.interpolation ?? 'bilinear',
    options.fillValue ?? 0,
    floats(y, 'affineTransform'),
  );
  return y;
}

import { conv2dMaxPool } from '../ops/conv-pool.js';
import type { Tensor } from '../tensor/tensor.js';
import { Conv2D } from './conv2d.js';
import type { Layer } from './layer.js';
import { MaxPooling2D } from './max-pooling2d.js';

/**
 * For a model that runs `first` and then `second` on its output alone: one function computing
 * both, with the values the two calls give, when the pair has a fused op; null otherwise (then
 * each layer runs on its own). Fused: Conv2D (linear or relu) followed by MaxPooling2D, whose
 * conv output would otherwise be stored, read by the pooling, and given a gradient of its size.
 * Only the exact classes fuse (a subclass may override `call`), both already built, on an input
 * the convolution takes as is (anything else goes the layers' way, with their checks and errors).
 */
export function fusedPair(
  first: Layer,
  second: Layer | undefined,
  x: Tensor,
): ((x: Tensor) => Tensor) | null {
  if (
    second === undefined ||
    Object.getPrototypeOf(first) !== Conv2D.prototype ||
    Object.getPrototypeOf(second) !== MaxPooling2D.prototype
  ) {
    return null;
  }
  const conv = first as Conv2D;
  const pool = second as MaxPooling2D;
  const kernel = conv.kernel;
  if (
    !conv.built ||
    !pool.built ||
    kernel === null ||
    (conv.activation !== 'relu' && conv.activation !== 'linear') ||
    conv.dtype !== pool.dtype ||
    x.dtype !== conv.dtype ||
    x.rank !== 4 ||
    x.shape[3] !== kernel.shape[2]
  ) {
    return null;
  }
  return (input) =>
    conv2dMaxPool(
      input,
      kernel,
      {
        strides: conv.strides,
        padding: conv.padding,
        dilation: conv.dilationRate,
        bias: conv.bias,
        activation: conv.activation as 'relu' | 'linear',
      },
      { poolSize: pool.poolSize, strides: pool.strides, padding: pool.padding },
    );
}

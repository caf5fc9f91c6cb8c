// Activation functions, each (x: Tensor) => Tensor, composed from differentiable ops.
import * as ops from '../ops/index.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

export type ActivationFn = (x: Tensor) => Tensor;

export const linear: ActivationFn = (x) => x;
export const relu: ActivationFn = (x) => ops.relu(x);
export const relu6: ActivationFn = (x) => ops.relu6(x);
/** Keras 3 `keras.activations.leaky_relu` default negative_slope 0.2 (the layer uses 0.3). */
export const leakyRelu = (x: Tensor, negativeSlope = 0.2): Tensor =>
  ops.leakyRelu(x, negativeSlope);
/** Keras default alpha 1. */
export const elu = (x: Tensor, alpha = 1): Tensor => ops.elu(x, alpha);
export const sigmoid: ActivationFn = (x) => ops.sigmoid(x);
export const tanh: ActivationFn = (x) => ops.tanh(x);
export const softplus: ActivationFn = (x) => ops.softplus(x);
/** Keras 3's silu (alias swish; Ramachandran et al.; Elfwing et al.): x * sigmoid(x). */
export const silu: ActivationFn = (x) => ops.mul(x, ops.sigmoid(x));

/**
 * Softmax over `axis` (default the last). Over the last axis the output remembers its logits,
 * so cross-entropy losses can use the exact fused form (as Keras's TensorFlow backend does).
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const a = normalizeAxis(axis, x.rank);
  if (a === x.rank - 1) {
    const out = ops.softmax(x);
    out.logits = x;
    return out;
  }
  // Move the axis last, softmax, move it back.
  const perm = x.shape.map((_, i) => i);
  perm.splice(a, 1);
  perm.push(a);
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return ops.transpose(ops.softmax(ops.transpose(x, perm)), inverse);
}

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
/** x / (1 + |x|). */
export const softsign: ActivationFn = (x) => ops.unary('softsign', x);
/**
 * x * Phi(x), Phi the standard normal CDF. Keras default approximate = false (the erf form);
 * approximate = true is the tanh form, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
 */
export function gelu(x: Tensor, approximate = false): Tensor {
  if (!approximate) return ops.unary('gelu', x);
  const inner = ops.scale(
    ops.add(x, ops.scale(ops.powScalar(x, 3), 0.044715)),
    Math.sqrt(2 / Math.PI),
  );
  return ops.mul(ops.scale(x, 0.5), ops.addScalar(ops.tanh(inner), 1));
}
/** Keras 3's silu (alias swish; Ramachandran et al.; Elfwing et al.): x * sigmoid(x). */
export const silu: ActivationFn = (x) => ops.mul(x, ops.sigmoid(x));

/**
 * Softmax over `axis` (default the last). Over the last axis it is the `softmax` op, whose
 * output cross-entropy losses recognise (ops.softmaxLogits) to use the exact fused form.
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const a = normalizeAxis(axis, x.rank);
  if (a === x.rank - 1) return ops.softmax(x);
  // Move the axis last, softmax, move it back.
  const perm = x.shape.map((_, i) => i);
  perm.splice(a, 1);
  perm.push(a);
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return ops.transpose(ops.softmax(ops.transpose(x, perm)), inverse);
}

import { formatShape } from '../tensor/shape.js';
import { record } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';

import { backendFor, empty, floats, uninitialized } from './engine.js';

/** batchNorm's output and the batch statistics it normalized with (never differentiated). */
export interface BatchNormResult {
  y: Tensor;
  /** The batch mean per channel [c]. */
  mean: Tensor;
  /** The batch's biased variance per channel [c]. */
  variance: Tensor;
}

/**
 * Training-mode batch normalization over the last axis of x [..., c]: with the batch mean and
 * biased variance of each channel over every other axis, y = (x - mean) / sqrt(variance +
 * epsilon) * gamma + beta. gamma and beta ([c]) are optional. One fused kernel each way; the
 * gradient flows to x, gamma and beta.
 */
export function batchNorm(
  x: Tensor,
  gamma: Tensor | null,
  beta: Tensor | null,
  epsilon: number,
): BatchNormResult {
  const op = 'batchNorm';
  if (x.rank < 1) throw new Error(`${op} needs x of rank >= 1, got a scalar.`);
  const cols = x.shape[x.rank - 1]!;
  for (const [what, p] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    if (p && (p.rank !== 1 || p.shape[0] !== cols)) {
      throw new Error(
        `${op}: ${what} of shape ${formatShape(p.shape)} does not match ${cols} channels of x ${formatShape(x.shape)}.`,
      );
    }
  }
  const rows = cols === 0 ? 0 : x.size / cols;
  const dtype = [x, gamma, beta].some((t) => t?.dtype === 'float64') ? 'float64' : 'float32';
  const k = backendFor(dtype);
  const y = uninitialized(x.shape, dtype);
  const mean = empty([cols], dtype);
  const variance = empty([cols], dtype);
  const invStd = empty([cols], dtype);
  const g = gamma ? floats(gamma, op) : undefined;
  const b = beta ? floats(beta, op) : undefined;
  k.batchNorm(
    floats(x, op),
    rows,
    cols,
    epsilon,
    floats(y, op),
    floats(mean, op),
    floats(variance, op),
    floats(invStd, op),
    g,
    b,
  );
  const inputs = [x, gamma, beta].filter((t): t is Tensor => t !== null);
  record(y, op, inputs, (dy) => {
    const dx = uninitialized(x.shape, dtype);
    const dgamma = empty([cols], dtype);
    const dbeta = empty([cols], dtype);
    k.batchNormBackward(
      floats(x, op),
      floats(dy, op),
      floats(mean, op),
      floats(invStd, op),
      rows,
      cols,
      floats(dx, op),
      floats(dgamma, op),
      floats(dbeta, op),
      g,
    );
    const grads: (Tensor | null)[] = [x.requiresGrad ? dx : null];
    if (gamma) grads.push(gamma.requiresGrad ? dgamma : null);
    if (beta) grads.push(beta.requiresGrad ? dbeta : null);
    return grads;
  });
  return { y, mean, variance };
}

/**
 * y = x * scale + shift over the last axis of x [..., c] (scale and shift [c]; shift optional):
 * batch normalization in inference with its statistics folded into scale and shift, one pass.
 */
export function scaleShift(x: Tensor, scale: Tensor, shift: Tensor | null): Tensor {
  const op = 'scaleShift';
  if (x.rank < 1) throw new Error(`${op} needs x of rank >= 1, got a scalar.`);
  const cols = x.shape[x.rank - 1]!;
  for (const [what, p] of [
    ['scale', scale],
    ['shift', shift],
  ] as const) {
    if (p && (p.rank !== 1 || p.shape[0] !== cols)) {
      throw new Error(
        `${op}: ${what} of shape ${formatShape(p.shape)} does not match ${cols} channels of x ${formatShape(x.shape)}.`,
      );
    }
  }
  const rows = cols === 0 ? 0 : x.size / cols;
  const dtype = [x, scale, shift].some((t) => t?.dtype === 'float64') ? 'float64' : 'float32';
  const k = backendFor(dtype);
  const y = uninitialized(x.shape, dtype);
  const s = floats(scale, op);
  k.scaleShift(floats(x, op), rows, cols, s, floats(y, op), shift ? floats(shift, op) : undefined);
  const inputs = shift ? [x, scale, shift] : [x, scale];
  return record(y, op, inputs, (dy) => {
    const dyd = floats(dy, op);
    let dx: Tensor | null = null;
    let dscale: Tensor | null = null;
    let dshift: Tensor | null = null;
    if (x.requiresGrad) {
      dx = uninitialized(x.shape, dtype);
      k.scaleShift(dyd, rows, cols, s, floats(dx, op));
    }
    if (scale.requiresGrad) {
      const prod = uninitialized(x.shape, dtype);
      k.binary('mul', dyd, x.shape, floats(x, op), x.shape, floats(prod, op), x.shape);
      dscale = empty([cols], dtype);
      k.reduce('sum', floats(prod, op), 1, rows, cols, floats(dscale, op));
    }
    if (shift?.requiresGrad) {
      dshift = empty([cols], dtype);
      k.reduce('sum', dyd, 1, rows, cols, floats(dshift, op));
    }
    return shift ? [dx, dscale, dshift] : [dx, dscale];
  });
}

import type { UnaryOp } from '../kernels/backend.js';
import { record } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import { backendFor, floats, uninitialized } from './engine.js';

/** A pointwise function without recording (building block). */
export function unaryRaw(op: UnaryOp, x: Tensor, param?: number, param2?: number): Tensor {
  const out = uninitialized(x.shape, x.dtype);
  backendFor(x.dtype).unary(op, floats(x, op), floats(out, op), param, param2);
  return out;
}

/** Applies a pointwise function (see UnaryOp); differentiable. */
export function unary(op: UnaryOp, x: Tensor, param?: number, param2?: number): Tensor {
  const xd = floats(x, op);
  const out = uninitialized(x.shape, x.dtype);
  const k = backendFor(x.dtype);
  k.unary(op, xd, floats(out, op), param, param2);
  return record(out, op, [x], (dy) => {
    const dx = uninitialized(x.shape, x.dtype);
    k.unaryGrad(op, xd, floats(out, op), floats(dy, op), floats(dx, op), param, param2);
    return [dx];
  });
}

export const neg = (x: Tensor): Tensor => unary('neg', x);
export const abs = (x: Tensor): Tensor => unary('abs', x);
export const square = (x: Tensor): Tensor => unary('square', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x);
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);
export const exp = (x: Tensor): Tensor => unary('exp', x);
export const log = (x: Tensor): Tensor => unary('log', x);
export const log1p = (x: Tensor): Tensor => unary('log1p', x);
export const relu = (x: Tensor): Tensor => unary('relu', x);
export const relu6 = (x: Tensor): Tensor => unary('relu6', x);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
export const softplus = (x: Tensor): Tensor => unary('softplus', x);
/** x > 0 ? x : alpha * x (the slope's Keras defaults live in the activation and the layer). */
export const leakyRelu = (x: Tensor, alpha: number): Tensor => unary('leaky_relu', x, alpha);
/** x > 0 ? x : alpha * (exp(x) - 1). */
export const elu = (x: Tensor, alpha: number): Tensor => unary('elu', x, alpha);
/** Clamps to [lo, hi]; the gradient passes where lo <= x <= hi. */
export const clip = (x: Tensor, lo: number, hi: number): Tensor => unary('clip', x, lo, hi);
export const scale = (x: Tensor, s: number): Tensor => unary('scale', x, s);
export const addScalar = (x: Tensor, s: number): Tensor => unary('add_scalar', x, s);
export const powScalar = (x: Tensor, p: number): Tensor => unary('pow_scalar', x, p);

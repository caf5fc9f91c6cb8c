import type { FloatArray, UnaryOp } from '../backend.js';
import { checkLength } from './check.js';

/**
 * Pointwise functions: `unary`, `unaryGrad` and the scalar forms the GEMM epilogue reuses.
 * Everything is evaluated in JS doubles and rounded once when stored.
 */

export type ScalarFn = (x: number) => number;
/** dx for one element: dy * f'(x), with y = f(x) at hand. */
export type ScalarGradFn = (x: number, y: number, dy: number) => number;

/** Keras's `keras.activations.leaky_relu` default; the LeakyReLU layer passes its own 0.3. */
export const DEFAULT_LEAKY_RELU_SLOPE = 0.2;
/** Keras's `keras.activations.elu` default alpha. */
export const DEFAULT_ELU_ALPHA = 1;

function required(op: UnaryOp, name: string, value: number | undefined): number {
  if (value === undefined) throw new RangeError(`unary '${op}' needs ${name}`);
  return value;
}

/** sigmoid(x) without overflow: exp only ever sees a non-positive argument. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|)). */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * The scalar function behind `op`. NaN inputs stay NaN (relu and friends are written so the
 * comparison fails through to x) so a NaN never hides behind an activation.
 */
export function unaryFn(op: UnaryOp, param?: number, param2?: number): ScalarFn {
  switch (op) {
    case 'linear':
      return (x) => x;
    case 'neg':
      return (x) => -x;
    case 'abs':
      return Math.abs;
    case 'sign':
      return Math.sign;
    case 'square':
      return (x) => x * x;
    case 'sqrt':
      return Math.sqrt;
    case 'rsqrt':
      return (x) => 1 / Math.sqrt(x);
    case 'reciprocal':
      return (x) => 1 / x;
    case 'exp':
      return Math.exp;
    case 'log':
      return Math.log;
    case 'log1p':
      return Math.log1p;
    case 'relu':
      return (x) => (x < 0 ? 0 : x);
    case 'relu6':
      return (x) => (x < 0 ? 0 : x > 6 ? 6 : x);
    case 'leaky_relu': {
      const slope = param ?? DEFAULT_LEAKY_RELU_SLOPE;
      return (x) => (x > 0 ? x : slope * x);
    }
    case 'elu': {
      const alpha = param ?? DEFAULT_ELU_ALPHA;
      // expm1 rather than exp(x) - 1: same function, no cancellation near 0.
      return (x) => (x > 0 ? x : alpha * Math.expm1(x));
    }
    case 'sigmoid':
      return sigmoid;
    case 'tanh':
      return Math.tanh;
    case 'softplus':
      return softplus;
    case 'scale': {
      const s = required(op, 'param (the factor)', param);
      return (x) => s * x;
    }
    case 'add_scalar': {
      const s = required(op, 'param (the addend)', param);
      return (x) => x + s;
    }
    case 'pow_scalar': {
      const p = required(op, 'param (the exponent)', param);
      return (x) => x ** p;
    }
    case 'clip': {
      const lo = required(op, 'param (the lower bound)', param);
      const hi = required(op, 'param2 (the upper bound)', param2);
      return (x) => (x < lo ? lo : x > hi ? hi : x);
    }
  }
}

/**
 * dy * f'(x). Kinks follow TensorFlow: relu'(0) = 0, abs'(0) = 0, relu6 passes on (0, 6),
 * leaky_relu and elu take the negative branch at 0, clip passes on [lo, hi].
 */
export function unaryGradFn(op: UnaryOp, param?: number, param2?: number): ScalarGradFn {
  switch (op) {
    case 'linear':
      return (_x, _y, dy) => dy;
    case 'neg':
      return (_x, _y, dy) => -dy;
    case 'abs':
      return (x, _y, dy) => (x > 0 ? dy : x < 0 ? -dy : 0);
    case 'sign':
      return () => 0;
    case 'square':
      return (x, _y, dy) => 2 * x * dy;
    case 'sqrt':
      return (_x, y, dy) => (0.5 * dy) / y;
    case 'rsqrt':
      // d/dx x^-1/2 = -1/2 x^-3/2 = -1/2 y^3.
      return (_x, y, dy) => -0.5 * dy * y * y * y;
    case 'reciprocal':
      return (_x, y, dy) => -dy * y * y;
    case 'exp':
      return (_x, y, dy) => dy * y;
    case 'log':
      return (x, _y, dy) => dy / x;
    case 'log1p':
      return (x, _y, dy) => dy / (1 + x);
    case 'relu':
      return (x, _y, dy) => (x > 0 ? dy : 0);
    case 'relu6':
      return (x, _y, dy) => (x > 0 && x < 6 ? dy : 0);
    case 'leaky_relu': {
      const slope = param ?? DEFAULT_LEAKY_RELU_SLOPE;
      return (x, _y, dy) => (x > 0 ? dy : slope * dy);
    }
    case 'elu': {
      const alpha = param ?? DEFAULT_ELU_ALPHA;
      // For x <= 0, d/dx alpha*(e^x - 1) = alpha*e^x = y + alpha.
      return (x, y, dy) => (x > 0 ? dy : dy * (y + alpha));
    }
    case 'sigmoid':
      return (_x, y, dy) => dy * y * (1 - y);
    case 'tanh':
      return (_x, y, dy) => dy * (1 - y * y);
    case 'softplus':
      return (x, _y, dy) => dy * sigmoid(x);
    case 'scale': {
      const s = required(op, 'param (the factor)', param);
      return (_x, _y, dy) => s * dy;
    }
    case 'add_scalar':
      required(op, 'param (the addend)', param);
      return (_x, _y, dy) => dy;
    case 'pow_scalar': {
      const p = required(op, 'param (the exponent)', param);
      // x^0 is constant: its derivative is 0 even at x = 0, where p * x^(p-1) would be 0 * inf.
      if (p === 0) return () => 0;
      return (x, _y, dy) => dy * p * x ** (p - 1);
    }
    case 'clip': {
      const lo = required(op, 'param (the lower bound)', param);
      const hi = required(op, 'param2 (the upper bound)', param2);
      return (x, _y, dy) => (x >= lo && x <= hi ? dy : 0);
    }
  }
}

export function unary(
  op: UnaryOp,
  x: FloatArray,
  out: FloatArray,
  param?: number,
  param2?: number,
): void {
  checkLength('unary', 'out', out, x.length);
  const f = unaryFn(op, param, param2);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
}

export function unaryGrad(
  op: UnaryOp,
  x: FloatArray,
  y: FloatArray,
  dy: FloatArray,
  dx: FloatArray,
  param?: number,
  param2?: number,
): void {
  const n = x.length;
  checkLength('unaryGrad', 'y', y, n);
  checkLength('unaryGrad', 'dy', dy, n);
  checkLength('unaryGrad', 'dx', dx, n);
  const g = unaryGradFn(op, param, param2);
  for (let i = 0; i < n; i++) dx[i] = g(x[i], y[i], dy[i]);
}

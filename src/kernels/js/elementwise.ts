import type { FloatArray } from '../backend.js';
import { unaryFn, unaryGradFn, type UnaryOp } from '../unary-ops.js';
import { checkLength } from './check.js';

// The loops of the js `unary` and `unaryGrad` kernels over the scalar math of unary-ops.ts:
// everything is evaluated in JS doubles and rounded once when stored.
export { sigmoid, softplus, unaryFn, unaryGradFn } from '../unary-ops.js';

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

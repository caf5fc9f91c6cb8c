import type { BinaryOp } from '../kernels/backend.js';
import { broadcastShapes } from '../tensor/shape.js';
import { record } from '../tensor/tape.js';
import { Tensor, scalar } from '../tensor/tensor.js';
import { backendFor, floats, resultType, uninitialized } from './engine.js';
import { unaryRaw } from './unary.js';
import { sumToShape } from './reduce.js';

type Operand = Tensor | number;

function asTensor(v: Operand, like: Tensor): Tensor {
  return typeof v === 'number' ? scalar(v, like.dtype === 'float64' ? 'float64' : 'float32') : v;
}

/** Broadcasting elementwise op without recording. */
export function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const dtype = resultType(a, b);
  const out = uninitialized(shape, dtype);
  const k = backendFor(dtype);
  const ad = a.dtype === dtype ? floats(a, op) : Float64Array.from(floats(a, op));
  const bd = b.dtype === dtype ? floats(b, op) : Float64Array.from(floats(b, op));
  k.binary(op, ad, a.shape, bd, b.shape, floats(out, op), shape);
  return out;
}

function binary(
  op: BinaryOp,
  x: Operand,
  y: Operand,
  grads: (a: Tensor, b: Tensor, out: Tensor, dy: Tensor) => [Tensor | null, Tensor | null],
): Tensor {
  const a = typeof x === 'number' ? asTensor(x, y as Tensor) : x;
  const b = asTensor(y, a);
  const out = binaryRaw(op, a, b);
  return record(out, op, [a, b], (dy) => {
    const [da, db] = grads(a, b, out, dy);
    return [
      da && a.requiresGrad ? sumToShape(da, a.shape) : null,
      db && b.requiresGrad ? sumToShape(db, b.shape) : null,
    ];
  });
}

export function add(a: Operand, b: Operand): Tensor {
  return binary('add', a, b, (_a, _b, _o, dy) => [dy, dy]);
}

export function sub(a: Operand, b: Operand): Tensor {
  return binary('sub', a, b, (_a, _b, _o, dy) => [dy, binaryRaw('mul', dy, scalar(-1, dy.dtype))]);
}

export function mul(a: Operand, b: Operand): Tensor {
  return binary('mul', a, b, (x, y, _o, dy) => [binaryRaw('mul', dy, y), binaryRaw('mul', dy, x)]);
}

export function div(a: Operand, b: Operand): Tensor {
  return binary('div', a, b, (_x, y, out, dy) => {
    const da = binaryRaw('div', dy, y);
    // d(a/b)/db = -(a/b) / b
    const db = binaryRaw('mul', da, binaryRaw('mul', out, scalar(-1, out.dtype)));
    return [da, db];
  });
}

export function pow(a: Operand, b: Operand): Tensor {
  return binary('pow', a, b, (x, y, out, dy) => {
    // d/da = b * a^(b-1) = b * out / a (guarded at a = 0 by computing a^(b-1) directly)
    const da = binaryRaw(
      'mul',
      dy,
      binaryRaw('mul', y, binaryRaw('pow', x, binaryRaw('sub', y, scalar(1, y.dtype)))),
    );
    // d/db = out * log(a), taken as 0 where a <= 0: log of max(a, the smallest normal float)
    // is finite everywhere (subnormals may be flushed), and the mask (a > 0) zeroes it there.
    const tiny = scalar(x.dtype === 'float64' ? 2 ** -1022 : 2 ** -126, x.dtype);
    const logA = binaryRaw(
      'mul',
      unaryRaw('log', binaryRaw('maximum', x, tiny)),
      binaryRaw('greater', x, scalar(0, x.dtype)),
    );
    const db = binaryRaw('mul', dy, binaryRaw('mul', out, logA));
    return [da, db];
  });
}

export function maximum(a: Operand, b: Operand): Tensor {
  return binary('maximum', a, b, (x, y, _o, dy) => {
    const aWins = binaryRaw('greater_equal', x, y);
    return [
      binaryRaw('mul', dy, aWins),
      binaryRaw('mul', dy, binaryRaw('sub', scalar(1, aWins.dtype), aWins)),
    ];
  });
}

export function minimum(a: Operand, b: Operand): Tensor {
  return binary('minimum', a, b, (x, y, _o, dy) => {
    const aWins = binaryRaw('less', x, y);
    const bWins = binaryRaw('sub', scalar(1, aWins.dtype), aWins);
    // Ties go to a, as for maximum.
    const tie = binaryRaw('equal', x, y);
    return [
      binaryRaw('mul', dy, binaryRaw('add', aWins, tie)),
      binaryRaw('mul', dy, binaryRaw('sub', bWins, tie)),
    ];
  });
}

export function squaredDifference(a: Operand, b: Operand): Tensor {
  return binary('squared_difference', a, b, (x, y, _o, dy) => {
    const d = binaryRaw('mul', binaryRaw('sub', x, y), scalar(2, dy.dtype));
    const da = binaryRaw('mul', dy, d);
    return [da, binaryRaw('mul', da, scalar(-1, da.dtype))];
  });
}

/** Comparison ops: 1 or 0, not differentiable. */
export const greater = (a: Tensor, b: Operand): Tensor => binaryRaw('greater', a, asTensor(b, a));
export const greaterEqual = (a: Tensor, b: Operand): Tensor =>
  binaryRaw('greater_equal', a, asTensor(b, a));
export const less = (a: Tensor, b: Operand): Tensor => binaryRaw('less', a, asTensor(b, a));
export const equal = (a: Tensor, b: Operand): Tensor => binaryRaw('equal', a, asTensor(b, a));

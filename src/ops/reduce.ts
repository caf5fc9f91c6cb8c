import type { ReduceOp } from '../kernels/backend.js';
import { normalizeAxis, type Shape } from '../tensor/shape.js';
import { record } from '../tensor/tape.js';
import { Tensor, scalar } from '../tensor/tensor.js';
import { backendFor, broadcastBinary, floats, uninitialized } from './engine.js';

type Axes = number | readonly number[] | undefined;

function axesOf(axis: Axes, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  return [...new Set(list.map((a) => normalizeAxis(a, rank)))].sort((a, b) => a - b);
}

/** Reduces one axis, keeping it as size 1. No recording (building block). */
function reduceAxisRaw(op: ReduceOp, x: Tensor, axis: number): Tensor {
  const shape = x.shape;
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outShape = shape.map((d, i) => (i === axis ? 1 : d));
  const out = uninitialized(outShape, x.dtype);
  backendFor(x.dtype).reduce(op, floats(x, op), outer, shape[axis]!, inner, floats(out, op));
  return out;
}

function reduceRaw(op: ReduceOp, x: Tensor, axes: number[], keepDims: boolean): Tensor {
  let t = x;
  if (axes.length === 0) t = new Tensor(x.values.slice(), x.shape);
  // 'mean' over several axes: sum them all, then divide once.
  const step: ReduceOp = op === 'mean' ? 'sum' : op;
  for (const a of axes) if (t.shape[a] !== 1 || op !== 'mean') t = reduceAxisRaw(step, t, a);
  if (op === 'mean') {
    const count = axes.reduce((p, a) => p * x.shape[a]!, 1);
    t = broadcastBinary('div', t, t.shape, scalar(count, t.dtype), [], t.shape);
  }
  const shape = keepDims ? t.shape : x.shape.filter((_, i) => !axes.includes(i));
  return new Tensor(t.values, shape);
}

/** Sum over `axis` (all axes by default). */
export function sum(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  const axes = axesOf(axis, x.rank);
  const out = reduceRaw('sum', x, axes, keepDims);
  return record(out, 'sum', [x], (dy) => [broadcastTo(dy, x.shape, axes)]);
}

/** Mean over `axis` (all axes by default). */
export function mean(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  const axes = axesOf(axis, x.rank);
  const out = reduceRaw('mean', x, axes, keepDims);
  const count = axes.reduce((p, a) => p * x.shape[a]!, 1);
  return record(out, 'mean', [x], (dy) => [
    broadcastBinary('div', dy, keptShape(x.shape, axes), scalar(count, dy.dtype), [], x.shape),
  ]);
}

/** Max over `axis`; the gradient goes to every position equal to the max. */
export function max(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  return extreme('max', x, axis, keepDims);
}

export function min(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  return extreme('min', x, axis, keepDims);
}

function extreme(op: 'max' | 'min', x: Tensor, axis: Axes, keepDims: boolean): Tensor {
  const axes = axesOf(axis, x.rank);
  const out = reduceRaw(op, x, axes, keepDims);
  return record(out, op, [x], (dy) => {
    const kept = keptShape(x.shape, axes);
    const isExtreme = broadcastBinary('equal', x, x.shape, out, kept, x.shape);
    return [broadcastBinary('mul', isExtreme, x.shape, dy, kept, x.shape)];
  });
}

/** Index of the maximum along `axis` (default last), as int32. */
export function argmax(x: Tensor, axis = -1): Tensor {
  const a = normalizeAxis(axis, x.rank);
  const outer = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = x.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const out = new Int32Array(outer * inner);
  backendFor(x.dtype).argmax(floats(x, 'argmax'), outer, x.shape[a]!, inner, out);
  return new Tensor(
    out,
    x.shape.filter((_, i) => i !== a),
  );
}

/** `shape` with `axes` set to 1: how a reduced tensor lines up against its input. */
function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/**
 * Repeats `t` (whose `axes` were reduced away, kept or not) back to `shape`. A fresh tensor,
 * safe to modify.
 */
export function broadcastTo(t: Tensor, shape: Shape, axes: readonly number[]): Tensor {
  // t + 0, read at the kept shape: the binary kernel does the broadcasting.
  return broadcastBinary('add', t, keptShape(shape, axes), scalar(0, t.dtype), [], shape);
}

/** Sums a broadcast gradient back down to `shape` (the inverse of NumPy broadcasting). */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    const target = i < lead ? 1 : shape[i - lead]!;
    if (target === 1 && g.shape[i] !== 1) axes.push(i);
  }
  const r = reduceRaw('sum', g, axes, true);
  return new Tensor(r.values, shape);
}

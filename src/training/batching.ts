import { allocate, type TypedArray } from '../tensor/dtype.js';
import { backendFor } from '../ops/engine.js';
import { fresh } from '../tensor/buffer-pool.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Samples in a dataset given as one tensor or a list of input tensors. */
export function sampleCount(x: Tensor | readonly Tensor[]): number {
  const list = Array.isArray(x) ? x : [x as Tensor];
  if (list.length === 0) throw new Error('No input tensors given.');
  const n = list[0]!.shape[0];
  if (n === undefined) throw new Error('Inputs need a batch (first) dimension.');
  for (const t of list) {
    if (t.shape[0] !== n) {
      throw new Error(
        `All inputs must have the same number of samples; got shapes ${list.map((t) => formatShape(t.shape)).join(', ')}.`,
      );
    }
  }
  return n;
}

/**
 * Rows `indices` (or start..end) of a tensor, copied into a new tensor, or into `buffers`' array
 * for `t` (kept there for the next batch) when given.
 */
export function gatherRows(
  t: Tensor,
  indices: Int32Array | null,
  start: number,
  end: number,
  buffers?: BatchBuffers,
): Tensor {
  const n = t.shape[0]!;
  const row = n === 0 ? 0 : t.size / n;
  const count = end - start;
  const shape = [count, ...t.shape.slice(1)];
  if (!indices && !buffers) return new Tensor(t.values.slice(start * row, end * row), shape);
  const out = buffers ? buffers.get(t, count * row) : allocate(t.dtype, count * row);
  const src = t.values;
  if (!indices) {
    out.set(src.subarray(start * row, end * row));
  } else if (buffers && src instanceof Float32Array) {
    backendFor('float32').gatherRows(src, row, indices.subarray(start, end), out as Float32Array);
  } else if (row === 1) {
    for (let i = 0; i < count; i++) out[i] = src[indices[start + i]!]!;
  } else {
    for (let i = 0; i < count; i++) {
      const r = indices[start + i]!;
      out.set(src.subarray(r * row, (r + 1) * row), i * row);
    }
  }
  return new Tensor(out, shape);
}

export function gatherInputs(
  x: Tensor | readonly Tensor[],
  indices: Int32Array | null,
  start: number,
  end: number,
  buffers?: BatchBuffers,
): Tensor | Tensor[] {
  return Array.isArray(x)
    ? x.map((t: Tensor) => gatherRows(t, indices, start, end, buffers))
    : gatherRows(x as Tensor, indices, start, end, buffers);
}

/**
 * One batch-sized array per dataset tensor, reused from batch to batch: a batch's tensors are
 * only read until the next batch is gathered. A shorter last batch gets a view of the front.
 */
export class BatchBuffers {
  private readonly arrays = new Map<Tensor, TypedArray>();

  get(t: Tensor, size: number): TypedArray {
    let a = this.arrays.get(t);
    if (!a || a.length < size) {
      a = fresh(t.dtype, size);
      this.arrays.set(t, a);
    }
    return a.length === size ? a : a.subarray(0, size);
  }
}

/** The first `count` rows (a view, no copy) and the rest. */
export function splitAt(t: Tensor, count: number): [Tensor, Tensor] {
  const n = t.shape[0]!;
  const row = n === 0 ? 0 : t.size / n;
  return [
    new Tensor(t.values.subarray(0, count * row), [count, ...t.shape.slice(1)]),
    new Tensor(t.values.subarray(count * row), [n - count, ...t.shape.slice(1)]),
  ];
}

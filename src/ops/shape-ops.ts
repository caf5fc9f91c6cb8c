import { formatShape, inferShape, normalizeAxis, type Shape } from '../tensor/shape.js';
import { record } from '../tensor/tape.js';
import { Tensor } from '../tensor/tensor.js';
import { backendFor, empty, floats } from './engine.js';

/** Same data, new shape (one dimension may be -1). Shares the buffer. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const target = inferShape(shape, x.size);
  const out = new Tensor(x.values, target);
  return record(out, 'reshape', [x], (dy) => [new Tensor(dy.values, x.shape)]);
}

/** [n, ...] -> [n, prod(...)]. */
export function flatten(x: Tensor): Tensor {
  if (x.rank < 1) throw new Error('flatten needs a tensor with a batch dimension.');
  return reshape(x, [x.shape[0]!, x.size / Math.max(1, x.shape[0]!)]);
}

/** Permutes dimensions (default: reverse them). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm
    ? perm.map((a) => normalizeAxis(a, x.rank))
    : x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || new Set(p).size !== p.length) {
    throw new Error(`transpose: ${formatShape(p)} is not a permutation of ${x.rank} axes.`);
  }
  const out = empty(
    p.map((a) => x.shape[a]!),
    x.dtype,
  );
  backendFor(x.dtype).transpose(floats(x, 'transpose'), x.shape, p, floats(out, 'transpose'));
  const inverse = new Array<number>(p.length);
  p.forEach((a, i) => (inverse[a] = i));
  return record(out, 'transpose', [x], (dy) => [transpose(dy, inverse)]);
}

/** Rows start..end-1 of the first dimension (a copy). */
export function sliceRows(x: Tensor, start: number, end: number): Tensor {
  const n = x.shape[0]!;
  if (!(start >= 0 && end <= n && start <= end)) {
    throw new RangeError(`sliceRows(${start}, ${end}) is outside the ${n} rows.`);
  }
  const row = x.size / Math.max(1, n);
  const out = new Tensor(x.values.slice(start * row, end * row), [
    end - start,
    ...x.shape.slice(1),
  ]);
  return record(out, 'sliceRows', [x], (dy) => {
    const dx = empty(x.shape, dy.dtype);
    dx.values.set(dy.values, start * row);
    return [dx];
  });
}

/** Concatenates along `axis`. */
export function concat(xs: readonly Tensor[], axis = -1): Tensor {
  if (xs.length === 0) throw new Error('concat needs at least one tensor.');
  const first = xs[0]!;
  const a = normalizeAxis(axis, first.rank);
  for (const t of xs) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new Error(
        `concat: shapes ${xs.map((x) => formatShape(x.shape)).join(', ')} differ outside axis ${a}.`,
      );
    }
  }
  const outer = first.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = first.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const total = xs.reduce((p, t) => p + t.shape[a]!, 0);
  const out = empty(
    first.shape.map((d, i) => (i === a ? total : d)),
    first.dtype,
  );
  let offset = 0;
  for (const t of xs) {
    const w = t.shape[a]! * inner;
    for (let o = 0; o < outer; o++)
      out.values.set(t.values.subarray(o * w, (o + 1) * w), o * total * inner + offset);
    offset += w;
  }
  return record(out, 'concat', xs, (dy) => {
    let off = 0;
    return xs.map((t) => {
      const w = t.shape[a]! * inner;
      const g = empty(t.shape, dy.dtype);
      for (let o = 0; o < outer; o++)
        g.values.set(
          dy.values.subarray(o * total * inner + off, o * total * inner + off + w),
          o * w,
        );
      off += w;
      return g;
    });
  });
}

/** The value with no gradient history. */
export function stopGradient(x: Tensor): Tensor {
  return new Tensor(x.values, x.shape);
}

/** Converts between float32 and float64 (differentiable). */
export function cast(x: Tensor, dtype: 'float32' | 'float64'): Tensor {
  if (x.dtype === dtype) return x;
  const out = empty(x.shape, dtype);
  out.values.set(x.values);
  return record(out, 'cast', [x], (dy) => {
    const g = empty(x.shape, x.dtype);
    g.values.set(dy.values);
    return [g];
  });
}

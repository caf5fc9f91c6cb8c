import { formatShape } from '../tensor/shape.js';
import { record } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty } from './engine.js';

/**
 * The block of `x` starting at `begin` with `size` elements per axis (TF.js `tf.slice`). A number
 * for `begin` / `size` applies to the first axis; missing axes are taken whole; a size of -1
 * runs to the end of its axis. A copy; the gradient scatters back into zeros.
 */
export function slice(
  x: Tensor,
  begin: number | readonly number[],
  size?: number | readonly number[],
): Tensor {
  const rank = x.rank;
  const b = typeof begin === 'number' ? [begin] : [...begin];
  const s = size === undefined ? [] : typeof size === 'number' ? [size] : [...size];
  if (b.length > rank || s.length > rank) {
    throw new Error(
      `slice: begin ${formatShape(b)} / size ${formatShape(s)} have more axes than the tensor's shape ${formatShape(x.shape)}.`,
    );
  }
  const start: number[] = [];
  const count: number[] = [];
  for (let a = 0; a < rank; a++) {
    const dim = x.shape[a]!;
    const st = b[a] ?? 0;
    const sz = s[a] === undefined || s[a] === -1 ? dim - st : s[a]!;
    if (!Number.isInteger(st) || !Number.isInteger(sz) || st < 0 || sz < 0 || st + sz > dim) {
      throw new RangeError(
        `slice: begin ${formatShape(b)} with size ${formatShape(s)} is outside shape ${formatShape(x.shape)} (axis ${a}).`,
      );
    }
    start.push(st);
    count.push(sz);
  }
  const out = empty(count, x.dtype);
  copyBlock(x.values, x.shape, out.values, count, start, false);
  return record(out, 'slice', [x], (dy) => {
    const dx = empty(x.shape, dy.dtype);
    copyBlock(dx.values, x.shape, dy.values, count, start, true);
    return [dx];
  });
}

/** Copies the block between a full array (`full`, of `shape`) and a dense one (`block`). */
function copyBlock(
  full: Float32Array | Float64Array | Int32Array,
  shape: readonly number[],
  block: Float32Array | Float64Array | Int32Array,
  count: readonly number[],
  start: readonly number[],
  intoFull: boolean,
): void {
  const rank = shape.length;
  if (rank === 0) {
    if (intoFull) full[0] = block[0]!;
    else block[0] = full[0]!;
    return;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let a = rank - 2; a >= 0; a--) strides[a] = strides[a + 1]! * shape[a + 1]!;
  const inner = count[rank - 1]!;
  const rows = count.slice(0, -1).reduce((p, d) => p * d, 1);
  const idx = new Array<number>(Math.max(0, rank - 1)).fill(0);
  for (let r = 0; r < rows; r++) {
    let offset = start[rank - 1]!;
    for (let a = 0; a < rank - 1; a++) offset += (start[a]! + idx[a]!) * strides[a]!;
    const at = r * inner;
    if (intoFull) full.set(block.subarray(at, at + inner), offset);
    else block.set(full.subarray(offset, offset + inner), at);
    for (let a = rank - 2; a >= 0; a--) {
      if (++idx[a]! < count[a]!) break;
      idx[a] = 0;
    }
  }
}

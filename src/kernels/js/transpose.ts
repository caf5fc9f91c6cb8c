import type { FloatArray } from '../backend.js';
import { checkLength, sizeOf, stridesOf } from './check.js';

/** out = x permuted: out's dimension d is x's dimension perm[d]. */
export function transpose(
  x: FloatArray,
  shape: readonly number[],
  perm: readonly number[],
  out: FloatArray,
): void {
  const rank = shape.length;
  if (!isPermutation(perm, rank)) {
    throw new RangeError(`transpose: [${perm}] is not a permutation of ${rank} axes`);
  }
  const size = sizeOf(shape);
  checkLength('transpose', 'x', x, size);
  checkLength('transpose', 'out', out, size);
  if (size === 0) return;
  if (rank === 0) {
    out[0] = x[0];
    return;
  }

  const outShape = perm.map((p) => shape[p]);
  const xStrides = stridesOf(shape);
  // Step through x by this much when out's index d advances by one.
  const src = perm.map((p) => xStrides[p]);
  const last = rank - 1;
  const rowLen = outShape[last];
  const step = src[last];
  const index = new Array<number>(last).fill(0);
  let off = 0;
  for (let o = 0; o < size; o += rowLen) {
    for (let j = 0; j < rowLen; j++) out[o + j] = x[off + j * step];
    for (let d = last - 1; d >= 0; d--) {
      index[d]++;
      off += src[d];
      if (index[d] < outShape[d]) break;
      index[d] = 0;
      off -= src[d] * outShape[d];
    }
  }
}

function isPermutation(perm: readonly number[], rank: number): boolean {
  if (perm.length !== rank) return false;
  const seen = new Array<boolean>(rank).fill(false);
  for (const p of perm) {
    if (!Number.isInteger(p) || p < 0 || p >= rank || seen[p]) return false;
    seen[p] = true;
  }
  return true;
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertSameValues } from '../../../test/helpers/numeric.js';
import { sizeOf, stridesOf } from './check.js';
import { transpose } from './transpose.js';

/** out[idx] = x[idx mapped back through perm], unravelling every out index. */
function naiveTranspose(x: ArrayLike<number>, shape: number[], perm: number[]): Float64Array {
  const outShape = perm.map((p) => shape[p]);
  const xStrides = stridesOf(shape);
  const out = new Float64Array(sizeOf(shape));
  for (let o = 0; o < out.length; o++) {
    let rest = o;
    let src = 0;
    for (let d = outShape.length - 1; d >= 0; d--) {
      src += (rest % outShape[d]) * xStrides[perm[d]];
      rest = Math.floor(rest / outShape[d]);
    }
    out[o] = x[src];
  }
  return out;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
  );
}

test('transpose: a 2x3 matrix', () => {
  const out = new Float64Array(6);
  transpose(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0], out);
  assertSameValues(out, [1, 4, 2, 5, 3, 6]);
});

test('transpose: every permutation of rank 1 to 4 matches the definition', () => {
  const shapes = [[5], [3, 4], [2, 3, 4], [2, 3, 1, 5]];
  for (const shape of shapes) {
    const x = new Float64Array(sizeOf(shape)).map((_, i) => i);
    for (const perm of permutations(shape.length)) {
      const out = new Float64Array(x.length);
      transpose(x, shape, perm, out);
      assertSameValues(out, naiveTranspose(x, shape, perm), `[${shape}] perm [${perm}]`);
    }
  }
});

test('transpose: scalars and empty arrays', () => {
  const out = new Float64Array(1);
  transpose(new Float64Array([7]), [], [], out);
  assertSameValues(out, [7]);
  transpose(new Float64Array(0), [0, 3], [1, 0], new Float64Array(0));
});

test('transpose: a non-permutation is rejected', () => {
  const x = new Float64Array(6);
  assert.throws(() => transpose(x, [2, 3], [0, 0], x), /not a permutation/);
  assert.throws(() => transpose(x, [2, 3], [1], x), /not a permutation/);
});

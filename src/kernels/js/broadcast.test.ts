import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertSameValues } from '../../../test/helpers/numeric.js';
import { integers, mulberry32, uniforms } from '../../../test/helpers/seeded-random.js';
import type { BinaryOp } from '../backend.js';
import { binary, binaryFn } from './broadcast.js';
import { sizeOf } from './check.js';

const ops: BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'squared_difference',
  'greater',
  'greater_equal',
  'less',
  'equal',
];

/** NumPy's rule written out: unravel each out index, clamp broadcast dimensions to 0. */
function naiveBinary(
  op: BinaryOp,
  a: ArrayLike<number>,
  aShape: number[],
  b: ArrayLike<number>,
  bShape: number[],
  outShape: number[],
): Float64Array {
  const f = binaryFn(op);
  const read = (arr: ArrayLike<number>, shape: number[], index: number[]): number => {
    const offset = index.length - shape.length;
    let flat = 0;
    for (let d = 0; d < shape.length; d++)
      flat = flat * shape[d] + (shape[d] === 1 ? 0 : index[d + offset]);
    return arr[flat];
  };
  const out = new Float64Array(sizeOf(outShape));
  for (let o = 0; o < out.length; o++) {
    const index = new Array<number>(outShape.length);
    let rest = o;
    for (let d = outShape.length - 1; d >= 0; d--) {
      index[d] = rest % outShape[d];
      rest = Math.floor(rest / outShape[d]);
    }
    out[o] = f(read(a, aShape, index), read(b, bShape, index));
  }
  return out;
}

test('binary: [2, 1, 3] + [4, 1] broadcasts to [2, 4, 3]', () => {
  const a = new Float64Array([1, 2, 3, 4, 5, 6]);
  const b = new Float64Array([10, 20, 30, 40]);
  const out = new Float64Array(24);
  binary('add', a, [2, 1, 3], b, [4, 1], out, [2, 4, 3]);
  const want: number[] = [];
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) want.push(a[i * 3 + k] + b[j]);
  assertSameValues(out, want);
});

test('binary: every op agrees with the unravelled definition on broadcasting shapes', () => {
  const rng = mulberry32(7);
  const cases: [number[], number[], number[]][] = [
    [
      [3, 4],
      [3, 4],
      [3, 4],
    ],
    [[3, 4], [], [3, 4]],
    [[], [3, 4], [3, 4]],
    [[3, 4], [1], [3, 4]],
    [[3, 4], [4], [3, 4]],
    [
      [3, 1],
      [3, 4],
      [3, 4],
    ],
    [
      [2, 1, 3],
      [4, 1],
      [2, 4, 3],
    ],
    [
      [1, 5],
      [3, 1],
      [3, 5],
    ],
    [
      [2, 3, 1, 5],
      [3, 4, 1],
      [2, 3, 4, 5],
    ],
    [[0, 3], [3], [0, 3]],
    [[], [], []],
  ];
  for (const op of ops) {
    for (const [aShape, bShape, outShape] of cases) {
      // Small integers make ties (equal, greater_equal) and exact pow results common.
      const a =
        op === 'pow' ? uniforms(rng, sizeOf(aShape), 0.1, 3) : integers(rng, sizeOf(aShape), -3, 3);
      const b =
        op === 'div' ? integers(rng, sizeOf(bShape), 1, 4) : integers(rng, sizeOf(bShape), -3, 3);
      const out = new Float64Array(sizeOf(outShape));
      binary(op, a, aShape, b, bShape, out, outShape);
      assertSameValues(
        out,
        naiveBinary(op, a, aShape, b, bShape, outShape),
        `${op} [${aShape}] [${bShape}]`,
      );
    }
  }
});

test('binary: out may alias a when a has the output shape', () => {
  const a = new Float64Array([1, 2, 3, 4, 5, 6]);
  binary('mul', a, [2, 3], new Float64Array([10, 100]), [2, 1], a, [2, 3]);
  assertSameValues(a, [10, 20, 30, 400, 500, 600]);
});

test('binary: comparisons give 1 or 0, maximum propagates NaN', () => {
  const a = new Float64Array([1, 2, 3, NaN]);
  const b = new Float64Array([2, 2, 2, 0]);
  const out = new Float64Array(4);
  binary('greater_equal', a, [4], b, [4], out, [4]);
  assertSameValues(out, [0, 1, 1, 0]);
  binary('maximum', a, [4], b, [4], out, [4]);
  assertSameValues(out, [2, 2, 3, NaN]);
});

test('binary: shapes that do not broadcast are rejected', () => {
  const x = new Float64Array(12);
  assert.throws(() => binary('add', x, [3, 4], x, [3], x, [3, 4]), /does not broadcast/);
  assert.throws(() => binary('add', x, [1, 3, 4], x, [4], x, [3, 4]), /more dimensions/);
});

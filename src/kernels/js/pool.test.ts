import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describePool,
  poolGeometry,
  poolSizes,
  type PoolSpec,
} from '../../../test/helpers/geometry.js';
import {
  assertAllClose,
  assertSameValues,
  centralDifference,
  dot,
} from '../../../test/helpers/numeric.js';
import { mulberry32 } from '../../../test/helpers/seeded-random.js';
import { avgPool, avgPoolBackward, maxPool, maxPoolBackward } from './pool.js';

// 4x4 single-channel image 0..15 (row-major).
const grid = new Float64Array(16).map((_, i) => i);

test('maxPool: 2x2 windows, stride 2, with flat argmax indices into x', () => {
  const g = poolGeometry({ n: 1, inH: 4, inW: 4, c: 1, pool: 2 });
  const y = new Float64Array(4);
  const arg = new Int32Array(4);
  maxPool(grid, g, y, arg);
  assertSameValues(y, [5, 7, 13, 15]);
  assertSameValues(arg, [5, 7, 13, 15]);
});

test('maxPool: argmax counts the batch and channel offsets, and keeps the first of ties', () => {
  // n=2, 2x2 image, 2 channels; one window covers each image.
  const x = new Float64Array([1, 9, 3, 9, 3, 0, 2, 9, /* image 2 */ 4, 4, 4, 4, 4, 4, 4, 4]);
  const g = poolGeometry({ n: 2, inH: 2, inW: 2, c: 2, pool: 2 });
  const y = new Float64Array(4);
  const arg = new Int32Array(4);
  maxPool(x, g, y, arg);
  assertSameValues(y, [3, 9, 4, 4]);
  assertSameValues(arg, [2, 1, 8, 9]);
});

test('avgPool: same padding averages only the in-bounds positions', () => {
  // 3x3 input, 2x2 pool, stride 2, 'same': out 2x2, one pad row/column at the bottom/right.
  const x = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const g = poolGeometry({ n: 1, inH: 3, inW: 3, c: 1, pool: 2, padding: 'same' });
  assert.deepEqual([g.outH, g.outW, g.padTop, g.padLeft], [2, 2, 0, 0]);
  const y = new Float64Array(4);
  avgPool(x, g, y);
  assertSameValues(y, [(1 + 2 + 4 + 5) / 4, (3 + 6) / 2, (7 + 8) / 2, 9]);
  const yMax = new Float64Array(4);
  maxPool(x, g, yMax, new Int32Array(4));
  assertSameValues(yMax, [5, 6, 8, 9]);
});

const specs: PoolSpec[] = [
  { n: 2, inH: 6, inW: 6, c: 3, pool: 2 },
  { n: 1, inH: 7, inW: 7, c: 2, pool: 3, stride: 2 },
  { n: 1, inH: 7, inW: 6, c: 2, pool: 3, stride: 2, padding: 'same' },
  { n: 2, inH: 5, inW: 5, c: 1, pool: 2, stride: 1 },
  { n: 1, inH: 5, inW: 5, c: 3, pool: 3, stride: 1, padding: 'same' },
  { n: 1, inH: 8, inW: 7, c: 2, pool: 2, stride: 3 },
  { n: 1, inH: 6, inW: 5, c: 2, pool: [2, 3], stride: [2, 1], padding: 'same' },
];

test('maxPool and avgPool backward: match central differences in float64', () => {
  const rng = mulberry32(31);
  for (const spec of specs) {
    const g = poolGeometry(spec);
    const sizes = poolSizes(g);
    // A shuffled ramp: distinct values at least 1e-2 apart, so no max is within a step of a tie.
    const x = new Float64Array(sizes.x).map((_, i) => i * 0.01);
    for (let i = x.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [x[i], x[j]] = [x[j], x[i]];
    }
    const dy = new Float64Array(sizes.y).map(() => rng() * 2 - 1);
    const y = new Float64Array(sizes.y);
    const arg = new Int32Array(sizes.y);
    const maxLoss = (): number => {
      maxPool(x, g, y, arg);
      return dot(dy, y);
    };
    const avgLoss = (): number => {
      avgPool(x, g, y);
      return dot(dy, y);
    };
    const numericMax = x.map((_, i) => centralDifference(maxLoss, x, i, 1e-4));
    const numericAvg = x.map((_, i) => centralDifference(avgLoss, x, i, 1e-4));
    maxPool(x, g, y, arg);
    const dx = new Float64Array(sizes.x).fill(NaN);
    maxPoolBackward(dy, arg, dx);
    assertAllClose(dx, numericMax, { rel: 1e-8, abs: 1e-9 }, `maxPool dx ${describePool(g)}`);
    dx.fill(NaN);
    avgPoolBackward(dy, g, dx);
    assertAllClose(dx, numericAvg, { rel: 1e-8, abs: 1e-9 }, `avgPool dx ${describePool(g)}`);
  }
});

test('maxPoolBackward: overlapping windows add up in the same input', () => {
  const x = new Float64Array([0, 0, 0, 0, 9, 0, 0, 0, 0]);
  const g = poolGeometry({ n: 1, inH: 3, inW: 3, c: 1, pool: 2, stride: 1 });
  const y = new Float64Array(4);
  const arg = new Int32Array(4);
  maxPool(x, g, y, arg);
  const dx = new Float64Array(9);
  maxPoolBackward(new Float64Array([1, 2, 3, 4]), arg, dx);
  assertSameValues(dx, [0, 0, 0, 0, 10, 0, 0, 0, 0]);
});

test('pools: a window entirely outside the input is rejected', () => {
  const g = { ...poolGeometry({ n: 1, inH: 4, inW: 4, c: 1, pool: 2 }), padTop: 2 };
  assert.throws(() => avgPool(grid, g, new Float64Array(4)), /entirely outside/);
  const tooMany = { ...poolGeometry({ n: 1, inH: 4, inW: 4, c: 1, pool: 2 }), outW: 3 };
  assert.throws(
    () => maxPool(grid, tooMany, new Float64Array(6), new Int32Array(6)),
    /entirely outside/,
  );
});

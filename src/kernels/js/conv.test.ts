import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  convGeometry,
  convSizes,
  describeConv,
  type ConvSpec,
} from '../../../test/helpers/geometry.js';
import {
  assertAllClose,
  assertSameValues,
  centralDifference,
  dot,
} from '../../../test/helpers/numeric.js';
import { mulberry32, uniforms } from '../../../test/helpers/seeded-random.js';
import type { ConvGeometry } from '../backend.js';
import { conv2d, conv2dBackwardFilter, conv2dBackwardInput } from './conv.js';

/** The definition in seven loops, straight from ConvGeometry's doc comment. */
function naiveConv(x: ArrayLike<number>, w: ArrayLike<number>, g: ConvGeometry): Float64Array {
  const y = new Float64Array(convSizes(g).y);
  for (let b = 0; b < g.n; b++)
    for (let oh = 0; oh < g.outH; oh++)
      for (let ow = 0; ow < g.outW; ow++)
        for (let co = 0; co < g.outC; co++) {
          let s = 0;
          for (let i = 0; i < g.kH; i++)
            for (let j = 0; j < g.kW; j++)
              for (let ci = 0; ci < g.inC; ci++) {
                const ih = oh * g.strideH - g.padTop + i * g.dilationH;
                const iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) continue;
                s +=
                  x[((b * g.inH + ih) * g.inW + iw) * g.inC + ci] *
                  w[((i * g.kW + j) * g.inC + ci) * g.outC + co];
              }
          y[((b * g.outH + oh) * g.outW + ow) * g.outC + co] = s;
        }
  return y;
}

const specs: ConvSpec[] = [
  { n: 1, inH: 4, inW: 4, inC: 1, outC: 1, kH: 1, kW: 1 },
  { n: 2, inH: 5, inW: 5, inC: 1, outC: 2, kH: 3, kW: 3 },
  { n: 2, inH: 7, inW: 6, inC: 3, outC: 5, kH: 3, kW: 2, padding: 'same' },
  { n: 1, inH: 9, inW: 9, inC: 2, outC: 3, kH: 3, kW: 3, stride: 2 },
  { n: 3, inH: 8, inW: 7, inC: 3, outC: 4, kH: 3, kW: 3, stride: 2, padding: 'same' },
  { n: 2, inH: 9, inW: 8, inC: 3, outC: 2, kH: 3, kW: 3, dilation: 2 },
  { n: 1, inH: 7, inW: 7, inC: 2, outC: 3, kH: 3, kW: 2, dilation: [2, 3], padding: 'same' },
  { n: 1, inH: 3, inW: 3, inC: 1, outC: 2, kH: 5, kW: 5, padding: 'same' },
  { n: 1, inH: 6, inW: 5, inC: 2, outC: 3, kH: 2, kW: 3, stride: [1, 2], padding: 'same' },
];

test('conv2d: a hand-computed 3x3 input and 2x2 filter', () => {
  const x = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const w = new Float64Array([1, 0, 0, 1]); // adds each pixel to its lower-right neighbour
  const valid = convGeometry({ n: 1, inH: 3, inW: 3, inC: 1, outC: 1, kH: 2, kW: 2 });
  const y = new Float64Array(4);
  conv2d(x, w, valid, y);
  assertSameValues(y, [6, 8, 12, 14]);
  // 'same' pads one zero row/column at the bottom/right only.
  const same = convGeometry({
    n: 1,
    inH: 3,
    inW: 3,
    inC: 1,
    outC: 1,
    kH: 2,
    kW: 2,
    padding: 'same',
  });
  assert.equal(same.padTop, 0);
  const ys = new Float64Array(9);
  conv2d(x, w, same, ys);
  assertSameValues(ys, [6, 8, 3, 12, 14, 6, 7, 8, 9]);
});

test('conv2d: matches the seven-loop definition (padding, stride, dilation, channels)', () => {
  const rng = mulberry32(21);
  for (const spec of specs) {
    const g = convGeometry(spec);
    const sizes = convSizes(g);
    const x = uniforms(rng, sizes.x);
    const w = uniforms(rng, sizes.w);
    const y = new Float64Array(sizes.y).fill(NaN);
    conv2d(x, w, g, y);
    assertAllClose(y, naiveConv(x, w, g), { rel: 1e-12, abs: 1e-14 }, describeConv(g));
  }
});

test('conv2d backward: input and filter gradients match central differences in float64', () => {
  const rng = mulberry32(22);
  for (const spec of specs) {
    const g = convGeometry(spec);
    const sizes = convSizes(g);
    const x = uniforms(rng, sizes.x);
    const w = uniforms(rng, sizes.w);
    const dy = uniforms(rng, sizes.y);
    const y = new Float64Array(sizes.y);
    const loss = (): number => {
      conv2d(x, w, g, y);
      return dot(dy, y);
    };
    const dx = new Float64Array(sizes.x).fill(NaN);
    const dw = new Float64Array(sizes.w).fill(NaN);
    conv2dBackwardInput(dy, w, g, dx);
    conv2dBackwardFilter(x, dy, g, dw);
    // The loss is linear in each argument, so central differences are exact up to rounding.
    const numericX = x.map((_, i) => centralDifference(loss, x, i, 1e-3));
    const numericW = w.map((_, i) => centralDifference(loss, w, i, 1e-3));
    assertAllClose(dx, numericX, { rel: 1e-8, abs: 1e-9 }, `dx ${describeConv(g)}`);
    assertAllClose(dw, numericW, { rel: 1e-8, abs: 1e-9 }, `dw ${describeConv(g)}`);
  }
});

test('conv2d: float32 outputs are the double results rounded once', () => {
  const rng = mulberry32(23);
  const g = convGeometry({ n: 2, inH: 6, inW: 6, inC: 3, outC: 4, kH: 3, kW: 3, padding: 'same' });
  const sizes = convSizes(g);
  const x = uniforms(rng, sizes.x);
  const w = uniforms(rng, sizes.w);
  const y64 = new Float64Array(sizes.y);
  const y32 = new Float32Array(sizes.y);
  conv2d(x, w, g, y64);
  conv2d(new Float32Array(x), new Float32Array(w), g, y32);
  assertSameValues(y32, Float32Array.from(y64));
});

test('conv2d: short arrays and bad geometry are rejected', () => {
  const g = convGeometry({ n: 1, inH: 3, inW: 3, inC: 1, outC: 1, kH: 2, kW: 2 });
  assert.throws(
    () => conv2d(new Float64Array(8), new Float64Array(4), g, new Float64Array(4)),
    /x has 8 items/,
  );
  assert.throws(
    () =>
      conv2d(new Float64Array(9), new Float64Array(4), { ...g, strideH: 0 }, new Float64Array(4)),
    /strideH/,
  );
});

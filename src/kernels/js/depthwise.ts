import type { ConvGeometry, FloatArray } from '../backend.js';
import { checkLength } from './check.js';
import { checkGeometry, forEachTap } from './conv.js';

/**
 * Depthwise 2-D convolution, channels-last, as direct loops: output channel ci * mult + m is
 * input channel ci under filter w[:, :, ci, m]. Sums are kept in double per image (or per
 * filter) and rounded once into the output.
 */

/** The channel multiplier, after checking the geometry describes a depthwise conv. */
function checkDepthwise(kernel: string, g: ConvGeometry): number {
  checkGeometry(kernel, g);
  const mult = g.inC === 0 ? 0 : g.outC / g.inC;
  if (!Number.isInteger(mult) || (g.inC === 0 && g.outC !== 0)) {
    throw new RangeError(`${kernel}: outC ${g.outC} must be a multiple of inC ${g.inC}`);
  }
  return mult;
}

const xSize = (g: ConvGeometry): number => g.n * g.inH * g.inW * g.inC;
const wSize = (g: ConvGeometry): number => g.kH * g.kW * g.outC;
const ySize = (g: ConvGeometry): number => g.n * g.outH * g.outW * g.outC;

/** y[b, oh, ow, ci*mult + m] = sum_{i, j} x[b, ih, iw, ci] * w[i, j, ci, m]. */
export function depthwiseConv2d(x: FloatArray, w: FloatArray, g: ConvGeometry, y: FloatArray) {
  const mult = checkDepthwise('depthwiseConv2d', g);
  checkLength('depthwiseConv2d', 'x', x, xSize(g));
  checkLength('depthwiseConv2d', 'w', w, wSize(g));
  checkLength('depthwiseConv2d', 'y', y, ySize(g));
  const xImage = g.inH * g.inW * g.inC;
  const yImage = g.outH * g.outW * g.outC;
  const acc = new Float64Array(yImage);
  for (let b = 0; b < g.n; b++) {
    const xBase = b * xImage;
    acc.fill(0);
    forEachTap(
      g,
      (yPix, xPix, tap) => {
        for (let ci = 0; ci < g.inC; ci++) {
          const xv = x[xBase + xPix + ci];
          const o = ci * mult;
          for (let m = 0; m < mult; m++) acc[yPix + o + m] += xv * w[tap + o + m];
        }
      },
      g.outC,
    );
    y.set(acc, b * yImage);
  }
}

/** dx[b, ih, iw, ci] = sum over the taps that read it and m of dy[.., ci*mult + m] * w[i, j, ci, m]. */
export function depthwiseConv2dBackwardInput(
  dy: FloatArray,
  w: FloatArray,
  g: ConvGeometry,
  dx: FloatArray,
): void {
  const mult = checkDepthwise('depthwiseConv2dBackwardInput', g);
  checkLength('depthwiseConv2dBackwardInput', 'dy', dy, ySize(g));
  checkLength('depthwiseConv2dBackwardInput', 'w', w, wSize(g));
  checkLength('depthwiseConv2dBackwardInput', 'dx', dx, xSize(g));
  const xImage = g.inH * g.inW * g.inC;
  const yImage = g.outH * g.outW * g.outC;
  const acc = new Float64Array(xImage);
  for (let b = 0; b < g.n; b++) {
    const yBase = b * yImage;
    acc.fill(0);
    forEachTap(
      g,
      (yPix, xPix, tap) => {
        for (let ci = 0; ci < g.inC; ci++) {
          const o = ci * mult;
          let sum = 0;
          for (let m = 0; m < mult; m++) sum += dy[yBase + yPix + o + m] * w[tap + o + m];
          acc[xPix + ci] += sum;
        }
      },
      g.outC,
    );
    dx.set(acc, b * xImage);
  }
}

/** dw[i, j, ci, m] = sum_{b, oh, ow} x[b, ih, iw, ci] * dy[b, oh, ow, ci*mult + m]. */
export function depthwiseConv2dBackwardFilter(
  x: FloatArray,
  dy: FloatArray,
  g: ConvGeometry,
  dw: FloatArray,
): void {
  const mult = checkDepthwise('depthwiseConv2dBackwardFilter', g);
  checkLength('depthwiseConv2dBackwardFilter', 'x', x, xSize(g));
  checkLength('depthwiseConv2dBackwardFilter', 'dy', dy, ySize(g));
  checkLength('depthwiseConv2dBackwardFilter', 'dw', dw, wSize(g));
  const xImage = g.inH * g.inW * g.inC;
  const yImage = g.outH * g.outW * g.outC;
  const acc = new Float64Array(wSize(g));
  for (let b = 0; b < g.n; b++) {
    const xBase = b * xImage;
    const yBase = b * yImage;
    forEachTap(
      g,
      (yPix, xPix, tap) => {
        for (let ci = 0; ci < g.inC; ci++) {
          const xv = x[xBase + xPix + ci];
          const o = ci * mult;
          for (let m = 0; m < mult; m++) acc[tap + o + m] += xv * dy[yBase + yPix + o + m];
        }
      },
      g.outC,
    );
  }
  dw.set(acc);
}

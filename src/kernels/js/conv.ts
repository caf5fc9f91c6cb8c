import type { ConvGeometry, EpilogueActivation, FloatArray } from '../backend.js';
import { checkCount, checkLength, checkPositive } from './check.js';
import { scratchF64 } from './scratch.js';

/**
 * 2-D convolution, channels-last, as direct loops. Each kernel visits every (output pixel,
 * filter tap) pair whose input position is in bounds, with the channel loops innermost so
 * they stream contiguous memory; sums are kept in double scratch buffers (one image, or one
 * filter, at a time).
 */

export function checkGeometry(kernel: string, g: ConvGeometry): void {
  for (const key of ['n', 'inH', 'inW', 'inC', 'outH', 'outW', 'outC'] as const)
    checkCount(kernel, key, g[key]);
  for (const key of ['kH', 'kW', 'strideH', 'strideW', 'dilationH', 'dilationW'] as const) {
    checkPositive(kernel, key, g[key]);
  }
  if (!Number.isInteger(g.padTop) || !Number.isInteger(g.padLeft)) {
    throw new RangeError(`${kernel}: pads must be integers, got ${g.padTop}, ${g.padLeft}`);
  }
}

const xSize = (g: ConvGeometry): number => g.n * g.inH * g.inW * g.inC;
const wSize = (g: ConvGeometry): number => g.kH * g.kW * g.inC * g.outC;
const ySize = (g: ConvGeometry): number => g.n * g.outH * g.outW * g.outC;

/**
 * Calls visit(yPix, xPix, wOff) for every output pixel of one image and every filter tap whose
 * input pixel is in bounds: yPix and xPix are offsets within the image's slice of y and x, wOff
 * the tap's offset in w, whose taps are `tapSize` apart (conv2d's [kH, kW, inC, outC]: inC * outC;
 * depthwiseConv2d's [kH, kW, inC, multiplier]: outC).
 */
export function forEachTap(
  g: ConvGeometry,
  visit: (yPix: number, xPix: number, wOff: number) => void,
  tapSize = g.inC * g.outC,
): void {
  const { inH, inW, inC, outH, outW, outC, kH, kW } = g;
  for (let oh = 0; oh < outH; oh++) {
    const h0 = oh * g.strideH - g.padTop;
    for (let ow = 0; ow < outW; ow++) {
      const w0 = ow * g.strideW - g.padLeft;
      const yPix = (oh * outW + ow) * outC;
      for (let i = 0; i < kH; i++) {
        const ih = h0 + i * g.dilationH;
        if (ih < 0 || ih >= inH) continue;
        for (let j = 0; j < kW; j++) {
          const iw = w0 + j * g.dilationW;
          if (iw < 0 || iw >= inW) continue;
          visit(yPix, (ih * inW + iw) * inC, (i * kW + j) * tapSize);
        }
      }
    }
  }
}

/** y[b, oh, ow, co] = act(sum_{i, j, ci} x[b, ih, iw, ci] * w[i, j, ci, co] + bias[co]). */
export function conv2d(
  x: FloatArray,
  w: FloatArray,
  g: ConvGeometry,
  y: FloatArray,
  bias?: FloatArray,
  activation: EpilogueActivation = 'linear',
): void {
  checkGeometry('conv2d', g);
  checkLength('conv2d', 'x', x, xSize(g));
  checkLength('conv2d', 'w', w, wSize(g));
  checkLength('conv2d', 'y', y, ySize(g));
  if (bias) checkLength('conv2d', 'bias', bias, g.outC);
  const relu = activation === 'relu';
  const { inC, outC } = g;
  const xImage = g.inH * g.inW * inC;
  const yImage = g.outH * g.outW * outC;
  const acc = new Float64Array(yImage);
  for (let b = 0; b < g.n; b++) {
    const xBase = b * xImage;
    acc.fill(0);
    forEachTap(g, (yPix, xPix, wOff) => {
      for (let ci = 0; ci < inC; ci++) {
        const xv = x[xBase + xPix + ci];
        const wRow = wOff + ci * outC;
        for (let co = 0; co < outC; co++) acc[yPix + co] += xv * w[wRow + co];
      }
    });
    if (bias || relu) {
      for (let i = 0; i < yImage; i++) {
        // In double, like the GEMM epilogue; relu keeps NaN (the comparison fails).
        const v = bias ? acc[i]! + bias[i % outC]! : acc[i]!;
        acc[i] = relu && v < 0 ? 0 : v;
      }
    }
    y.set(acc, b * yImage);
  }
}

/** dx[b, ih, iw, ci] = sum over the taps that read it of dy[b, oh, ow, co] * w[i, j, ci, co]. */
export function conv2dBackwardInput(
  dy: FloatArray,
  w: FloatArray,
  g: ConvGeometry,
  dx: FloatArray,
): void {
  checkGeometry('conv2dBackwardInput', g);
  checkLength('conv2dBackwardInput', 'dy', dy, ySize(g));
  checkLength('conv2dBackwardInput', 'w', w, wSize(g));
  checkLength('conv2dBackwardInput', 'dx', dx, xSize(g));
  const { inC, outC } = g;
  const xImage = g.inH * g.inW * inC;
  const yImage = g.outH * g.outW * outC;
  const acc = new Float64Array(xImage);
  for (let b = 0; b < g.n; b++) {
    const yBase = b * yImage;
    acc.fill(0);
    forEachTap(g, (yPix, xPix, wOff) => {
      for (let ci = 0; ci < inC; ci++) {
        const wRow = wOff + ci * outC;
        let sum = 0;
        for (let co = 0; co < outC; co++) sum += dy[yBase + yPix + co] * w[wRow + co];
        acc[xPix + ci] += sum;
      }
    });
    dx.set(acc, b * xImage);
  }
}

/**
 * dw[i, j, ci, co] = sum_{b, oh, ow} x[b, ih, iw, ci] * dpre[b, oh, ow, co], where dpre = dy, or
 * with `y` the epilogue's backward of dy (epilogueGrad), whose column sums go to `db`.
 */
export function conv2dBackwardFilter(
  x: FloatArray,
  dyIn: FloatArray,
  g: ConvGeometry,
  dw: FloatArray,
  y?: FloatArray,
  activation: EpilogueActivation = 'linear',
  db?: FloatArray,
): void {
  checkGeometry('conv2dBackwardFilter', g);
  checkLength('conv2dBackwardFilter', 'x', x, xSize(g));
  checkLength('conv2dBackwardFilter', 'dy', dyIn, ySize(g));
  checkLength('conv2dBackwardFilter', 'dw', dw, wSize(g));
  let dy = dyIn;
  if (activation !== 'linear' || db) {
    if (activation !== 'linear' && !y) {
      throw new RangeError(`conv2dBackwardFilter: the ${activation} backward needs the output y`);
    }
    if (y) checkLength('conv2dBackwardFilter', 'y', y, ySize(g));
    dy = new Float64Array(ySize(g));
    epilogueGrad(activation, y ?? dyIn, dyIn, ySize(g) / g.outC, g.outC, dy, db);
  }
  const { inC, outC } = g;
  const xImage = g.inH * g.inW * inC;
  const yImage = g.outH * g.outW * outC;
  const acc = new Float64Array(wSize(g));
  for (let b = 0; b < g.n; b++) {
    const xBase = b * xImage;
    const yBase = b * yImage;
    forEachTap(g, (yPix, xPix, wOff) => {
      for (let ci = 0; ci < inC; ci++) {
        const xv = x[xBase + xPix + ci];
        const wRow = wOff + ci * outC;
        for (let co = 0; co < outC; co++) acc[wRow + co] += xv * dy[yBase + yPix + co];
      }
    });
  }
  dw.set(acc);
}

/**
 * dpre = dy * act'(y) and db[c] = sum_r dpre[r, c] (db optional) over a [rows, cols] epilogue
 * output y = act(pre + bias). relu' is read from y: [y > 0] (relu'(0) = 0, as TensorFlow).
 */
export function epilogueGrad(
  activation: EpilogueActivation,
  y: FloatArray,
  dy: FloatArray,
  rows: number,
  cols: number,
  dpre: FloatArray,
  db?: FloatArray,
): void {
  checkCount('epilogueGrad', 'rows', rows);
  checkCount('epilogueGrad', 'cols', cols);
  const n = rows * cols;
  checkLength('epilogueGrad', 'y', y, n);
  checkLength('epilogueGrad', 'dy', dy, n);
  checkLength('epilogueGrad', 'dpre', dpre, n);
  if (db) checkLength('epilogueGrad', 'db', db, cols);
  const relu = activation === 'relu';
  const sums = db ? scratchF64(0, cols) : null;
  for (let r = 0; r < rows; r++) {
    for (let c = 0, i = r * cols; c < cols; c++, i++) {
      const v = relu ? (y[i]! > 0 ? dy[i]! : 0) : dy[i]!;
      dpre[i] = v;
      if (sums) sums[c] += v;
    }
  }
  if (db && sums) db.set(sums);
}

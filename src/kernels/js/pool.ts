import type { FloatArray, PoolGeometry } from '../backend.js';
import { checkCount, checkLength, checkPositive } from './check.js';

/**
 * 2-D max and average pooling, channels-last. Window positions outside the input are skipped
 * (TensorFlow's 'same' semantics). A window with no position inside the input has no max and
 * no average, so such a geometry is rejected up front.
 */

function checkGeometry(kernel: string, g: PoolGeometry): void {
  for (const key of ['n', 'inH', 'inW', 'c', 'outH', 'outW'] as const)
    checkCount(kernel, key, g[key]);
  for (const key of ['poolH', 'poolW', 'strideH', 'strideW'] as const)
    checkPositive(kernel, key, g[key]);
  // Window starts and ends both grow with the output index, so only the first and last
  // windows along each axis can miss the input.
  const axes = [
    ['rows', g.inH, g.outH, g.poolH, g.strideH, g.padTop],
    ['columns', g.inW, g.outW, g.poolW, g.strideW, g.padLeft],
  ] as const;
  for (const [what, size, out, pool, stride, pad] of axes) {
    if (!Number.isInteger(pad))
      throw new RangeError(`${kernel}: pads must be integers, got ${pad}`);
    if (out > 0 && (pool - 1 - pad < 0 || (out - 1) * stride - pad >= size)) {
      throw new RangeError(`${kernel}: a pooling window lies entirely outside the input ${what}`);
    }
  }
}

const xSize = (g: PoolGeometry): number => g.n * g.inH * g.inW * g.c;
const ySize = (g: PoolGeometry): number => g.n * g.outH * g.outW * g.c;

/**
 * Calls visit(yOff, xOffs, count) for every output pixel of image b, with xOffs[0..count) the
 * offsets in x of the window's in-bounds input pixels in row-major order (each pixel's c
 * channels start there).
 */
function forEachWindow(
  g: PoolGeometry,
  b: number,
  xOffs: Int32Array,
  visit: (yOff: number, xOffs: Int32Array, count: number) => void,
): void {
  const { inH, inW, c, outH, outW, poolH, poolW } = g;
  for (let oh = 0; oh < outH; oh++) {
    const h0 = oh * g.strideH - g.padTop;
    for (let ow = 0; ow < outW; ow++) {
      const w0 = ow * g.strideW - g.padLeft;
      let count = 0;
      for (let ih = Math.max(h0, 0); ih < Math.min(h0 + poolH, inH); ih++) {
        for (let iw = Math.max(w0, 0); iw < Math.min(w0 + poolW, inW); iw++) {
          xOffs[count++] = ((b * inH + ih) * inW + iw) * c;
        }
      }
      visit(((b * outH + oh) * outW + ow) * c, xOffs, count);
    }
  }
}

/**
 * y = max over each window; argmax[o] = flat index into x of the first maximum in row-major
 * window order. NaN wins over any number (first NaN kept), as in `argmax`.
 */
export function maxPool(x: FloatArray, g: PoolGeometry, y: FloatArray, argmax: Int32Array): void {
  checkGeometry('maxPool', g);
  checkLength('maxPool', 'x', x, xSize(g));
  checkLength('maxPool', 'y', y, ySize(g));
  checkLength('maxPool', 'argmax', argmax, ySize(g));
  const c = g.c;
  const offs = new Int32Array(g.poolH * g.poolW);
  for (let b = 0; b < g.n; b++) {
    forEachWindow(g, b, offs, (yOff, xOffs, count) => {
      for (let ch = 0; ch < c; ch++) {
        let bestIndex = xOffs[0] + ch;
        let best = x[bestIndex];
        for (let p = 1; p < count; p++) {
          const xi = xOffs[p] + ch;
          const v = x[xi];
          if (best === best && (v > best || v !== v)) {
            best = v;
            bestIndex = xi;
          }
        }
        y[yOff + ch] = best;
        argmax[yOff + ch] = bestIndex;
      }
    });
  }
}

/** dx = 0, then dx[argmax[o]] += dy[o], in order of o. */
export function maxPoolBackward(dy: FloatArray, argmax: Int32Array, dx: FloatArray): void {
  checkLength('maxPoolBackward', 'dy', dy, argmax.length);
  dx.fill(0);
  for (let o = 0; o < argmax.length; o++) {
    const i = argmax[o];
    if (i < 0 || i >= dx.length)
      throw new RangeError(`maxPoolBackward: argmax[${o}] = ${i} is outside dx`);
    dx[i] += dy[o];
  }
}

/** y = mean over the in-bounds positions of each window. */
export function avgPool(x: FloatArray, g: PoolGeometry, y: FloatArray): void {
  checkGeometry('avgPool', g);
  checkLength('avgPool', 'x', x, xSize(g));
  checkLength('avgPool', 'y', y, ySize(g));
  const c = g.c;
  const offs = new Int32Array(g.poolH * g.poolW);
  for (let b = 0; b < g.n; b++) {
    forEachWindow(g, b, offs, (yOff, xOffs, count) => {
      for (let ch = 0; ch < c; ch++) {
        let sum = 0;
        for (let p = 0; p < count; p++) sum += x[xOffs[p] + ch];
        y[yOff + ch] = sum / count;
      }
    });
  }
}

/** dx[i] = sum over the windows containing i of dy[o] / (in-bounds size of window o). */
export function avgPoolBackward(dy: FloatArray, g: PoolGeometry, dx: FloatArray): void {
  checkGeometry('avgPoolBackward', g);
  checkLength('avgPoolBackward', 'dy', dy, ySize(g));
  checkLength('avgPoolBackward', 'dx', dx, xSize(g));
  const c = g.c;
  const offs = new Int32Array(g.poolH * g.poolW);
  const xImage = g.inH * g.inW * c;
  // Windows overlap when stride < pool: sum one image in doubles and round once.
  const acc = new Float64Array(xImage);
  for (let b = 0; b < g.n; b++) {
    const xBase = b * xImage;
    acc.fill(0);
    forEachWindow(g, b, offs, (yOff, xOffs, count) => {
      for (let ch = 0; ch < c; ch++) {
        const share = dy[yOff + ch] / count;
        for (let p = 0; p < count; p++) acc[xOffs[p] - xBase + ch] += share;
      }
    });
    dx.set(acc, xBase);
  }
}

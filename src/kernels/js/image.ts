import type { FillMode, FloatArray, Interpolation } from '../backend.js';
import { checkCount, checkLength } from './check.js';

/**
 * The batched projective warp behind Keras's geometric augmentation layers, following
 * TensorFlow's ImageProjectiveTransformV3 (tensorflow/core/kernels/image/image_ops.h): the same
 * coordinate maps per fill mode and the same interpolation formulas. Coordinates are computed
 * in double here and by the compiled backends alike, so the pixel each output reads never
 * depends on the float type; only the interpolated value rounds.
 */

/** C's trunc-toward-zero integer cast, as TensorFlow's static_cast<DenseIndex>. */
const trunc = Math.trunc;

/** Maps a sample coordinate along an axis of `len` pixels (TensorFlow's MapCoordinate). */
export function mapCoordinate(c: number, len: number, mode: FillMode): number {
  if (mode === 'constant') return c;
  let v = c;
  if (mode === 'reflect') {
    if (v < 0) {
      if (len <= 1) v = 0;
      else {
        const sz2 = 2 * len;
        if (v < sz2) v = sz2 * trunc(-v / sz2) + v;
        v = v < -len ? v + sz2 : -v - 1;
      }
    } else if (v > len - 1) {
      if (len <= 1) v = 0;
      else {
        const sz2 = 2 * len;
        v -= sz2 * trunc(v / sz2);
        if (v >= len) v = sz2 - v - 1;
      }
    }
  } else if (mode === 'wrap') {
    if (v < 0) {
      if (len <= 1) v = 0;
      else v += len * (trunc(-v / (len - 1)) + 1);
    } else if (v > len - 1) {
      if (len <= 1) v = 0;
      else v -= len * trunc(v / (len - 1));
    }
  }
  // 'nearest' only clamps; the others clamp too (3.5 in a 4-pixel axis must not round to 4).
  return Math.min(Math.max(v, 0), len - 1);
}

/** C's round(): half away from zero (Math.round goes half up). */
const roundHalfAway = (v: number): number => Math.sign(v) * Math.round(Math.abs(v));

export function affineTransform(
  x: FloatArray,
  transforms: FloatArray,
  n: number,
  height: number,
  width: number,
  channels: number,
  fillMode: FillMode,
  interpolation: Interpolation,
  fillValue: number,
  y: FloatArray,
): void {
  const kernel = 'affineTransform';
  checkCount(kernel, 'n', n);
  checkCount(kernel, 'height', height);
  checkCount(kernel, 'width', width);
  checkCount(kernel, 'channels', channels);
  const size = n * height * width * channels;
  checkLength(kernel, 'x', x, size);
  checkLength(kernel, 'transforms', transforms, n * 8);
  checkLength(kernel, 'y', y, size);
  const nearest = interpolation === 'nearest';
  if (!nearest && interpolation !== 'bilinear')
    throw new RangeError(`${kernel}: unknown interpolation '${String(interpolation)}'`);
  if (!['reflect', 'wrap', 'constant', 'nearest'].includes(fillMode))
    throw new RangeError(`${kernel}: unknown fill mode '${String(fillMode)}'`);
  const image = height * width * channels;
  // One input pixel's value at (row, col) of the current image, or fillValue outside it.
  let base = 0;
  const read = (r: number, q: number, ch: number): number =>
    r >= 0 && r < height && q >= 0 && q < width
      ? x[base + (r * width + q) * channels + ch]
      : fillValue;
  for (let b = 0; b < n; b++) {
    base = b * image;
    const t = b * 8;
    const [a0, a1, a2, b0, b1, b2, c0, c1] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => transforms[t + i]);
    for (let r = 0; r < height; r++) {
      for (let q = 0; q < width; q++) {
        const o = base + (r * width + q) * channels;
        const k = c0 * q + c1 * r + 1;
        if (k === 0) {
          for (let ch = 0; ch < channels; ch++) y[o + ch] = fillValue;
          continue;
        }
        const sx = mapCoordinate((a0 * q + a1 * r + a2) / k, width, fillMode);
        const sy = mapCoordinate((b0 * q + b1 * r + b2) / k, height, fillMode);
        if (nearest) {
          const rr = roundHalfAway(sy);
          const qq = roundHalfAway(sx);
          for (let ch = 0; ch < channels; ch++) y[o + ch] = read(rr, qq, ch);
          continue;
        }
        const y0 = Math.floor(sy);
        const x0 = Math.floor(sx);
        const wy1 = sy - y0;
        const wx1 = sx - x0;
        const wy0 = y0 + 1 - sy;
        const wx0 = x0 + 1 - sx;
        for (let ch = 0; ch < channels; ch++) {
          const top = wx0 * read(y0, x0, ch) + wx1 * read(y0, x0 + 1, ch);
          const bottom = wx0 * read(y0 + 1, x0, ch) + wx1 * read(y0 + 1, x0 + 1, ch);
          y[o + ch] = wy0 * top + wy1 * bottom;
        }
      }
    }
  }
}

import type { PoolGeometry } from '../kernels/backend.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, type Shape } from '../tensor/shape.js';
import { record } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import { convOutputSize, type Padding } from './conv.js';
import { backendFor, empty, floats } from './engine.js';

export interface Pool2dOptions {
  poolSize?: [number, number];
  /** Default: the pool size (Keras). */
  strides?: [number, number];
  padding?: Padding;
}

/** The geometry of pooling an input of `shape` [n, h, w, c]; `op` names the op in errors. */
export function poolGeometry(shape: Shape, options: Pool2dOptions, op: string): PoolGeometry {
  if (shape.length !== 4) throw new Error(`${op} needs x [n, h, w, c], got ${formatShape(shape)}.`);
  const [ph, pw] = options.poolSize ?? [2, 2];
  const [sh, sw] = options.strides ?? [ph, pw];
  const padding = options.padding ?? 'valid';
  const [n, inH, inW, c] = shape as [number, number, number, number];
  const hh = convOutputSize(inH, ph, sh, 1, padding);
  const ww = convOutputSize(inW, pw, sw, 1, padding);
  if (hh.out <= 0 || ww.out <= 0) {
    throw new Error(
      `${op}: a ${ph}x${pw} window does not fit a ${inH}x${inW} input with '${padding}' padding.`,
    );
  }
  return {
    n,
    inH,
    inW,
    c,
    outH: hh.out,
    outW: ww.out,
    poolH: ph,
    poolW: pw,
    strideH: sh,
    strideW: sw,
    padTop: hh.padBefore,
    padLeft: ww.padBefore,
  };
}

export function maxPool2d(x: Tensor, options: Pool2dOptions = {}): Tensor {
  const g = poolGeometry(x.shape, options, 'maxPool2d');
  const k = backendFor(x.dtype);
  const y = empty([g.n, g.outH, g.outW, g.c], x.dtype);
  // Through allocate, so a training step's buffer pool lends it like the float outputs.
  const argmax = allocate('int32', y.size) as Int32Array;
  k.maxPool(floats(x, 'maxPool2d'), g, floats(y, 'maxPool2d'), argmax);
  return record(y, 'maxPool2d', [x], (dy) => {
    const dx = empty(x.shape, x.dtype);
    // maxPoolBackward with the geometry (a linear epilogue passes dy through): the scatter splits
    // by sample over threads where a backend has them.
    k.maxPoolEpilogueGrad(
      'linear',
      floats(y, 'maxPool2d'),
      floats(dy, 'maxPool2d'),
      argmax,
      g,
      floats(dx, 'maxPool2d'),
    );
    return [dx];
  });
}

export function avgPool2d(x: Tensor, options: Pool2dOptions = {}): Tensor {
  const g = poolGeometry(x.shape, options, 'avgPool2d');
  const k = backendFor(x.dtype);
  const y = empty([g.n, g.outH, g.outW, g.c], x.dtype);
  k.avgPool(floats(x, 'avgPool2d'), g, floats(y, 'avgPool2d'));
  return record(y, 'avgPool2d', [x], (dy) => {
    const dx = empty(x.shape, x.dtype);
    k.avgPoolBackward(floats(dy, 'avgPool2d'), g, floats(dx, 'avgPool2d'));
    return [dx];
  });
}

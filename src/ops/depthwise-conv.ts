import { formatShape } from '../tensor/shape.js';
import { record } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';

import { convGeometry, type Padding } from './conv.js';
import { backendFor, empty, floats } from './engine.js';

export interface DepthwiseConv2dOptions {
  strides?: [number, number];
  padding?: Padding;
  dilation?: [number, number];
  /** Per-output-channel bias [inC * multiplier], added in place on the output. */
  bias?: Tensor | null;
}

/**
 * Depthwise 2-D convolution, channels-last (tf.nn.depthwise_conv2d): x [n, h, w, c], kernel
 * [kH, kW, c, multiplier]; output channel ci * multiplier + m is channel ci under filter m.
 */
export function depthwiseConv2d(
  x: Tensor,
  kernel: Tensor,
  options: DepthwiseConv2dOptions = {},
): Tensor {
  if (x.rank !== 4 || kernel.rank !== 4 || x.shape[3] !== kernel.shape[2]) {
    throw new Error(
      `depthwiseConv2d needs x [n, h, w, c] and kernel [kh, kw, c, multiplier] with matching c; got ${formatShape(x.shape)} and ${formatShape(kernel.shape)}.`,
    );
  }
  const [kH, kW, inC, mult] = kernel.shape as [number, number, number, number];
  const outC = inC * mult;
  const g = convGeometry('depthwiseConv2d', x, kH, kW, outC, options);
  const n = g.n;
  const op = 'depthwiseConv2d';
  const dtype = x.dtype === 'float64' || kernel.dtype === 'float64' ? 'float64' : 'float32';
  const k = backendFor(dtype);
  const y = empty([n, g.outH, g.outW, outC], dtype);
  const yd = floats(y, op);
  k.depthwiseConv2d(floats(x, op), floats(kernel, op), g, yd);
  const bias = options.bias ?? null;
  if (bias) {
    if (bias.rank !== 1 || bias.shape[0] !== outC) {
      throw new Error(
        `depthwiseConv2d: bias of shape ${formatShape(bias.shape)} does not match ${outC} output channels.`,
      );
    }
    k.binary('add', yd, y.shape, floats(bias, op), bias.shape, yd, y.shape);
  }
  const inputs = bias ? [x, kernel, bias] : [x, kernel];
  return record(y, op, inputs, (dy) => {
    const dyd = floats(dy, op);
    let dx: Tensor | null = null;
    let dk: Tensor | null = null;
    let db: Tensor | null = null;
    if (bias?.requiresGrad) {
      db = empty([outC], dtype);
      k.reduce('sum', dyd, 1, y.size / outC, outC, floats(db, op));
    }
    if (x.requiresGrad) {
      dx = empty(x.shape, dtype);
      k.depthwiseConv2dBackwardInput(dyd, floats(kernel, op), g, floats(dx, op));
    }
    if (kernel.requiresGrad) {
      dk = empty(kernel.shape, dtype);
      k.depthwiseConv2dBackwardFilter(floats(x, op), dyd, g, floats(dk, op));
    }
    return bias ? [dx, dk, db] : [dx, dk];
  });
}

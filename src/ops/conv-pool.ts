import { allocateUninitialized } from '../tensor/dtype.js';
import { isRecording, record } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import { convInputGrads, prepareConv, type Conv2dOptions } from './conv.js';
import { empty, floats, uninitialized } from './engine.js';
import { poolGeometry, type Pool2dOptions } from './pool.js';

/**
 * maxPool2d(conv2d(x, kernel, options), pool) as one op, for models whose convolution feeds a
 * max pooling and nothing else: the convolution's output (four times the pooled one for 2x2
 * windows) is never stored, and the backward pass goes from the pooled gradient straight to
 * the gradient before the epilogue. Same values as the two ops.
 */
export function conv2dMaxPool(
  x: Tensor,
  kernel: Tensor,
  options: Conv2dOptions = {},
  pool: Pool2dOptions = {},
): Tensor {
  const op = 'conv2dMaxPool';
  const call = prepareConv(op, x, kernel, options);
  const { g, dtype, k, bias, activation } = call;
  const pg = poolGeometry([g.n, g.outH, g.outW, g.outC], pool, op);
  const bd = bias ? floats(bias, op) : undefined;
  // y and argmax are written in full by the kernel; through the buffer pool when a loop opened one.
  const y = uninitialized([pg.n, pg.outH, pg.outW, pg.c], dtype);
  const yd = floats(y, op);
  const inputs = bias ? [x, kernel, bias] : [x, kernel];
  // The winners' positions only route a gradient: inference (nothing recorded) keeps none.
  if (!isRecording() || !inputs.some((t) => t.requiresGrad)) {
    k.conv2dMaxPool(floats(x, op), floats(kernel, op), g, pg, yd, undefined, bd, activation);
    return y;
  }
  const argmax = allocateUninitialized('int32', y.size) as Int32Array;
  k.conv2dMaxPool(floats(x, op), floats(kernel, op), g, pg, yd, argmax, bd, activation);
  return record(y, op, inputs, (dy) => {
    const db = bias?.requiresGrad ? empty([g.outC], dtype) : null;
    if (!x.requiresGrad && kernel.requiresGrad) {
      // A first layer: the filter gradient straight from the pooled one.
      const dk = empty(kernel.shape, dtype);
      k.conv2dMaxPoolBackwardFilter(
        floats(x, op),
        floats(dy, op),
        yd,
        argmax,
        g,
        pg,
        activation,
        floats(dk, op),
        db ? floats(db, op) : undefined,
      );
      return bias ? [null, dk, db] : [null, dk];
    }
    if (x.requiresGrad && kernel.requiresGrad) {
      const dx = empty(x.shape, dtype);
      const dk = empty(kernel.shape, dtype);
      k.conv2dMaxPoolBackward(
        floats(x, op),
        floats(kernel, op),
        floats(dy, op),
        yd,
        argmax,
        g,
        pg,
        activation,
        floats(dx, op),
        floats(dk, op),
        db ? floats(db, op) : undefined,
      );
      return bias ? [dx, dk, db] : [dx, dk];
    }
    // A frozen kernel or input: the conv output's gradient, then the one that is wanted.
    const dpre = empty([g.n, g.outH, g.outW, g.outC], dtype);
    k.maxPoolEpilogueGrad(
      activation,
      yd,
      floats(dy, op),
      argmax,
      pg,
      floats(dpre, op),
      db ? floats(db, op) : undefined,
    );
    const [dx, dk] = convInputGrads(x, kernel, call, dpre);
    return bias ? [dx, dk, db] : [dx, dk];
  });
}

import type { ConvGeometry, Kernels } from '../kernels/backend.js';
import { formatShape } from '../tensor/shape.js';
import { record } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';

import { backendFor, empty, floats } from './engine.js';

export type Padding = 'valid' | 'same';

/**
 * Output size and leading pad of one spatial dimension, as TensorFlow computes them:
 * 'valid': ceil((in - effK + 1) / stride), no padding; 'same': ceil(in / stride), with the
 * total padding split so the extra pixel goes at the end.
 */
export function convOutputSize(
  inSize: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: Padding,
): { out: number; padBefore: number } {
  const eff = (kernel - 1) * dilation + 1;
  if (padding === 'valid') {
    const out = Math.ceil((inSize - eff + 1) / stride);
    return { out: Math.max(0, out), padBefore: 0 };
  }
  const out = Math.ceil(inSize / stride);
  const total = Math.max(0, (out - 1) * stride + eff - inSize);
  return { out, padBefore: Math.floor(total / 2) };
}

/**
 * The geometry of a channels-last convolution of x [n, h, w, inC] by a kH x kW window with
 * outC output channels; `where` names the op in the error when the window does not fit.
 */
export function convGeometry(
  where: string,
  x: Tensor,
  kH: number,
  kW: number,
  outC: number,
  options: { strides?: [number, number]; dilation?: [number, number]; padding?: Padding },
): ConvGeometry {
  const [sh, sw] = options.strides ?? [1, 1];
  const [dh, dw] = options.dilation ?? [1, 1];
  const padding = options.padding ?? 'valid';
  const [n, inH, inW, inC] = x.shape as [number, number, number, number];
  const hh = convOutputSize(inH, kH, sh, dh, padding);
  const ww = convOutputSize(inW, kW, sw, dw, padding);
  if (hh.out <= 0 || ww.out <= 0) {
    throw new Error(
      `${where}: a ${kH}x${kW} kernel does not fit a ${inH}x${inW} input with '${padding}' padding.`,
    );
  }
  return {
    n,
    inH,
    inW,
    inC,
    outH: hh.out,
    outW: ww.out,
    outC,
    kH,
    kW,
    strideH: sh,
    strideW: sw,
    dilationH: dh,
    dilationW: dw,
    padTop: hh.padBefore,
    padLeft: ww.padBefore,
  };
}

export interface Conv2dOptions {
  strides?: [number, number];
  padding?: Padding;
  dilation?: [number, number];
  /** Per-filter bias [outC], added in place on the output (no extra tensor). */
  bias?: Tensor | null;
  /** Applied in place after the bias: 'relu' fuses, like Dense's GEMM epilogue. */
  activation?: 'linear' | 'relu';
}

/** What conv2d and the fused conv + pool op check and derive from their arguments. */
export interface ConvCall {
  g: ConvGeometry;
  dtype: 'float32' | 'float64';
  k: Kernels;
  bias: Tensor | null;
  activation: 'linear' | 'relu';
}

export function prepareConv(
  op: string,
  x: Tensor,
  kernel: Tensor,
  options: Conv2dOptions,
): ConvCall {
  if (x.rank !== 4 || kernel.rank !== 4 || x.shape[3] !== kernel.shape[2]) {
    throw new Error(
      `${op} needs x [n, h, w, c] and kernel [kh, kw, c, filters] with matching c; got ${formatShape(x.shape)} and ${formatShape(kernel.shape)}.`,
    );
  }
  const [kH, kW, , outC] = kernel.shape as [number, number, number, number];
  const g = convGeometry(op, x, kH, kW, outC, options);
  const dtype = x.dtype === 'float64' || kernel.dtype === 'float64' ? 'float64' : 'float32';
  const bias = options.bias ?? null;
  if (bias && (bias.rank !== 1 || bias.shape[0] !== outC)) {
    throw new Error(
      `${op}: bias of shape ${formatShape(bias.shape)} does not match ${outC} filters.`,
    );
  }
  return { g, dtype, k: backendFor(dtype), bias, activation: options.activation ?? 'linear' };
}

/**
 * The gradients of x and the kernel from `dpre`, the gradient at the conv's output before its
 * epilogue (each only when its tensor requires one).
 */
export function convInputGrads(
  x: Tensor,
  kernel: Tensor,
  { g, dtype, k }: ConvCall,
  dpre: Tensor,
): [Tensor | null, Tensor | null] {
  let dx: Tensor | null = null;
  let dk: Tensor | null = null;
  if (x.requiresGrad) {
    dx = empty(x.shape, dtype);
    k.conv2dBackwardInput(
      floats(dpre, 'conv2d'),
      floats(kernel, 'conv2d'),
      g,
      floats(dx, 'conv2d'),
    );
  }
  if (kernel.requiresGrad) {
    dk = empty(kernel.shape, dtype);
    k.conv2dBackwardFilter(floats(x, 'conv2d'), floats(dpre, 'conv2d'), g, floats(dk, 'conv2d'));
  }
  return [dx, dk];
}

/** 2-D convolution, channels-last: x [n, h, w, inC], kernel [kH, kW, inC, outC]. */
export function conv2d(x: Tensor, kernel: Tensor, options: Conv2dOptions = {}): Tensor {
  const call = prepareConv('conv2d', x, kernel, options);
  const { g, dtype, k, bias, activation } = call;
  const outC = g.outC;
  const y = empty([g.n, g.outH, g.outW, outC], dtype);
  const yd = floats(y, 'conv2d');
  // Bias and activation are the kernel's epilogue: one pass over the output.
  const bd = bias ? floats(bias, 'conv2d') : undefined;
  k.conv2d(floats(x, 'conv2d'), floats(kernel, 'conv2d'), g, yd, bd, activation);
  const inputs = bias ? [x, kernel, bias] : [x, kernel];
  return record(y, 'conv2d', inputs, (dyIn) => {
    let dy = dyIn;
    let db: Tensor | null = null;
    if (bias?.requiresGrad) db = empty([outC], dtype);
    if (!x.requiresGrad && kernel.requiresGrad) {
      // A first layer: the filter gradient takes the epilogue's backward in the same pass.
      const dk = empty(kernel.shape, dtype);
      k.conv2dBackwardFilter(
        floats(x, 'conv2d'),
        floats(dyIn, 'conv2d'),
        g,
        floats(dk, 'conv2d'),
        yd,
        activation,
        db ? floats(db, 'conv2d') : undefined,
      );
      return bias ? [null, dk, db] : [null, dk];
    }
    if (activation !== 'linear' || db) {
      // relu'(pre) = [y > 0]: the output stands in for the pre-activation; the bias gradient
      // (column sums) comes out of the same pass.
      dy = activation === 'linear' ? dyIn : empty(y.shape, dtype);
      k.epilogueGrad(
        activation,
        yd,
        floats(dyIn, 'conv2d'),
        y.size / outC,
        outC,
        floats(dy, 'conv2d'),
        db ? floats(db, 'conv2d') : undefined,
      );
    }
    const [dx, dk] = convInputGrads(x, kernel, call, dy);
    return bias ? [dx, dk, db] : [dx, dk];
  });
}

/**
 * The kernel contract every compute backend implements.
 *
 * Kernels are number crunching over typed arrays: they never see a Tensor, never allocate
 * their outputs (the caller passes `out` arrays of the right length) and never keep
 * references to their arguments after returning. All arrays are dense, row-major (C order).
 *
 * Float64 support: the `js` reference backend accepts Float32Array or Float64Array for every
 * float argument (all float arrays of one call share the same type), which is what the float64
 * finite-difference gradient checks run on. Faster backends may accept Float32Array only and
 * report that through `supportsFloat64`; the tensor layer then routes float64 work to `js`.
 */

export type FloatArray = Float32Array | Float64Array;

import type { UnaryOp } from './unary-ops.js';
// Fused optimizer updates, declared with their formulas in optimizer-kernels.ts.
import type { OptimizerUpdate } from './optimizer-kernels.js';
export type { OptimizerUpdate };

export type { UnaryOp };
export { UNARY_OPS } from './unary-ops.js';

/**
 * Elementwise binary functions with NumPy broadcasting. For `unaryGrad`-like derivatives of
 * binary ops the tensor layer composes these (e.g. d(a/b)/db = -dy * a / b^2).
 * squared_difference is (a - b)^2; the comparisons give 1 or 0.
 */
// prettier-ignore
export const BINARY_OPS = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squared_difference', 'greater',
  'greater_equal', 'less', 'equal',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Reductions over the middle axis of a [outer, axis, inner] view. */
export const REDUCE_OPS = ['sum', 'mean', 'max', 'min', 'prod'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/**
 * How affineTransform maps sample coordinates outside the image (TensorFlow's
 * ImageProjectiveTransformV3, which Keras's augmentation layers call): 'reflect' about the edge
 * (dcba|abcd|dcba), 'wrap' (abcd|abcd|abcd), 'nearest' (clamp to the edge pixel), 'constant'
 * (neighbours outside the image read fillValue).
 */
export const FILL_MODES = ['reflect', 'wrap', 'constant', 'nearest'] as const;
export type FillMode = (typeof FILL_MODES)[number];

/** How affineTransform samples between pixels. */
export const INTERPOLATIONS = ['nearest', 'bilinear'] as const;
export type Interpolation = (typeof INTERPOLATIONS)[number];

/** Activations the GEMM epilogue fuses (applied after bias): only those the ops use. */
export const EPILOGUES = ['linear', 'relu'] as const;
export type EpilogueActivation = (typeof EPILOGUES)[number];

export interface GemmOptions {
  /** Use A^T: A is stored [k, m] instead of [m, k]. */
  transA?: boolean;
  /** Use B^T: B is stored [n, k] instead of [k, n]. */
  transB?: boolean;
  /** Default 1. */
  alpha?: number;
  /** Default 0. When 0, C's previous contents are ignored (may be NaN). */
  beta?: number;
  /** Length-n vector added to every row after alpha * op(A) op(B) + beta * C. */
  bias?: FloatArray;
  /** Applied last, elementwise. Default 'linear'. */
  activation?: EpilogueActivation;
}

/**
 * Geometry of a 2-D convolution in channels-last layout (Keras's default):
 * input x [n, inH, inW, inC], filter w [kH, kW, inC, outC], output y [n, outH, outW, outC].
 * Output pixel (oh, ow) reads input rows oh*strideH - padTop + i*dilationH (i < kH), likewise
 * for columns; reads outside the input are zeros. The caller computes outH/outW and the pads
 * ('valid' = 0 pads; 'same' = TensorFlow's split, extra pixel at the bottom/right).
 */
export interface ConvGeometry {
  n: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
}

/**
 * Geometry of 2-D pooling, channels-last: x [n, inH, inW, c] -> y [n, outH, outW, c].
 * Window (oh, ow) covers input rows oh*strideH - padTop .. + poolH - 1 (likewise columns);
 * positions outside the input are skipped: they never win a max and are not counted by the
 * average (TensorFlow's 'same' semantics).
 */
export interface PoolGeometry {
  n: number;
  inH: number;
  inW: number;
  c: number;
  outH: number;
  outW: number;
  poolH: number;
  poolW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

/**
 * The kernels, one signature each. Every kernel also has an argument schema in KERNEL_ARGS
 * (kernel-args.ts), checked against this signature by the compiler, from which the native and
 * wasm backends' argument marshalling is derived.
 */
export interface Kernels {
  /**
   * C[m, n] = act(alpha * op(A) op(B) + beta * C + bias), op(A) [m, k], op(B) [k, n].
   * A is [m, k] (or [k, m] with transA), B is [k, n] (or [n, k] with transB), C is [m, n].
   */
  gemm(
    m: number,
    n: number,
    k: number,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    opts?: GemmOptions,
  ): void;

  /** out[i] = f(x[i]). `out` may be `x` (in place). */
  unary(op: UnaryOp, x: FloatArray, out: FloatArray, param?: number, param2?: number): void;

  /**
   * dx[i] = dy[i] * f'(x[i]). `y` is f(x) (some derivatives are cheaper from it: sigmoid, tanh,
   * exp, elu, sqrt). For kinks (relu at 0, abs at 0, clip at its bounds) the derivative is the
   * one TensorFlow uses: relu'(0) = 0, abs'(0) = 0, clip passes the gradient where
   * min <= x <= max. 'sign' has derivative 0.
   */
  unaryGrad(
    op: UnaryOp,
    x: FloatArray,
    y: FloatArray,
    dy: FloatArray,
    dx: FloatArray,
    param?: number,
    param2?: number,
  ): void;

  /**
   * out = a op b with NumPy broadcasting: aShape and bShape are right-aligned against
   * outShape; a size-1 (or missing) dimension broadcasts. `out` may alias `a` when
   * aShape equals outShape.
   */
  binary(
    op: BinaryOp,
    a: FloatArray,
    aShape: readonly number[],
    b: FloatArray,
    bShape: readonly number[],
    out: FloatArray,
    outShape: readonly number[],
  ): void;

  /** out[o, i] = reduce_j x[o, j, i] over a [outer, axis, inner] view; out has outer*inner items. */
  reduce(
    op: ReduceOp,
    x: FloatArray,
    outer: number,
    axis: number,
    inner: number,
    out: FloatArray,
  ): void;

  /** out[o, i] = argmax_j x[o, j, i] (first index of the maximum; NaN counts as maximal). */
  argmax(x: FloatArray, outer: number, axis: number, inner: number, out: Int32Array): void;

  /** out = x permuted: out's dimension d is x's dimension perm[d]. */
  transpose(
    x: FloatArray,
    shape: readonly number[],
    perm: readonly number[],
    out: FloatArray,
  ): void;

  /** Row-wise softmax of a [rows, cols] matrix, max-subtracted. */
  softmax(x: FloatArray, rows: number, cols: number, out: FloatArray): void;
  /** Row-wise log-softmax (x - max - log(sum(exp(x - max)))). */
  logSoftmax(x: FloatArray, rows: number, cols: number, out: FloatArray): void;
  /** dx = y * (dy - sum_j(dy * y)) per row, y the softmax output. */
  softmaxGrad(y: FloatArray, dy: FloatArray, rows: number, cols: number, dx: FloatArray): void;

  /**
   * Fused softmax + cross-entropy from logits, for a [rows, cols] matrix.
   * `labels` is either a Float array [rows, cols] of (possibly soft) target distributions or an
   * Int32Array [rows] of class indices (sparse). Writes loss[r] = -sum_j t[r,j] * logsoftmax(x)[r,j]
   * and probs = softmax(x) (kept for the backward pass). Returns nothing; loss has `rows` items.
   */
  softmaxCrossEntropy(
    logits: FloatArray,
    labels: FloatArray | Int32Array,
    rows: number,
    cols: number,
    loss: FloatArray,
    probs: FloatArray,
  ): void;
  /**
   * dlogits[r, j] = scale[r] * (probs[r, j] * sum_k t[r,k] - t[r, j]); `scale` is dloss[r] (a
   * number applies to every row).
   */
  softmaxCrossEntropyGrad(
    probs: FloatArray,
    labels: FloatArray | Int32Array,
    rows: number,
    cols: number,
    scale: FloatArray | number,
    dlogits: FloatArray,
  ): void;

  /**
   * Inverted-dropout mask: mask[i] = u_i >= rate ? 1 / (1 - rate) : 0, where u_i is the
   * counter-based uniform `dropoutUniform(seed, i)` below, so every backend draws the same mask.
   */
  dropoutMask(rate: number, seed: number, mask: FloatArray): void;

  /**
   * y = act(conv2d(x, w) + bias) (see ConvGeometry): the bias (length outC, optional) and the
   * activation (default 'linear') are the GEMM's epilogue, applied per output pixel.
   */
  conv2d(
    x: FloatArray,
    w: FloatArray,
    g: ConvGeometry,
    y: FloatArray,
    bias?: FloatArray,
    activation?: EpilogueActivation,
  ): void;
  /** dx = gradient of conv2d w.r.t. x. dx is overwritten. */
  conv2dBackwardInput(dy: FloatArray, w: FloatArray, g: ConvGeometry, dx: FloatArray): void;
  /**
   * dw = gradient of conv2d w.r.t. w. dw is overwritten. With `y` (the fused forward's output)
   * and an activation, dy is first taken through the epilogue's backward as epilogueGrad does
   * (dpre = dy * act'(y)), and `db` (optional) receives the bias gradient: one pass for a layer
   * whose input needs no gradient.
   */
  conv2dBackwardFilter(
    x: FloatArray,
    dy: FloatArray,
    g: ConvGeometry,
    dw: FloatArray,
    y?: FloatArray,
    activation?: EpilogueActivation,
    db?: FloatArray,
  ): void;

  /**
   * Backward of an epilogue (bias, then activation) over a [rows, cols] output y = act(pre):
   * dpre = dy * act'(pre), read from y (relu: [y > 0]); db[c] = sum over rows of dpre[r, c]
   * when db is given. `dpre` may be `dy` (in place).
   */
  epilogueGrad(
    activation: EpilogueActivation,
    y: FloatArray,
    dy: FloatArray,
    rows: number,
    cols: number,
    dpre: FloatArray,
    db?: FloatArray,
  ): void;

  /**
   * Batch normalization in training over the columns of a [rows, cols] array (channels-last
   * activations as [n * h * w, c]): per column the batch mean, the biased variance and
   * invStd = 1 / sqrt(variance + epsilon), then y = (x - mean) * gamma * invStd + beta. gamma
   * and beta are optional (1 and 0). Statistics accumulate in double.
   */
  batchNorm(
    x: FloatArray,
    rows: number,
    cols: number,
    epsilon: number,
    y: FloatArray,
    mean: FloatArray,
    variance: FloatArray,
    invStd: FloatArray,
    gamma?: FloatArray,
    beta?: FloatArray,
  ): void;
  /**
   * batchNorm's backward from its saved mean and invStd (xhat = (x - mean) * invStd):
   * dbeta = sum dy and dgamma = sum dy * xhat per column, and
   * dx = gamma * invStd / rows * (rows * dy - dbeta - xhat * dgamma) (gamma optional, 1).
   */
  batchNormBackward(
    x: FloatArray,
    dy: FloatArray,
    mean: FloatArray,
    invStd: FloatArray,
    rows: number,
    cols: number,
    dx: FloatArray,
    dgamma: FloatArray,
    dbeta: FloatArray,
    gamma?: FloatArray,
  ): void;

  /**
   * y = x * scale + shift per column of a [rows, cols] array (batch normalization in inference,
   * with scale and shift folded from the moving statistics); shift is optional (0). `y` may be
   * `x` (in place).
   */
  scaleShift(
    x: FloatArray,
    rows: number,
    cols: number,
    scale: FloatArray,
    y: FloatArray,
    shift?: FloatArray,
  ): void;

  /**
   * maxPool(act(conv2d(x, w) + bias)) in one pass, the conv output never stored: `conv` is the
   * convolution's geometry and `pool` the pooling's over its output (pool.n, inH, inW, c equal
   * conv.n, outH, outW, outC). `y` and `argmax` are maxPool's, argmax indexing the conv output;
   * without argmax (inference: no backward pass to route) the winners' positions are not kept.
   */
  conv2dMaxPool(
    x: FloatArray,
    w: FloatArray,
    conv: ConvGeometry,
    pool: PoolGeometry,
    y: FloatArray,
    argmax?: Int32Array,
    bias?: FloatArray,
    activation?: EpilogueActivation,
  ): void;
  /**
   * The backward of conv2dMaxPool's epilogue and pooling, from its pooled output y and argmax:
   * dpre (the conv output's shape, pool.n x inH x inW x c) = 0, then for every pooled output o,
   * dpre[argmax[o]] += dy[o] * act'(y[o]) (relu: [y > 0], as epilogueGrad reads it from y);
   * db[c] (optional) receives the sums of those terms per channel.
   */
  maxPoolEpilogueGrad(
    activation: EpilogueActivation,
    y: FloatArray,
    dy: FloatArray,
    argmax: Int32Array,
    pool: PoolGeometry,
    dpre: FloatArray,
    db?: FloatArray,
  ): void;
  /**
   * dw (and db, optional) of conv2dMaxPool from its pooled gradient dy, pooled output y and
   * argmax, for a layer whose input needs no gradient: conv2dBackwardFilter(x, dpre) with dpre
   * as maxPoolEpilogueGrad forms it, which a backend need not store.
   */
  conv2dMaxPoolBackwardFilter(
    x: FloatArray,
    dy: FloatArray,
    y: FloatArray,
    argmax: Int32Array,
    conv: ConvGeometry,
    pool: PoolGeometry,
    activation: EpilogueActivation,
    dw: FloatArray,
    db?: FloatArray,
  ): void;
  /**
   * dx, dw and db (optional) of conv2dMaxPool from its pooled gradient dy, pooled output y and
   * argmax: conv2dBackwardInput and conv2dBackwardFilter of dpre as maxPoolEpilogueGrad forms it,
   * which a backend need not store (nor visit its zeros).
   */
  conv2dMaxPoolBackward(
    x: FloatArray,
    w: FloatArray,
    dy: FloatArray,
    y: FloatArray,
    argmax: Int32Array,
    conv: ConvGeometry,
    pool: PoolGeometry,
    activation: EpilogueActivation,
    dx: FloatArray,
    dw: FloatArray,
    db?: FloatArray,
  ): void;
  /** Max pooling; `argmax[o]` receives the flat index into x of the winning input (first max). */
  maxPool(x: FloatArray, g: PoolGeometry, y: FloatArray, argmax: Int32Array): void;
  /** dx = 0, then dx[argmax[o]] += dy[o]. */
  maxPoolBackward(dy: FloatArray, argmax: Int32Array, dx: FloatArray): void;
  /** Average pooling over the in-bounds positions of each window. */
  avgPool(x: FloatArray, g: PoolGeometry, y: FloatArray): void;
  /** dx overwritten with the gradient of avgPool. */
  avgPoolBackward(dy: FloatArray, g: PoolGeometry, dx: FloatArray): void;

  /**
   * Depthwise 2-D convolution: each input channel convolved with its own `multiplier` filters,
   * w [kH, kW, inC, multiplier], g.outC = inC * multiplier, and output channel ci * multiplier + m
   * is input channel ci under filter m (TensorFlow's order).
   */
  depthwiseConv2d(x: FloatArray, w: FloatArray, g: ConvGeometry, y: FloatArray): void;
  /** dx = gradient of depthwiseConv2d w.r.t. x. dx is overwritten. */
  depthwiseConv2dBackwardInput(
    dy: FloatArray,
    w: FloatArray,
    g: ConvGeometry,
    dx: FloatArray,
  ): void;
  /** dw = gradient of depthwiseConv2d w.r.t. w. dw is overwritten. */
  depthwiseConv2dBackwardFilter(
    x: FloatArray,
    dy: FloatArray,
    g: ConvGeometry,
    dw: FloatArray,
  ): void;

  /**
   * Batched projective warp of channels-last images x [n, height, width, channels] into y of the
   * same shape, one transform per image (TensorFlow's ImageProjectiveTransformV3, behind Keras's
   * RandomTranslation / RandomRotation / RandomZoom): transforms[8b .. 8b+8) = [a0, a1, a2, b0,
   * b1, b2, c0, c1] maps output pixel (row r, column q) of image b to the input point column
   * (a0 q + a1 r + a2) / k, row (b0 q + b1 r + b2) / k, k = c0 q + c1 r + 1 (pixel centres at
   * integers; k = 0 gives fillValue). Coordinates are mapped by fillMode, then sampled by
   * interpolation: 'nearest' rounds half away from zero, 'bilinear' weighs the four neighbours.
   */
  affineTransform(
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
  ): void;

  /** Applies one optimizer step to `param` in place (see OptimizerUpdate). */
  applyUpdate(
    update: OptimizerUpdate,
    param: FloatArray,
    grad: FloatArray,
    slots: FloatArray[],
  ): void;

  /**
   * One optimizer step over many parameters (a model's all): applyUpdate on each
   * (params[i], grads[i], slots[i]), in one call, so a threaded backend splits the whole step at
   * once. Composed from applyUpdate where a backend has no fused version (COMPOSED_KERNELS).
   */
  applyUpdates(
    update: OptimizerUpdate,
    params: FloatArray[],
    grads: FloatArray[],
    slots: FloatArray[][],
  ): void;

  /**
   * out[i, :] = x[indices[i], :] over rows of `row` items: a shuffled batch gathered from a
   * dataset. Every index must name a row of x. Plain copies where a backend has nothing faster
   * (COMPOSED_KERNELS): a host that copies its arguments (wasm) would copy the whole dataset.
   */
  gatherRows(x: FloatArray, row: number, indices: Int32Array, out: FloatArray): void;
}

/**
 * Kernels with a definition in terms of other kernels of the same backend: the js reference
 * uses it, and a compiled backend whose host lacks a fused version falls back to it (not to js).
 */
export const COMPOSED_KERNELS: {
  [K in KernelName]?: (kernels: Kernels) => Kernels[K];
} = {
  applyUpdates: (k) => (update, params, grads, slots) => {
    if (grads.length !== params.length || slots.length !== params.length) {
      throw new RangeError(
        `applyUpdates: ${params.length} params need as many grads and slot lists, got ${grads.length} and ${slots.length}`,
      );
    }
    for (let i = 0; i < params.length; i++) k.applyUpdate(update, params[i]!, grads[i]!, slots[i]!);
  },
  conv2dMaxPool: (k) => (x, w, conv, pool, y, argmax, bias, activation) => {
    const pre = convOutput('conv2dMaxPool', conv, pool, y);
    k.conv2d(x, w, conv, pre, bias, activation);
    k.maxPool(pre, pool, y, argmax ?? new Int32Array(y.length));
  },
  maxPoolEpilogueGrad: (k) => (activation, y, dy, argmax, pool, dpre, db) => {
    const pooled = pool.n * pool.outH * pool.outW;
    const d = new (dpre instanceof Float64Array ? Float64Array : Float32Array)(pooled * pool.c);
    k.epilogueGrad(activation, y, dy, pooled, pool.c, d, db);
    k.maxPoolBackward(d, argmax, dpre);
  },
  conv2dMaxPoolBackwardFilter: (k) => (x, dy, y, argmax, conv, pool, activation, dw, db) => {
    const dpre = convOutput('conv2dMaxPoolBackwardFilter', conv, pool, dw);
    k.maxPoolEpilogueGrad(activation, y, dy, argmax, pool, dpre, db);
    k.conv2dBackwardFilter(x, dpre, conv, dw);
  },
  conv2dMaxPoolBackward: (k) => (x, w, dy, y, argmax, conv, pool, activation, dx, dw, db) => {
    const dpre = convOutput('conv2dMaxPoolBackward', conv, pool, dw);
    k.maxPoolEpilogueGrad(activation, y, dy, argmax, pool, dpre, db);
    k.conv2dBackwardInput(dpre, w, conv, dx);
    k.conv2dBackwardFilter(x, dpre, conv, dw);
  },
  gatherRows: () => (x, row, indices, out) => {
    if (!(Number.isInteger(row) && row >= 0)) {
      throw new RangeError(`gatherRows: row must be a whole number >= 0, got ${row}`);
    }
    const rows = row > 0 ? Math.floor(x.length / row) : 0;
    if (out.length < indices.length * row) {
      throw new RangeError(
        `gatherRows: out has ${out.length} items, needs ${indices.length} rows of ${row}`,
      );
    }
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i]!;
      if (!(r >= 0 && r < rows)) {
        throw new RangeError(`gatherRows: indices[${i}] = ${r} is not a row of x (${rows} rows)`);
      }
      out.set(x.subarray(r * row, (r + 1) * row), i * row);
    }
  },
};

export type KernelName = keyof Kernels;

/**
 * A zeroed array the size of `conv`'s output, of `like`'s type, for the composed conv + pool
 * kernels, once `pool` is checked to pool that output.
 */
function convOutput(
  kernel: string,
  conv: ConvGeometry,
  pool: PoolGeometry,
  like: FloatArray,
): FloatArray {
  checkConvPool(kernel, conv, pool);
  const size = conv.n * conv.outH * conv.outW * conv.outC;
  return like instanceof Float64Array ? new Float64Array(size) : new Float32Array(size);
}

/** Throws unless `pool` pools the output of `conv` (conv2dMaxPool's two geometries). */
function checkConvPool(kernel: string, conv: ConvGeometry, pool: PoolGeometry): void {
  if (
    pool.n !== conv.n ||
    pool.inH !== conv.outH ||
    pool.inW !== conv.outW ||
    pool.c !== conv.outC
  ) {
    throw new RangeError(
      `${kernel}: the pooling geometry (n ${pool.n}, ${pool.inH}x${pool.inW}x${pool.c}) does not take the conv output (n ${conv.n}, ${conv.outH}x${conv.outW}x${conv.outC})`,
    );
  }
}

export interface Backend extends Kernels {
  /** 'js', 'native', 'wasm', ... */
  readonly name: string;
  /** Whether every kernel accepts Float64Array as well as Float32Array. */
  readonly supportsFloat64: boolean;
  /** Worker threads the backend uses (1 for single-threaded backends). */
  getNumThreads(): number;
  /** Sets the worker thread count (clamped to >= 1); a no-op for single-threaded backends. */
  setNumThreads(n: number): void;
  /**
   * What this backend leaves to the js reference: kernel names ('conv2d') and ops of a kernel
   * ('unary:gelu'). Empty when it implements everything itself.
   */
  fallbacks(): readonly string[];
  /**
   * The instruction set the kernels run: 'relaxed-simd' or 'simd128' (wasm, chosen at load),
   * 'avx512', 'avx2' or 'generic' (native), 'js' (the reference).
   */
  isa(): string;
}

/**
 * The counter-based uniform in [0, 1) behind dropout masks; every backend must reproduce it
 * bit for bit. A 32-bit integer hash of (seed, index) (the "lowbias32" finaliser applied to
 * seed*0x9E3779B9 + index, twice), top 24 bits scaled by 2^-24.
 */
export function dropoutUniform(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b9) + (index >>> 0)) >>> 0;
  h = lowbias32(h);
  h = lowbias32((h ^ (seed >>> 0)) >>> 0);
  return (h >>> 8) / 16777216;
}

function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

import type {
  Backend,
  BinaryOp,
  ConvGeometry,
  FloatArray,
  GemmOptions,
  OptimizerUpdate,
  PoolGeometry,
  ReduceOp,
  UnaryOp,
} from '../backend.js';
import { binary } from './broadcast.js';
import { conv2d, conv2dBackwardFilter, conv2dBackwardInput } from './conv.js';
import { dropoutMask } from './dropout.js';
import { unary, unaryGrad } from './elementwise.js';
import { gemm } from './gemm.js';
import { applyUpdate } from './optimizers.js';
import { avgPool, avgPoolBackward, maxPool, maxPoolBackward } from './pool.js';
import { argmax, reduce } from './reduce.js';
import {
  logSoftmax,
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyGrad,
  softmaxGrad,
} from './softmax.js';
import { transpose } from './transpose.js';

/**
 * The reference backend: plain loops over typed arrays, single-threaded, browser-safe. Every
 * float argument may be a Float32Array or a Float64Array; math runs in JS doubles and each
 * result is rounded once into the output's type. Other backends are tested against this one.
 */
export class JsBackend implements Backend {
  readonly name = 'js';
  readonly supportsFloat64 = true;

  getNumThreads(): number {
    return 1;
  }

  setNumThreads(_n: number): void {
    // Single-threaded by design.
  }

  gemm(
    m: number,
    n: number,
    k: number,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    opts?: GemmOptions,
  ): void {
    gemm(m, n, k, a, b, c, opts);
  }

  unary(op: UnaryOp, x: FloatArray, out: FloatArray, param?: number, param2?: number): void {
    unary(op, x, out, param, param2);
  }

  unaryGrad(
    op: UnaryOp,
    x: FloatArray,
    y: FloatArray,
    dy: FloatArray,
    dx: FloatArray,
    param?: number,
    param2?: number,
  ): void {
    unaryGrad(op, x, y, dy, dx, param, param2);
  }

  binary(
    op: BinaryOp,
    a: FloatArray,
    aShape: readonly number[],
    b: FloatArray,
    bShape: readonly number[],
    out: FloatArray,
    outShape: readonly number[],
  ): void {
    binary(op, a, aShape, b, bShape, out, outShape);
  }

  reduce(
    op: ReduceOp,
    x: FloatArray,
    outer: number,
    axis: number,
    inner: number,
    out: FloatArray,
  ): void {
    reduce(op, x, outer, axis, inner, out);
  }

  argmax(x: FloatArray, outer: number, axis: number, inner: number, out: Int32Array): void {
    argmax(x, outer, axis, inner, out);
  }

  transpose(
    x: FloatArray,
    shape: readonly number[],
    perm: readonly number[],
    out: FloatArray,
  ): void {
    transpose(x, shape, perm, out);
  }

  softmax(x: FloatArray, rows: number, cols: number, out: FloatArray): void {
    softmax(x, rows, cols, out);
  }

  logSoftmax(x: FloatArray, rows: number, cols: number, out: FloatArray): void {
    logSoftmax(x, rows, cols, out);
  }

  softmaxGrad(y: FloatArray, dy: FloatArray, rows: number, cols: number, dx: FloatArray): void {
    softmaxGrad(y, dy, rows, cols, dx);
  }

  softmaxCrossEntropy(
    logits: FloatArray,
    labels: FloatArray | Int32Array,
    rows: number,
    cols: number,
    loss: FloatArray,
    probs: FloatArray,
  ): void {
    softmaxCrossEntropy(logits, labels, rows, cols, loss, probs);
  }

  softmaxCrossEntropyGrad(
    probs: FloatArray,
    labels: FloatArray | Int32Array,
    rows: number,
    cols: number,
    scale: FloatArray | number,
    dlogits: FloatArray,
  ): void {
    softmaxCrossEntropyGrad(probs, labels, rows, cols, scale, dlogits);
  }

  dropoutMask(rate: number, seed: number, mask: FloatArray): void {
    dropoutMask(rate, seed, mask);
  }

  conv2d(x: FloatArray, w: FloatArray, g: ConvGeometry, y: FloatArray): void {
    conv2d(x, w, g, y);
  }

  conv2dBackwardInput(dy: FloatArray, w: FloatArray, g: ConvGeometry, dx: FloatArray): void {
    conv2dBackwardInput(dy, w, g, dx);
  }

  conv2dBackwardFilter(x: FloatArray, dy: FloatArray, g: ConvGeometry, dw: FloatArray): void {
    conv2dBackwardFilter(x, dy, g, dw);
  }

  maxPool(x: FloatArray, g: PoolGeometry, y: FloatArray, argmax: Int32Array): void {
    maxPool(x, g, y, argmax);
  }

  maxPoolBackward(dy: FloatArray, argmax: Int32Array, dx: FloatArray): void {
    maxPoolBackward(dy, argmax, dx);
  }

  avgPool(x: FloatArray, g: PoolGeometry, y: FloatArray): void {
    avgPool(x, g, y);
  }

  avgPoolBackward(dy: FloatArray, g: PoolGeometry, dx: FloatArray): void {
    avgPoolBackward(dy, g, dx);
  }

  applyUpdate(
    update: OptimizerUpdate,
    param: FloatArray,
    grad: FloatArray,
    slots: FloatArray[],
  ): void {
    applyUpdate(update, param, grad, slots);
  }
}

import { COMPOSED_KERNELS, type Backend, type Kernels } from '../backend.js';
import { batchNorm, batchNormBackward, scaleShift } from './batch-norm.js';
import { binary } from './broadcast.js';
import { conv2d, conv2dBackwardFilter, conv2dBackwardInput, epilogueGrad } from './conv.js';
import {
  depthwiseConv2d,
  depthwiseConv2dBackwardFilter,
  depthwiseConv2dBackwardInput,
} from './depthwise.js';
import { dropoutMask } from './dropout.js';
import { unary, unaryGrad } from './elementwise.js';
import { gemm } from './gemm.js';
import { affineTransform } from './image.js';
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

/** The reference kernels; the compiler rejects this table if it misses one. */
export const JS_KERNELS = {
  gemm,
  unary,
  unaryGrad,
  binary,
  reduce,
  argmax,
  transpose,
  softmax,
  logSoftmax,
  softmaxGrad,
  softmaxCrossEntropy,
  softmaxCrossEntropyGrad,
  dropoutMask,
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardFilter,
  epilogueGrad,
  batchNorm,
  batchNormBackward,
  scaleShift,
  maxPool,
  maxPoolBackward,
  avgPool,
  avgPoolBackward,
  depthwiseConv2d,
  depthwiseConv2dBackwardInput,
  depthwiseConv2dBackwardFilter,
  affineTransform,
  applyUpdate,
  applyUpdates: (...args: Parameters<Kernels['applyUpdates']>) => applyUpdatesJs(...args),
  gatherRows: (...args: Parameters<Kernels['gatherRows']>) => gatherRowsJs(...args),
  conv2dMaxPool: (...args: Parameters<Kernels['conv2dMaxPool']>) => conv2dMaxPoolJs(...args),
  maxPoolEpilogueGrad: (...args: Parameters<Kernels['maxPoolEpilogueGrad']>) =>
    maxPoolEpilogueGradJs(...args),
  conv2dMaxPoolBackwardFilter: (...args: Parameters<Kernels['conv2dMaxPoolBackwardFilter']>) =>
    conv2dMaxPoolBackwardFilterJs(...args),
  conv2dMaxPoolBackward: (...args: Parameters<Kernels['conv2dMaxPoolBackward']>) =>
    conv2dMaxPoolBackwardJs(...args),
} satisfies Kernels;

const applyUpdatesJs = COMPOSED_KERNELS.applyUpdates!(JS_KERNELS);
const gatherRowsJs = COMPOSED_KERNELS.gatherRows!(JS_KERNELS);
const conv2dMaxPoolJs = COMPOSED_KERNELS.conv2dMaxPool!(JS_KERNELS);
const maxPoolEpilogueGradJs = COMPOSED_KERNELS.maxPoolEpilogueGrad!(JS_KERNELS);
const conv2dMaxPoolBackwardFilterJs = COMPOSED_KERNELS.conv2dMaxPoolBackwardFilter!(JS_KERNELS);
const conv2dMaxPoolBackwardJs = COMPOSED_KERNELS.conv2dMaxPoolBackward!(JS_KERNELS);

// The class gets its kernel methods from JS_KERNELS (declaration merging types them).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface JsBackend extends Kernels {}

/**
 * The reference backend: plain loops over typed arrays, single-threaded, browser-safe. Every
 * float argument may be a Float32Array or a Float64Array; math runs in JS doubles and each
 * result is rounded once into the output's type. Other backends are tested against this one.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class JsBackend implements Backend {
  readonly name = 'js';
  readonly supportsFloat64 = true;

  constructor() {
    Object.assign(this, JS_KERNELS);
  }

  getNumThreads(): number {
    return 1;
  }

  setNumThreads(_n: number): void {
    // Single-threaded by design.
  }

  fallbacks(): readonly string[] {
    return [];
  }

  isa(): string {
    return 'js';
  }
}

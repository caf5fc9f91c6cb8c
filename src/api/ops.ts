// The `ops` namespace: differentiable tensor ops in TF.js's spelling, and the autograd entry
// points. Every op records how it was computed, so `backward(loss)` fills each variable's
// `.grad`.
export {
  abs,
  add,
  avgPool2d as avgPool,
  cast,
  clip as clipByValue,
  concat,
  conv2d,
  depthwiseConv2d,
  div,
  dropout,
  elu,
  exp,
  leakyRelu,
  log,
  logSoftmax,
  matMul,
  max,
  maxPool2d as maxPool,
  maximum,
  mean,
  min,
  minimum,
  mul,
  neg,
  pow,
  relu,
  reshape,
  sigmoid,
  slice,
  softmax,
  sqrt,
  square,
  sub,
  sum,
  tanh,
  transpose,
} from '../ops/index.js';
export { argMax } from '../ops/tensor-methods.js';
export { oneHot } from '../data/preprocess.js';
export { backward, noGrad } from '../tensor/tape.js';

// Differentiable ops over Tensors. Importing this module also wires elementwise add into the tape.
import { setGradientAdder } from '../tensor/tape.js';
import { binaryRaw } from './binary.js';

setGradientAdder((a, b) => binaryRaw('add', a, b));
import './tensor-methods.js';

export * from './unary.js';
export * from './binary.js';
export * from './reduce.js';
export * from './shape-ops.js';
export * from './slice.js';
export * from './matmul.js';
export * from './softmax.js';
export * from './dropout.js';
export * from './conv.js';
export * from './batch-norm.js';
export * from './depthwise-conv.js';
export * from './image.js';
export * from './pool.js';
export { backendFor } from './engine.js';

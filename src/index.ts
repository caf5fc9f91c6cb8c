// The public API of the browser-safe core (`mnist-lab/core`), shaped like TF.js Layers: a few
// top-level names a notebook uses, and one namespace per family. `mnist-lab` (the Node entry)
// adds the native backend, dataset files, model files and Node-only callbacks;
// `mnist-lab/lab` holds experiments, sweeps and reports. One file per namespace (src/api/).
import './ops/index.js'; // installs the Tensor methods and the tape's gradient adder

// Tensors.
export { Tensor, tensor, scalar, zeros, ones } from './tensor/tensor.js';
export type { NestedArray, TensorLike, TypedArrayLike } from './tensor/tensor.js';
export { tensor1d, tensor2d, tensor3d, tensor4d } from './tensor/creation.js';
export { tidy, dispose, nextFrame } from './api/engine.js';
export { oneHot } from './data/preprocess.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export { setSeed } from './tensor/seed.js';
export { getBackend, getBackendIsa, setBackend, ready } from './api/backend.js';

// Models.
export { sequential, model, Sequential, Model } from './models/index.js';
export type {
  CompileArgs,
  EvaluateArgs,
  ModelArgs,
  PredictArgs,
  SequentialArgs,
} from './models/index.js';
export type { FitArgs, YieldEvery } from './training/types.js';
export { FitState, type FitPosition } from './training/fit-state.js';
export { input } from './api/layers.js';
export { NonFiniteLossError } from './training/non-finite-loss-error.js';

// Namespaces.
export * as layers from './api/layers.js';
export * as losses from './api/losses.js';
export * as optimizers from './api/optimizers.js';
export * as train from './api/train.js';
export * as metrics from './api/metrics.js';
export * as callbacks from './api/callbacks.js';
export * as initializers from './api/initializers.js';
export * as regularizers from './api/regularizers.js';
export * as activations from './api/activations.js';
export * as ops from './api/ops.js';
export * as datasets from './api/datasets.js';
export * as io from './api/io.js';

export { version } from './version.js';

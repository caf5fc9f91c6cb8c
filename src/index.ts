// The public API of the browser-safe core (`mnist-lab/core`); `mnist-lab` adds the Node parts.
export * from './kernels/index.js';

// Tensors, autograd and ops (ops also as the `ops` namespace, like tf's top-level functions).
export { Tensor, tensor, scalar, zeros, ones, full, type GradNode } from './tensor/tensor.js';
export { Variable } from './tensor/variable.js';
export { backward, noGrad } from './tensor/tape.js';
export { setSeed, nextSeed } from './tensor/seed.js';
export { Random } from './tensor/random.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export * as ops from './ops/index.js';

// Keras-style building blocks.
export * from './layers/index.js';
export * from './models/index.js';
export * from './optimizers/index.js';
export * from './losses/index.js';
export * from './metrics/index.js';
export * from './callbacks/index.js';
export * as activations from './activations/index.js';
export { getActivation } from './activations/index.js';
export { initializers, getInitializer } from './initializers/index.js';
export { regularizers, getRegularizer } from './regularizers/index.js';
export { fitLoop, evaluateLoop, predictLoop, trainStep } from './training/fit-loop.js';
export { NonFiniteLossError } from './training/non-finite-loss-error.js';
export { FitState, type FitPosition } from './training/fit-state.js';
export type { FitArgs, TrainingTarget, CompiledModel, YieldEvery } from './training/types.js';

// Data: IDX files and Keras-style preprocessing.
export {
  parseIdx,
  encodeIdx,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  type IdxArray,
} from './data/idx.js';
export { DataFormatError } from './data/data-format-error.js';
export { gunzip, isGzip } from './data/gzip.js';
export {
  normalize,
  toCategorical,
  shuffleTogether,
  splitLast,
  takeRows,
  classCounts,
} from './data/preprocess.js';
export {
  MNIST,
  FASHION_MNIST,
  DATASETS,
  datasetSpec,
  type DatasetSpec,
  type IdxFileSpec,
} from './data/dataset-spec.js';
export { toMnistForm, type DigitImage, type MnistFormOptions } from './data/mnist-form.js';

// Experiments and reports: the notebooks' models, sweep plans and presets, charts and diagrams.
export { defaultSpec, type ModelSpec, type TrainSpec } from './experiments/model-spec.js';
export { buildModel } from './experiments/build-model.js';
export {
  parseGridArg,
  planRuns,
  meanStd,
  type GridAxis,
  type AxisValue,
  type PlannedRun,
} from './experiments/sweep-plan.js';
export { SWEEP_PRESETS, getSweepPreset, type SweepPreset } from './experiments/sweep-presets.js';
export { bestEpoch, type RunRecord } from './experiments/run-record.js';
export {
  parseProgress,
  foldProgress,
  PROGRESS_FILE,
  type ProgressEvent,
  type ProgressState,
} from './experiments/progress.js';
export { runCurvesSpec, overlaySpec, metricTitle, type RunCurves } from './reports/chart-specs.js';
export { modelGraph, modelToDot, type ModelGraph } from './reports/model-graph.js';
export { summarizeSettings, settingsTable, resultsCsv } from './reports/sweep-report.js';
export {
  evaluateClassifier,
  confusionMatrixSpec,
  perClassTable,
  topK,
  type Evaluation,
  type ClassScores,
} from './reports/evaluation.js';

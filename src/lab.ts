// `mnist-lab/lab` (browser-safe part): the notebooks' model specs, sweep plans and presets,
// Vega-Lite chart specs, the model graph (DOT), sweep tables and evaluation reports (per-class
// scores, confusion matrix). The Node entry of this subpath
// adds training runs, sweeps and figure rendering.
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

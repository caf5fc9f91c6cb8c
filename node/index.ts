// The Node entry (`mnist-lab`): the core, plus the native backend, dataset files and downloads,
// model files and the Node-only callbacks.
import './backend-setup.js';

export * from '../src/index.js';
export * from './models/index.js';
export * from './callbacks/index.js';
export { nativeInfo, type NativeInfo } from './native/isa.js';
export { datasets } from './data/datasets.js';
export {
  loadDataset,
  readIdxFile,
  DatasetNotFoundError,
  type LoadOptions,
  type LoadedDataset,
  type LabeledImages,
  type SourceKind,
} from './data/load-dataset.js';
export { downloadVerified, DownloadError, type DownloadOptions } from './data/download.js';
export { userCacheDir } from './data/cache-dir.js';
export { runSweep, type SweepOptions, type SweepResult } from './experiments/sweep.js';
export { trainRun, type TrainRunOptions, type TrainRunResult } from './experiments/train-run.js';
export { renderChart, writeChart } from './reports/charts.js';
export { renderModelDiagram, writeModelDiagram } from './reports/model-diagram.js';
export { svgToPng } from './reports/svg-png.js';
export { scoreModel, writeEvaluation, EVALUATION_FILES } from './reports/evaluation-report.js';
export { readImage, ImageFileError } from './data/read-image.js';

// The public API of the browser-safe core (`mnist-lab/core`).
export * from './kernels/backend.js';
export * from './kernels/registry.js';
export { Random } from './tensor/random.js';
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

// The `datasets` namespace, browser-safe part: Keras-style preprocessing, IDX files and the
// dataset descriptions. The Node entry adds the loaders (`datasets.mnist.loadData()`).
export {
  normalize,
  toCategorical,
  shuffleTogether,
  splitLast,
  classCounts,
} from '../data/preprocess.js';
export { parseIdx, encodeIdx, type IdxArray } from '../data/idx.js';
export { DataFormatError } from '../data/data-format-error.js';
export { DATASETS as specs, type DatasetSpec } from '../data/dataset-spec.js';

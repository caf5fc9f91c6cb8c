// The `datasets` namespace, browser-safe part: Keras-style preprocessing, IDX files, the
// dataset descriptions, and `toMnistForm` (any digit picture in MNIST's form). The Node entry adds the loaders (`datasets.mnist.loadData()`).
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
export { toMnistForm, type DigitImage, type MnistFormOptions } from '../data/mnist-form.js';

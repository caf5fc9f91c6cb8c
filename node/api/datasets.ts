// The `datasets` namespace in Node: the core's preprocessing, plus the dataset loaders, which
// find, verify and (if allowed) download the IDX files, and `readImage` (PNG / JPEG files as
// pixels, for `toMnistForm`).
import { loadDataset, type LoadedDataset, type LoadOptions } from '../data/load-dataset.js';

export * from '../../src/api/datasets.js';
export {
  loadDataset as load,
  readIdxFile,
  DatasetNotFoundError,
  type LabeledImages,
  type LoadedDataset,
  type LoadOptions,
  type SourceKind,
} from '../data/load-dataset.js';
export { downloadVerified, DownloadError, type DownloadOptions } from '../data/download.js';
export { userCacheDir as cacheDir } from '../data/cache-dir.js';
export { readImage, ImageFileError } from '../data/read-image.js';

/** Keras's `keras.datasets.mnist.load_data()`: `await datasets.mnist.loadData()`. */
export const mnist = {
  loadData: (options?: LoadOptions): Promise<LoadedDataset> => loadDataset('mnist', options),
};

/** Keras's `keras.datasets.fashion_mnist.load_data()`. */
export const fashionMnist = {
  loadData: (options?: LoadOptions): Promise<LoadedDataset> =>
    loadDataset('fashion-mnist', options),
};

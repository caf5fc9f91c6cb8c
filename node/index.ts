// The Node entry (`mnist-lab`): the core plus files, downloads and the native backend.
export * from '../src/index.js';
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

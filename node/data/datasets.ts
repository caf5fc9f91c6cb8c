import { loadDataset, type LoadedDataset, type LoadOptions } from './load-dataset.js';

/** Keras-like entry points: `await datasets.mnist.loadData()`. */
export const datasets = {
  mnist: {
    loadData: (options?: LoadOptions): Promise<LoadedDataset> => loadDataset('mnist', options),
  },
  fashionMnist: {
    loadData: (options?: LoadOptions): Promise<LoadedDataset> =>
      loadDataset('fashion-mnist', options),
  },
};

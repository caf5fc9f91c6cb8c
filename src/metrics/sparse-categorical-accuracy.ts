import { sparseCategoricalAccuracy } from './accuracy-functions.js';
import { MeanMetricWrapper } from './mean-metric-wrapper.js';

/** Keras's SparseCategoricalAccuracy: how often argmax(yPred) equals the class index yTrue. */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  constructor(name = 'sparse_categorical_accuracy') {
    super(sparseCategoricalAccuracy, name, 'up');
  }
}

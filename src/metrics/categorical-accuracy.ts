import { categoricalAccuracy } from './accuracy-functions.js';
import { MeanMetricWrapper } from './mean-metric-wrapper.js';

/** Keras's CategoricalAccuracy: how often argmax(yPred) matches argmax of one-hot yTrue. */
export class CategoricalAccuracy extends MeanMetricWrapper {
  constructor(name = 'categorical_accuracy') {
    super(categoricalAccuracy, name, 'up');
  }
}

import { binaryAccuracy } from './accuracy-functions.js';
import { MeanMetricWrapper } from './mean-metric-wrapper.js';

/** Keras's BinaryAccuracy: how often (yPred > threshold) equals the 0/1 label. */
export class BinaryAccuracy extends MeanMetricWrapper {
  readonly threshold: number;

  constructor(name = 'binary_accuracy', threshold = 0.5) {
    // Keras 3 requires a threshold strictly inside (0, 1).
    if (!(threshold > 0 && threshold < 1)) {
      throw new RangeError(`BinaryAccuracy: threshold must be in (0, 1), got ${threshold}.`);
    }
    super((t, p) => binaryAccuracy(t, p, threshold), name, 'up');
    this.threshold = threshold;
  }
}

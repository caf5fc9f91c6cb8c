import { getPerSampleLoss, LOSS_NAMES } from '../losses/index.js';
import { closest, Registry } from '../util/options.js';
import {
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
} from './accuracy-functions.js';
import { AutoAccuracy } from './auto-accuracy.js';
import { BinaryAccuracy } from './binary-accuracy.js';
import { CategoricalAccuracy } from './categorical-accuracy.js';
import { MeanMetricWrapper } from './mean-metric-wrapper.js';
import { Metric } from './metric.js';
import { SparseCategoricalAccuracy } from './sparse-categorical-accuracy.js';

export { Metric } from './metric.js';
export { Mean } from './mean.js';
export { MeanMetricWrapper, type MetricFn } from './mean-metric-wrapper.js';
export { CategoricalAccuracy } from './categorical-accuracy.js';
export { SparseCategoricalAccuracy } from './sparse-categorical-accuracy.js';
export { BinaryAccuracy } from './binary-accuracy.js';
export { AutoAccuracy, accuracyKind, type AccuracyKind } from './auto-accuracy.js';
export {
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
} from './accuracy-functions.js';

const ACCURACIES = new Registry<(name: string) => Metric>('metric');
ACCURACIES.register('accuracy', (n) => new AutoAccuracy(n), ['acc']);
ACCURACIES.register('categorical_accuracy', (n) => new CategoricalAccuracy(n));
ACCURACIES.register('sparse_categorical_accuracy', (n) => new SparseCategoricalAccuracy(n));
ACCURACIES.register('binary_accuracy', (n) => new BinaryAccuracy(n));

const LOSS_METRIC_ALIASES = ['mse', 'mae'];

/**
 * Keras's compile-time metric lookup (compile_utils.get_metric). 'accuracy' / 'acc' (any case)
 * give an AutoAccuracy, which picks binary, sparse categorical or categorical accuracy from the
 * first batch's shapes exactly as Keras 3 does; 'categorical_accuracy', 'binary_accuracy', ...
 * the named variant; a loss name ('mse', 'categorical_crossentropy', ...) the running mean of
 * that loss. A string metric reports under the string given. Metric objects are returned as is.
 */
export function getMetric(identifier: string | Metric): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier !== 'string') {
    throw new TypeError(`Could not interpret metric identifier: ${String(identifier)}.`);
  }
  const accuracy = ACCURACIES.find(identifier);
  if (accuracy) return accuracy(identifier);
  let perSample;
  try {
    perSample = getPerSampleLoss(identifier);
  } catch {
    const valid = [...ACCURACIES.names(), 'acc', ...LOSS_NAMES, ...LOSS_METRIC_ALIASES];
    const hint = closest(identifier, valid);
    throw new Error(
      `Unknown metric '${identifier}'${hint ? `; did you mean '${hint}'?` : '.'} Valid metrics: ${valid.map((v) => `'${v}'`).join(', ')} (any case; snake_case and camelCase spellings are the same name).`,
    );
  }
  return new MeanMetricWrapper((t, p) => perSample(t, p), identifier, 'down');
}

/** Per-sample metric functions in the style of `tf.metrics`, and `get`. */
export const metrics = {
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  binaryAccuracy,
  get: getMetric,
};

// The `metrics` namespace: per-sample metric functions, `get` for names ('accuracy'), and the
// base class for custom metrics.
export {
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  getMetric as get,
  Metric,
  type MetricFn,
} from '../metrics/index.js';

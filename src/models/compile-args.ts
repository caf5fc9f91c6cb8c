import { getLoss, type Loss, type LossIdentifier, type SerializedLoss } from '../losses/index.js';
import { getMetric, Metric } from '../metrics/index.js';
import {
  getOptimizer,
  serializeOptimizer,
  type OptimizerIdentifier,
  type SerializedOptimizer,
} from '../optimizers/index.js';
import type { CompiledModel } from '../training/types.js';

export interface CompileArgs {
  /** Default 'rmsprop' (Keras). */
  optimizer?: OptimizerIdentifier;
  loss: LossIdentifier;
  /** Names ('accuracy', 'mse', ...) or Metric objects. */
  metrics?: (string | Metric)[];
}

/** What compile() was given, by name, for saving with the model. */
export interface TrainingConfig {
  optimizer: SerializedOptimizer;
  loss: string | SerializedLoss;
  metrics: string[];
}

/**
 * A fresh copy of a user's metric object with its state reset, so training and validation
 * (and every fit) count separately while the user's object stays untouched.
 */
function freshCopy(metric: Metric): Metric {
  const clone = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (ArrayBuffer.isView(v)) return (v as unknown as { slice(): unknown }).slice();
    if (Array.isArray(v)) return v.map(clone);
    const copy = Object.create(Object.getPrototypeOf(v) as object) as Record<PropertyKey, unknown>;
    for (const key of Reflect.ownKeys(v))
      copy[key] = clone((v as Record<PropertyKey, unknown>)[key]);
    return copy;
  };
  const m = clone(metric) as Metric;
  m.resetState();
  return m;
}

/** Resolves compile() arguments through the optimizer, loss and metric registries. */
export function resolveCompileArgs(args: CompileArgs): {
  compiled: CompiledModel;
  trainingConfig: TrainingConfig;
} {
  if (!args || args.loss === undefined || args.loss === null) {
    throw new Error(
      "compile() needs a loss, e.g. compile({ optimizer: 'adam', loss: 'categorical_crossentropy' }).",
    );
  }
  const optimizer = getOptimizer(args.optimizer ?? 'rmsprop');
  const loss: Loss = getLoss(args.loss);
  const metricIds = args.metrics ?? [];
  // Resolve once now so a bad name fails at compile time.
  const names = metricIds.map((m) => getMetric(m).name);
  const compiled: CompiledModel = {
    optimizer,
    loss,
    makeMetrics: () => metricIds.map((m) => (typeof m === 'string' ? getMetric(m) : freshCopy(m))),
  };
  const lossId = args.loss;
  return {
    compiled,
    trainingConfig: {
      optimizer: serializeOptimizer(optimizer),
      loss:
        typeof lossId === 'string'
          ? lossId
          : typeof lossId === 'function'
            ? lossId.name
            : { className: lossId.className, ...(lossId.config ? { config: lossId.config } : {}) },
      metrics: names,
    },
  };
}

import { layers } from '../layers/index.js';
import { sequential, type Sequential } from '../models/index.js';
import { datasetSpec } from '../data/dataset-spec.js';
import type { ModelSpec, TrainSpec } from './model-spec.js';

/**
 * Builds the notebooks' models from a spec.
 * MLP (no hidden sizes: softmax regression): Flatten-free Dense stack on 784 inputs: [Dense(h) -> BatchNorm? -> activation -> Dropout?]* -> Dense(10, softmax).
 * CNN: Conv2D(32, 3x3) -> MaxPool(2) -> Conv2D(64, 3x3) -> MaxPool(2) -> Flatten -> Dense(hidden) -> Dense(10, softmax).
 */
export function buildModel(spec: ModelSpec, inputShape: number[], numClasses: number): Sequential {
  const model = sequential({ name: spec.model === 'cnn' ? 'cnn' : 'mlp' });
  const bn = spec.batchnorm;
  if (spec.model === 'cnn') {
    model.add(
      layers.conv2d({ filters: 32, kernelSize: 3, activation: spec.activation, inputShape }),
    );
    model.add(layers.maxPooling2d({ poolSize: 2 }));
    model.add(layers.conv2d({ filters: 64, kernelSize: 3, activation: spec.activation }));
    model.add(layers.maxPooling2d({ poolSize: 2 }));
    model.add(layers.flatten());
  }
  spec.hidden.forEach((units, i) => {
    const first = i === 0 && spec.model === 'mlp';
    model.add(
      layers.dense({
        units,
        activation: bn ? 'linear' : spec.activation,
        ...(first ? { inputShape } : {}),
      }),
    );
    if (bn) {
      model.add(layers.batchNormalization({}));
      model.add(layers.activation({ activation: spec.activation }));
    }
    if (spec.dropout > 0) model.add(layers.dropout({ rate: spec.dropout }));
  });
  const bare = spec.model === 'mlp' && spec.hidden.length === 0;
  model.add(
    layers.dense({ units: numClasses, activation: 'softmax', ...(bare ? { inputShape } : {}) }),
  );
  return model;
}

/** The spec's model for its dataset's images and classes, without loading any data. */
export function buildModelForDataset(spec: ModelSpec & Pick<TrainSpec, 'dataset'>): Sequential {
  const ds = datasetSpec(spec.dataset);
  const [h, w] = ds.imageShape;
  return buildModel(spec, spec.model === 'cnn' ? [h, w, 1] : [h * w], ds.classNames.length);
}

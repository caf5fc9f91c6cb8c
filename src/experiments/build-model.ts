import { layers } from '../layers/index.js';
import { sequential, type Sequential } from '../models/index.js';
import { datasetSpec } from '../data/dataset-spec.js';
import type { Layer } from '../layers/layer.js';
import {
  augments,
  isConvolutional,
  type AugmentSpec,
  type ModelSpec,
  type TrainSpec,
} from './model-spec.js';

/**
 * cnn-bn's BatchNormalization momentum. Keras's 0.99 averages over ~100 steps and starts the
 * moving variance at 1: after the few hundred steps of a short recipe 0.99^steps of that 1 is
 * still there (0.04 after 314 steps, beside a first-layer variance near 0.01), and inference
 * with those statistics fails. 0.9 forgets the start within ~50 steps.
 */
const BN_MOMENTUM = 0.9;

/** cnn-bn's default blocks: two of two convolutions, 32 then 64 filters. */
export const CNN_BN_FILTERS: readonly number[] = [32, 64];
export const CNN_BN_BLOCK_CONVS = 2;

/**
 * Builds the notebooks' models from a spec.
 * MLP (no hidden sizes: softmax regression): Flatten-free Dense stack on 784 inputs: [Dense(h) -> BatchNorm? -> activation -> Dropout?]* -> Dense(10, softmax).
 * CNN: Conv2D(32, 3x3) -> MaxPool(2) -> Conv2D(64, 3x3) -> MaxPool(2) -> Flatten -> Dense(hidden) -> Dense(10, softmax).
 * CNN-BN: [Conv2D(f, 3x3, same, no bias) -> BatchNorm -> activation] x blockConvs (2) -> MaxPool(2),
 * for f in filters (32, 64); Flatten -> Dense(hidden) -> BatchNorm -> activation -> Dropout? ->
 * Dense(10, softmax).
 */
export function buildModel(spec: ModelSpec, inputShape: number[], numClasses: number): Sequential {
  const model = sequential({ name: spec.model.replace('-', '_') });
  if (augments(spec.augment)) {
    if (isConvolutional(spec.model)) {
      for (const l of augmentationLayers(spec.augment, inputShape)) model.add(l);
    } else {
      // The MLP reads flattened pixels: warp them as the square images they are, then flatten.
      const side = Math.sqrt(inputShape[0]!);
      if (inputShape.length !== 1 || !Number.isInteger(side)) {
        throw new Error(
          `augmentation needs square images; the MLP's input [${inputShape.join(', ')}] is not one.`,
        );
      }
      model.add(layers.reshape({ targetShape: [side, side, 1], inputShape }));
      for (const l of augmentationLayers(spec.augment)) model.add(l);
      model.add(layers.flatten());
    }
    // The first Dense / Conv2D below must not declare an input shape again.
    inputShape = [];
  }
  // cnn-bn normalises every block, so its Dense layer has BatchNormalization too.
  const bn = spec.batchnorm || spec.model === 'cnn-bn';
  if (spec.model === 'cnn') {
    model.add(
      layers.conv2d({
        filters: 32,
        kernelSize: 3,
        activation: spec.activation,
        ...(inputShape.length > 0 ? { inputShape } : {}),
      }),
    );
    model.add(layers.maxPooling2d({ poolSize: 2 }));
    model.add(layers.conv2d({ filters: 64, kernelSize: 3, activation: spec.activation }));
    model.add(layers.maxPooling2d({ poolSize: 2 }));
    model.add(layers.flatten());
  }
  if (spec.model === 'cnn-bn') {
    let first = true;
    for (const filters of spec.filters ?? CNN_BN_FILTERS) {
      for (let i = 0; i < (spec.blockConvs ?? CNN_BN_BLOCK_CONVS); i++) {
        // The bias is redundant before BatchNormalization (its beta shifts instead).
        model.add(
          layers.conv2d({
            filters,
            kernelSize: 3,
            padding: 'same',
            useBias: false,
            ...(first && inputShape.length > 0 ? { inputShape } : {}),
          }),
        );
        first = false;
        model.add(layers.batchNormalization({ momentum: BN_MOMENTUM }));
        model.add(layers.activation({ activation: spec.activation }));
      }
      model.add(layers.maxPooling2d({ poolSize: 2 }));
    }
    model.add(layers.flatten());
    // Without a hidden Dense layer the Dropout goes straight before the softmax layer.
    if (spec.hidden.length === 0 && spec.dropout > 0) {
      model.add(layers.dropout({ rate: spec.dropout }));
    }
  }
  spec.hidden.forEach((units, i) => {
    const first = i === 0 && !isConvolutional(spec.model) && inputShape.length > 0;
    model.add(
      layers.dense({
        units,
        activation: bn ? 'linear' : spec.activation,
        ...(first ? { inputShape } : {}),
      }),
    );
    if (bn) {
      model.add(
        layers.batchNormalization(spec.model === 'cnn-bn' ? { momentum: BN_MOMENTUM } : {}),
      );
      model.add(layers.activation({ activation: spec.activation }));
    }
    if (spec.dropout > 0) model.add(layers.dropout({ rate: spec.dropout }));
  });
  const bare = !isConvolutional(spec.model) && spec.hidden.length === 0 && inputShape.length > 0;
  model.add(
    layers.dense({ units: numClasses, activation: 'softmax', ...(bare ? { inputShape } : {}) }),
  );
  return model;
}

/**
 * The augmentation layers of a spec, in Keras's usual order (turn, zoom, shift, flip,
 * contrast); the first declares `inputShape` when given.
 */
function augmentationLayers(a: AugmentSpec, inputShape?: number[]): Layer[] {
  const out: Layer[] = [];
  const common = (): { inputShape?: number[] } =>
    out.length === 0 && inputShape ? { inputShape } : {};
  const warp = (): { fillMode: AugmentSpec['fill']; inputShape?: number[] } => ({
    fillMode: a.fill,
    ...common(),
  });
  if (a.rotate > 0) out.push(layers.randomRotation({ factor: a.rotate / 360, ...warp() }));
  if (a.zoom > 0) out.push(layers.randomZoom({ heightFactor: a.zoom, ...warp() }));
  if (a.translate > 0) {
    out.push(
      layers.randomTranslation({ heightFactor: a.translate, widthFactor: a.translate, ...warp() }),
    );
  }
  if (a.flip !== 'none') out.push(layers.randomFlip({ mode: a.flip, ...common() }));
  if (a.contrast > 0) {
    out.push(layers.randomContrast({ factor: a.contrast, valueRange: [0, 1], ...common() }));
  }
  return out;
}

/** The spec's model for its dataset's images and classes, without loading any data. */
export function buildModelForDataset(spec: ModelSpec & Pick<TrainSpec, 'dataset'>): Sequential {
  const ds = datasetSpec(spec.dataset);
  const [h, w] = ds.imageShape;
  return buildModel(spec, isConvolutional(spec.model) ? [h, w, 1] : [h * w], ds.classNames.length);
}

// The layers API: classes, the functional `input()`, TF.js-style factories (`layers.dense`)
// and the class registry used to deserialise models.
import { Activation, type ActivationArgs } from './activation.js';
import { Add } from './add.js';
import { AveragePooling2D } from './average-pooling2d.js';
import { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
import { Concatenate, type ConcatenateArgs } from './concatenate.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Dense, type DenseArgs } from './dense.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { ELU, type ELUArgs } from './elu.js';
import { Flatten } from './flatten.js';
import {
  GlobalAveragePooling2D,
  type GlobalAveragePooling2DArgs,
} from './global-average-pooling2d.js';
import { GlobalMaxPooling2D, type GlobalMaxPooling2DArgs } from './global-max-pooling2d.js';
import { InputLayer, input, type InputLayerArgs } from './input-layer.js';
import type { LayerArgs } from './layer.js';
import { registerLayer } from './layer-registry.js';
import { LeakyReLU, type LeakyReLUArgs } from './leaky-relu.js';
import { MaxPooling2D } from './max-pooling2d.js';
import type { Pooling2DArgs } from './pooling2d.js';
import { Reshape, type ReshapeArgs } from './reshape.js';
import { Softmax, type SoftmaxArgs } from './softmax.js';
import { SpatialDropout2D, type SpatialDropout2DArgs } from './spatial-dropout2d.js';

export {
  Layer,
  singleInput,
  singleShape,
  type ApplyArgs,
  type CallArgs,
  type InputSpec,
  type LayerArgs,
  type LayerConfig,
} from './layer.js';
export { SymbolicTensor } from './symbolic-tensor.js';
export { Node } from './node.js';
export {
  formatKerasShape,
  isShapeList,
  withNullBatch,
  type LayerShape,
  type ShapeN,
} from './layer-shape.js';
export { resetLayerNames, toSnakeCase, uniqueName } from './naming.js';
export {
  deserializeLayer,
  registerLayer,
  registeredLayerClasses,
  type LayerFactory,
} from './layer-registry.js';
export { Pooling2D, type Pooling2DArgs } from './pooling2d.js';
export { GlobalPooling2D, type GlobalPooling2DArgs } from './global-pooling2d.js';
export {
  Activation,
  Add,
  AveragePooling2D,
  BatchNormalization,
  Concatenate,
  Conv2D,
  Dense,
  Dropout,
  ELU,
  Flatten,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  InputLayer,
  LeakyReLU,
  MaxPooling2D,
  Reshape,
  Softmax,
  SpatialDropout2D,
  input,
  type ActivationArgs,
  type BatchNormalizationArgs,
  type ConcatenateArgs,
  type Conv2DArgs,
  type DenseArgs,
  type DropoutArgs,
  type ELUArgs,
  type GlobalAveragePooling2DArgs,
  type GlobalMaxPooling2DArgs,
  type InputLayerArgs,
  type LeakyReLUArgs,
  type ReshapeArgs,
  type SoftmaxArgs,
  type SpatialDropout2DArgs,
};

type Config = Record<string, unknown>;
registerLayer('InputLayer', (c) => new InputLayer(c as InputLayerArgs));
registerLayer('Dense', (c) => new Dense(c as Config as unknown as DenseArgs));
registerLayer('Activation', (c) => new Activation(c as Config as unknown as ActivationArgs));
registerLayer('Dropout', (c) => new Dropout(c as Config as unknown as DropoutArgs));
registerLayer('Flatten', (c) => new Flatten(c as LayerArgs));
registerLayer('Reshape', (c) => new Reshape(c as Config as unknown as ReshapeArgs));
registerLayer('BatchNormalization', (c) => new BatchNormalization(c as BatchNormalizationArgs));
registerLayer('LeakyReLU', (c) => new LeakyReLU(c as LeakyReLUArgs));
registerLayer('ELU', (c) => new ELU(c as ELUArgs));
registerLayer('Softmax', (c) => new Softmax(c as SoftmaxArgs));
registerLayer('Conv2D', (c) => new Conv2D(c as Config as unknown as Conv2DArgs));
registerLayer('MaxPooling2D', (c) => new MaxPooling2D(c as Pooling2DArgs));
registerLayer('AveragePooling2D', (c) => new AveragePooling2D(c as Pooling2DArgs));
registerLayer(
  'GlobalAveragePooling2D',
  (c) => new GlobalAveragePooling2D(c as GlobalAveragePooling2DArgs),
);
registerLayer('GlobalMaxPooling2D', (c) => new GlobalMaxPooling2D(c as GlobalMaxPooling2DArgs));
registerLayer(
  'SpatialDropout2D',
  (c) => new SpatialDropout2D(c as Config as unknown as SpatialDropout2DArgs),
);
registerLayer('Concatenate', (c) => new Concatenate(c as ConcatenateArgs));
registerLayer('Add', (c) => new Add(c as LayerArgs));

export { layers } from './factories.js';

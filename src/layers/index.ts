// The layers API: classes, the functional `input()`, TF.js-style factories (`layers.dense`)
// and the class registry used to deserialise models.
import { Activation, type ActivationArgs } from './activation.js';
import { Add } from './add.js';
import { AveragePooling2D } from './average-pooling2d.js';
import { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
import { Concatenate, type ConcatenateArgs } from './concatenate.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Dense, type DenseArgs } from './dense.js';
import { DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise-conv2d.js';
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
import { RandomContrast, type RandomContrastArgs } from './random-contrast.js';
import { RandomFlip, type RandomFlipArgs } from './random-flip.js';
import { RandomRotation, type RandomRotationArgs } from './random-rotation.js';
import { RandomTranslation, type RandomTranslationArgs } from './random-translation.js';
import { RandomZoom, type RandomZoomArgs } from './random-zoom.js';
import { Reshape, type ReshapeArgs } from './reshape.js';
import { SeparableConv2D, type SeparableConv2DArgs } from './separable-conv2d.js';
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
  RandomImageLayer,
  type Factor,
  type RandomImageLayerArgs,
  type WarpArgs,
} from './random-image-layer.js';
export type { FlipMode } from './random-flip.js';
export {
  Activation,
  Add,
  AveragePooling2D,
  BatchNormalization,
  Concatenate,
  Conv2D,
  Dense,
  DepthwiseConv2D,
  Dropout,
  ELU,
  Flatten,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  InputLayer,
  LeakyReLU,
  MaxPooling2D,
  RandomContrast,
  RandomFlip,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
  Reshape,
  SeparableConv2D,
  Softmax,
  SpatialDropout2D,
  input,
  type ActivationArgs,
  type BatchNormalizationArgs,
  type ConcatenateArgs,
  type Conv2DArgs,
  type DenseArgs,
  type DepthwiseConv2DArgs,
  type DropoutArgs,
  type ELUArgs,
  type GlobalAveragePooling2DArgs,
  type GlobalMaxPooling2DArgs,
  type InputLayerArgs,
  type LeakyReLUArgs,
  type RandomContrastArgs,
  type RandomFlipArgs,
  type RandomRotationArgs,
  type RandomTranslationArgs,
  type RandomZoomArgs,
  type ReshapeArgs,
  type SeparableConv2DArgs,
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
registerLayer(
  'DepthwiseConv2D',
  (c) => new DepthwiseConv2D(c as Config as unknown as DepthwiseConv2DArgs),
);
registerLayer(
  'SeparableConv2D',
  (c) => new SeparableConv2D(c as Config as unknown as SeparableConv2DArgs),
);
registerLayer(
  'RandomTranslation',
  (c) => new RandomTranslation(c as Config as unknown as RandomTranslationArgs),
);
registerLayer(
  'RandomRotation',
  (c) => new RandomRotation(c as Config as unknown as RandomRotationArgs),
);
registerLayer('RandomZoom', (c) => new RandomZoom(c as Config as unknown as RandomZoomArgs));
registerLayer('RandomFlip', (c) => new RandomFlip(c as RandomFlipArgs));
registerLayer(
  'RandomContrast',
  (c) => new RandomContrast(c as Config as unknown as RandomContrastArgs),
);
registerLayer('Concatenate', (c) => new Concatenate(c as ConcatenateArgs));
registerLayer('Add', (c) => new Add(c as LayerArgs));

export { layers } from './factories.js';

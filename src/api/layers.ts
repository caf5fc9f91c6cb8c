// The `layers` namespace (TF.js `tf.layers`): one factory per layer, and the base class for
// custom layers.
import { layers } from '../layers/factories.js';

export const {
  input,
  inputLayer,
  dense,
  activation,
  dropout,
  spatialDropout2d,
  flatten,
  reshape,
  batchNormalization,
  leakyReLU,
  elu,
  softmax,
  conv2d,
  depthwiseConv2d,
  separableConv2d,
  maxPooling2d,
  averagePooling2d,
  globalAveragePooling2d,
  globalMaxPooling2d,
  concatenate,
  add,
  randomTranslation,
  randomRotation,
  randomZoom,
  randomFlip,
  randomContrast,
} = layers;
export { Layer } from '../layers/layer.js';
export type { CallArgs, LayerArgs, LayerConfig } from '../layers/layer.js';
export type { SymbolicTensor } from '../layers/symbolic-tensor.js';
export type { ActivationArgs } from '../layers/activation.js';
export type { BatchNormalizationArgs } from '../layers/batch-normalization.js';
export type { ConcatenateArgs } from '../layers/concatenate.js';
export type { Conv2DArgs } from '../layers/conv2d.js';
export type { DenseArgs } from '../layers/dense.js';
export type { DepthwiseConv2DArgs } from '../layers/depthwise-conv2d.js';
export type { SeparableConv2DArgs } from '../layers/separable-conv2d.js';
export type { Factor, RandomImageLayerArgs, WarpArgs } from '../layers/random-image-layer.js';
export type { RandomTranslationArgs } from '../layers/random-translation.js';
export type { RandomRotationArgs } from '../layers/random-rotation.js';
export type { RandomZoomArgs } from '../layers/random-zoom.js';
export type { FlipMode, RandomFlipArgs } from '../layers/random-flip.js';
export type { RandomContrastArgs } from '../layers/random-contrast.js';
export type { DropoutArgs } from '../layers/dropout.js';
export type { ELUArgs } from '../layers/elu.js';
export type { GlobalAveragePooling2DArgs } from '../layers/global-average-pooling2d.js';
export type { GlobalMaxPooling2DArgs } from '../layers/global-max-pooling2d.js';
export type { InputLayerArgs } from '../layers/input-layer.js';
export type { LeakyReLUArgs } from '../layers/leaky-relu.js';
export type { Pooling2DArgs } from '../layers/pooling2d.js';
export type { ReshapeArgs } from '../layers/reshape.js';
export type { SoftmaxArgs } from '../layers/softmax.js';
export type { SpatialDropout2DArgs } from '../layers/spatial-dropout2d.js';

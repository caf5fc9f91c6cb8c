// The TF.js-style layer factories (`layers.dense({ units: 10 })`), which are the public way to
// make a layer. Each checks its options (an unknown key is an error naming the right one;
// Keras snake_case keys are read as camelCase) and takes Keras's positional first argument:
// `dense(512, { activation: 'relu' })`, `dropout(0.5)`, `conv2d(32, [3, 3])`.
import { readOptions } from '../util/options.js';
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
import { InputLayer, input as makeInput, type InputLayerArgs } from './input-layer.js';
import type { LayerArgs } from './layer.js';
import { LeakyReLU, type LeakyReLUArgs } from './leaky-relu.js';
import { MaxPooling2D } from './max-pooling2d.js';
import type { Pooling2DArgs } from './pooling2d.js';
import { RandomContrast, type RandomContrastArgs } from './random-contrast.js';
import { RandomFlip, type RandomFlipArgs } from './random-flip.js';
import type { RandomImageLayerArgs, WarpArgs } from './random-image-layer.js';
import { RandomRotation, type RandomRotationArgs } from './random-rotation.js';
import { RandomTranslation, type RandomTranslationArgs } from './random-translation.js';
import { RandomZoom, type RandomZoomArgs } from './random-zoom.js';
import { Reshape, type ReshapeArgs } from './reshape.js';
import { SeparableConv2D, type SeparableConv2DArgs } from './separable-conv2d.js';
import { Softmax, type SoftmaxArgs } from './softmax.js';
import { SpatialDropout2D, type SpatialDropout2DArgs } from './spatial-dropout2d.js';
import type { SymbolicTensor } from './symbolic-tensor.js';

type Keys<T> = Record<keyof Required<T>, 1>;

const LAYER = {
  name: 1,
  trainable: 1,
  dtype: 1,
  inputShape: 1,
  batchInputShape: 1,
  batchSize: 1,
  inputDim: 1,
} satisfies Keys<LayerArgs>;

const keys = (own: object): string[] => Object.keys({ ...LAYER, ...own });

const DENSE = keys({
  units: 1,
  activation: 1,
  useBias: 1,
  kernelInitializer: 1,
  biasInitializer: 1,
  kernelRegularizer: 1,
  biasRegularizer: 1,
} satisfies Keys<Omit<DenseArgs, keyof LayerArgs>>);
const CONV2D = keys({
  filters: 1,
  kernelSize: 1,
  strides: 1,
  padding: 1,
  dataFormat: 1,
  dilationRate: 1,
  activation: 1,
  useBias: 1,
  kernelInitializer: 1,
  biasInitializer: 1,
  kernelRegularizer: 1,
  biasRegularizer: 1,
} satisfies Keys<Omit<Conv2DArgs, keyof LayerArgs>>);
const DEPTHWISE_BASE = {
  kernelSize: 1,
  strides: 1,
  padding: 1,
  depthMultiplier: 1,
  dataFormat: 1,
  dilationRate: 1,
  activation: 1,
  useBias: 1,
  depthwiseInitializer: 1,
  biasInitializer: 1,
  depthwiseRegularizer: 1,
  biasRegularizer: 1,
} satisfies Keys<Omit<DepthwiseConv2DArgs, keyof LayerArgs>>;
const DEPTHWISE = keys(DEPTHWISE_BASE);
const SEPARABLE = keys({
  ...DEPTHWISE_BASE,
  filters: 1,
  pointwiseInitializer: 1,
  pointwiseRegularizer: 1,
} satisfies Keys<Omit<SeparableConv2DArgs, keyof LayerArgs>>);
const RANDOM = { seed: 1, dataFormat: 1 } satisfies Keys<
  Omit<RandomImageLayerArgs, keyof LayerArgs>
>;
const WARP = { ...RANDOM, fillMode: 1, interpolation: 1, fillValue: 1 } satisfies Keys<WarpArgs>;
const RANDOM_TRANSLATION = keys({ ...WARP, heightFactor: 1, widthFactor: 1 } satisfies Keys<
  Omit<RandomTranslationArgs, keyof LayerArgs>
>);
const RANDOM_ROTATION = keys({ ...WARP, factor: 1 } satisfies Keys<
  Omit<RandomRotationArgs, keyof LayerArgs>
>);
const RANDOM_ZOOM = keys({ ...WARP, heightFactor: 1, widthFactor: 1 } satisfies Keys<
  Omit<RandomZoomArgs, keyof LayerArgs>
>);
const RANDOM_FLIP = keys({ ...RANDOM, mode: 1 } satisfies Keys<
  Omit<RandomFlipArgs, keyof LayerArgs>
>);
const RANDOM_CONTRAST = keys({ ...RANDOM, factor: 1, valueRange: 1 } satisfies Keys<
  Omit<RandomContrastArgs, keyof LayerArgs>
>);
const DROPOUT = keys({ rate: 1, seed: 1 } satisfies Keys<Omit<DropoutArgs, keyof LayerArgs>>);
const SPATIAL_DROPOUT = keys({ rate: 1, seed: 1, dataFormat: 1 } satisfies Keys<
  Omit<SpatialDropout2DArgs, keyof LayerArgs>
>);
const ACTIVATION = keys({ activation: 1 } satisfies Keys<Omit<ActivationArgs, keyof LayerArgs>>);
const RESHAPE = keys({ targetShape: 1 } satisfies Keys<Omit<ReshapeArgs, keyof LayerArgs>>);
const POOLING = keys({
  poolSize: 1,
  strides: 1,
  padding: 1,
  dataFormat: 1,
} satisfies Keys<Omit<Pooling2DArgs, keyof LayerArgs>>);
const BATCH_NORM = keys({
  axis: 1,
  momentum: 1,
  epsilon: 1,
  center: 1,
  scale: 1,
  betaInitializer: 1,
  gammaInitializer: 1,
  movingMeanInitializer: 1,
  movingVarianceInitializer: 1,
  betaRegularizer: 1,
  gammaRegularizer: 1,
} satisfies Keys<Omit<BatchNormalizationArgs, keyof LayerArgs>>);
const LEAKY_RELU = keys({ negativeSlope: 1, alpha: 1 } satisfies Keys<
  Omit<LeakyReLUArgs, keyof LayerArgs>
>);
const ELU_KEYS = keys({ alpha: 1 } satisfies Keys<Omit<ELUArgs, keyof LayerArgs>>);
const SOFTMAX = keys({ axis: 1 } satisfies Keys<Omit<SoftmaxArgs, keyof LayerArgs>>);
const CONCATENATE = keys({ axis: 1 } satisfies Keys<Omit<ConcatenateArgs, keyof LayerArgs>>);
const GLOBAL_POOL = keys({ keepdims: 1, dataFormat: 1 } satisfies Keys<
  Omit<GlobalAveragePooling2DArgs & GlobalMaxPooling2DArgs, keyof LayerArgs>
>);
const INPUT = Object.keys({
  shape: 1,
  inputShape: 1,
  batchSize: 1,
  batchInputShape: 1,
  batchShape: 1,
  dtype: 1,
  name: 1,
} satisfies Keys<InputLayerArgs>);
const PLAIN = keys({});

/**
 * The options of a factory call: `(options)`, or `(first, options)` where `first` is Keras's
 * positional argument (`units`, `rate`, ...), which must not also appear in `options`.
 */
function args<T extends object>(
  where: string,
  known: readonly string[],
  positional: readonly string[],
  given: readonly unknown[],
): T {
  const firstIsOptions =
    given.length <= 1 &&
    (given[0] === undefined ||
      (typeof given[0] === 'object' && given[0] !== null && !Array.isArray(given[0])));
  if (firstIsOptions) return readOptions(where, given[0] as T | undefined, known);
  const values = given.slice(0, positional.length);
  const rest = given[values.length];
  if (given.length > positional.length + 1 || (rest !== undefined && typeof rest !== 'object')) {
    throw new TypeError(
      `${where} takes ${positional.map((p) => `${p}, `).join('')}then an options object; got ${given.length} arguments.`,
    );
  }
  const options = readOptions(where, rest as T | undefined, known) as Record<string, unknown>;
  values.forEach((v, i) => {
    const key = positional[i]!;
    if (options[key] !== undefined) {
      throw new Error(`${where}: '${key}' was given both positionally and in the options.`);
    }
    options[key] = v;
  });
  return options as T;
}

/**
 * The argument lists of a factory whose options are `A` and whose Keras positional arguments
 * are the keys `P`: the options alone (optional when every option is), or the positional
 * values followed by the remaining options.
 */
type FactoryArgs<A, P extends readonly (keyof A)[]> =
  | (Partial<A> extends A ? [A?] : [A])
  | [...{ [I in keyof P]: NonNullable<A[P[I]]> }, Omit<A, P[number]>?];

/** A factory taking `A` as options or Keras's positional `keys` first; checks, then `make`s. */
function factory<A extends object, const P extends readonly (keyof A & string)[], L>(
  where: string,
  known: readonly string[],
  keys: P,
  make: (options: A) => L,
): (...a: FactoryArgs<A, P>) => L {
  return (...a) => make(args<A>(where, known, keys, a));
}

/** TF.js-style factories: `layers.dense({ units: 10, activation: 'softmax' })`. */
export const layers = {
  /** `input({ shape: [784] })`: the symbolic input of a functional model. */
  input: (options: InputLayerArgs): SymbolicTensor =>
    makeInput(readOptions('input()', options, INPUT)),
  inputLayer: (options: InputLayerArgs): InputLayer =>
    new InputLayer(readOptions('inputLayer()', options, INPUT)),
  dense: factory('dense()', DENSE, ['units'], (o: DenseArgs) => new Dense(o)),
  activation: factory(
    'activation()',
    ACTIVATION,
    ['activation'],
    (o: ActivationArgs) => new Activation(o),
  ),
  dropout: factory('dropout()', DROPOUT, ['rate'], (o: DropoutArgs) => new Dropout(o)),
  spatialDropout2d: factory(
    'spatialDropout2d()',
    SPATIAL_DROPOUT,
    ['rate'],
    (o: SpatialDropout2DArgs) => new SpatialDropout2D(o),
  ),
  flatten: (options?: LayerArgs): Flatten => new Flatten(readOptions('flatten()', options, PLAIN)),
  reshape: factory('reshape()', RESHAPE, ['targetShape'], (o: ReshapeArgs) => new Reshape(o)),
  batchNormalization: (options?: BatchNormalizationArgs): BatchNormalization =>
    new BatchNormalization(readOptions('batchNormalization()', options, BATCH_NORM)),
  leakyReLU: (options?: LeakyReLUArgs): LeakyReLU =>
    new LeakyReLU(readOptions('leakyReLU()', options, LEAKY_RELU)),
  elu: (options?: ELUArgs): ELU => new ELU(readOptions('elu()', options, ELU_KEYS)),
  softmax: (options?: SoftmaxArgs): Softmax =>
    new Softmax(readOptions('softmax()', options, SOFTMAX)),
  conv2d: factory('conv2d()', CONV2D, ['filters', 'kernelSize'], (o: Conv2DArgs) => new Conv2D(o)),
  maxPooling2d: factory(
    'maxPooling2d()',
    POOLING,
    ['poolSize'],
    (o: Pooling2DArgs) => new MaxPooling2D(o),
  ),
  averagePooling2d: factory(
    'averagePooling2d()',
    POOLING,
    ['poolSize'],
    (o: Pooling2DArgs) => new AveragePooling2D(o),
  ),
  depthwiseConv2d: factory(
    'depthwiseConv2d()',
    DEPTHWISE,
    ['kernelSize'],
    (o: DepthwiseConv2DArgs) => new DepthwiseConv2D(o),
  ),
  separableConv2d: factory(
    'separableConv2d()',
    SEPARABLE,
    ['filters', 'kernelSize'],
    (o: SeparableConv2DArgs) => new SeparableConv2D(o),
  ),
  randomTranslation: factory(
    'randomTranslation()',
    RANDOM_TRANSLATION,
    ['heightFactor', 'widthFactor'],
    (o: RandomTranslationArgs) => new RandomTranslation(o),
  ),
  randomRotation: factory(
    'randomRotation()',
    RANDOM_ROTATION,
    ['factor'],
    (o: RandomRotationArgs) => new RandomRotation(o),
  ),
  randomZoom: factory(
    'randomZoom()',
    RANDOM_ZOOM,
    ['heightFactor'],
    (o: RandomZoomArgs) => new RandomZoom(o),
  ),
  randomFlip: factory(
    'randomFlip()',
    RANDOM_FLIP,
    ['mode'],
    (o: RandomFlipArgs) => new RandomFlip(o),
  ),
  randomContrast: factory(
    'randomContrast()',
    RANDOM_CONTRAST,
    ['factor'],
    (o: RandomContrastArgs) => new RandomContrast(o),
  ),
  globalAveragePooling2d: (options?: GlobalAveragePooling2DArgs): GlobalAveragePooling2D =>
    new GlobalAveragePooling2D(readOptions('globalAveragePooling2d()', options, GLOBAL_POOL)),
  globalMaxPooling2d: (options?: GlobalMaxPooling2DArgs): GlobalMaxPooling2D =>
    new GlobalMaxPooling2D(readOptions('globalMaxPooling2d()', options, GLOBAL_POOL)),
  concatenate: (options?: ConcatenateArgs): Concatenate =>
    new Concatenate(readOptions('concatenate()', options, CONCATENATE)),
  add: (options?: LayerArgs): Add => new Add(readOptions('add()', options, PLAIN)),
};

import {
  getInitializer,
  type Initializer,
  type InitializerIdentifier,
} from '../initializers/index.js';
import * as ops from '../ops/index.js';
import {
  getRegularizer,
  type Regularizer,
  type RegularizerIdentifier,
} from '../regularizers/index.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import {
  Layer,
  singleInput,
  singleShape,
  type CallArgs,
  type LayerArgs,
  type LayerConfig,
} from './layer.js';
import type { LayerShape } from './layer-shape.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The features axis (default -1, channels-last). */
  axis?: number;
  /** Default 0.99 (Keras). */
  momentum?: number;
  /** Default 1e-3 (Keras). */
  epsilon?: number;
  /** Learn an offset beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
}

/**
 * Keras 3's BatchNormalization: (x - mean) / sqrt(var + epsilon) * gamma + beta per feature.
 * Training (and trainable) uses the batch's mean and biased variance over every axis but
 * `axis` and updates moving = moving * momentum + batch * (1 - momentum); inference (or a
 * frozen layer) uses the moving averages.
 */
export class BatchNormalization extends Layer {
  static override readonly className: string = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    if (!Number.isInteger(this.axis)) throw new Error(`axis must be an integer, got ${this.axis}.`);
    if (!(this.momentum >= 0 && this.momentum <= 1)) {
      throw new RangeError(`momentum must be in [0, 1], got ${this.momentum}.`);
    }
    if (!(this.epsilon > 0)) throw new RangeError(`epsilon must be positive, got ${this.epsilon}.`);
    this.betaInitializer = getInitializer(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = getInitializer(args.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = getInitializer(args.movingVarianceInitializer ?? 'ones');
    this.betaRegularizer = args.betaRegularizer ? getRegularizer(args.betaRegularizer) : null;
    this.gammaRegularizer = args.gammaRegularizer ? getRegularizer(args.gammaRegularizer) : null;
  }

  override build(inputShape: LayerShape): void {
    const shape = singleShape(inputShape, this);
    const axis = normalizeAxis(this.axis, shape.length);
    const size = shape[axis];
    if (size === null || size === undefined) {
      throw new Error(
        `BatchNormalization '${this.name}': axis ${this.axis} of the input must be known, got ${JSON.stringify(shape)}.`,
      );
    }
    if (this.scale) {
      this.gamma = this.addWeight('gamma', [size], this.gammaInitializer, this.gammaRegularizer);
    }
    if (this.center) {
      this.beta = this.addWeight('beta', [size], this.betaInitializer, this.betaRegularizer);
    }
    this.movingMean = this.addWeight(
      'moving_mean',
      [size],
      this.movingMeanInitializer,
      null,
      false,
    );
    this.movingVariance = this.addWeight(
      'moving_variance',
      [size],
      this.movingVarianceInitializer,
      null,
      false,
    );
    this.inputSpec = { ndim: shape.length, axes: { [this.axis]: size } };
    super.build(inputShape);
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    const x = singleInput(inputs, this);
    const axis = normalizeAxis(this.axis, x.rank);
    if (args.training && this.trainable && axis === x.rank - 1) {
      // Channels last: one fused kernel each way (statistics, normalization, scale and offset).
      const { y, mean, variance } = ops.batchNorm(x, this.gamma, this.beta, this.epsilon);
      this.updateMoving(this.movingMean!, mean);
      this.updateMoving(this.movingVariance!, variance);
      return y;
    }
    if (axis === x.rank - 1) {
      // Inference over channels last: the moving statistics folded into a per-channel scale and
      // shift on the [c] vectors (as tf.nn.batch_normalization), then one pass over x.
      let scale = ops.rsqrt(ops.addScalar(this.movingVariance!, this.epsilon));
      if (this.gamma) scale = ops.mul(this.gamma, scale);
      const offset = ops.mul(this.movingMean!, scale);
      const shift = this.beta ? ops.sub(this.beta, offset) : ops.neg(offset);
      return ops.scaleShift(x, scale, shift);
    }
    const reduceAxes = x.shape.map((_, i) => i).filter((i) => i !== axis);
    const paramShape = x.shape.map((d, i) => (i === axis ? d : 1));
    const param = (v: Variable): Tensor => ops.reshape(v, paramShape);
    let normalized: Tensor;
    if (args.training && this.trainable) {
      const mean = ops.mean(x, reduceAxes, true);
      const centered = ops.sub(x, mean);
      const variance = ops.mean(ops.square(centered), reduceAxes, true);
      this.updateMoving(this.movingMean!, mean);
      this.updateMoving(this.movingVariance!, variance);
      normalized = ops.mul(centered, ops.rsqrt(ops.addScalar(variance, this.epsilon)));
    } else {
      const inv = ops.rsqrt(ops.addScalar(param(this.movingVariance!), this.epsilon));
      normalized = ops.mul(ops.sub(x, param(this.movingMean!)), inv);
    }
    if (this.gamma) normalized = ops.mul(normalized, param(this.gamma));
    if (this.beta) normalized = ops.add(normalized, param(this.beta));
    return normalized;
  }

  private updateMoving(moving: Variable, batch: Tensor): void {
    const m = this.momentum;
    const d = moving.values;
    const b = batch.values;
    for (let i = 0; i < d.length; i++) d[i] = d[i]! * m + b[i]! * (1 - m);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return singleShape(inputShape, this);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: this.betaInitializer.serialize(),
      gammaInitializer: this.gammaInitializer.serialize(),
      movingMeanInitializer: this.movingMeanInitializer.serialize(),
      movingVarianceInitializer: this.movingVarianceInitializer.serialize(),
      betaRegularizer: this.betaRegularizer?.serialize() ?? null,
      gammaRegularizer: this.gammaRegularizer?.serialize() ?? null,
    };
  }
}

import type { LossIdentifier } from '../losses/index.js';
import {
  CosineDecay,
  ExponentialDecay,
  getOptimizer,
  PiecewiseConstantDecay,
  type LearningRateSchedule,
  type Optimizer,
} from '../optimizers/index.js';
import type { LrScheduleSpec, TrainSpec } from './model-spec.js';

/** The learning rate a spec starts from: `lr`, or its optimizer's Keras default. */
export function baseLearningRate(spec: Pick<TrainSpec, 'optimizer' | 'lr'>): number {
  return spec.lr ?? getOptimizer(spec.optimizer).learningRate;
}

/**
 * A spec's schedule as a Keras schedule over optimizer steps. Piecewise boundaries at epoch e
 * become step e * stepsPerEpoch - 1, Keras's last step of the earlier value (it switches when
 * step > boundary), so the new rate starts exactly with epoch e.
 */
export function scheduleFromSpec(
  s: LrScheduleSpec,
  lr: number,
  epochs: number,
  stepsPerEpoch: number,
): LearningRateSchedule {
  switch (s.kind) {
    case 'exponential':
      return new ExponentialDecay({
        initialLearningRate: lr,
        decaySteps: Math.max(1, Math.round(s.decayEpochs * stepsPerEpoch)),
        decayRate: s.decayRate,
        staircase: s.staircase,
      });
    case 'cosine': {
      const warmupSteps = Math.round(s.warmupEpochs * stepsPerEpoch);
      const decaySteps = Math.max(1, epochs * stepsPerEpoch - warmupSteps);
      return new CosineDecay({
        initialLearningRate: warmupSteps > 0 ? 0 : lr,
        decaySteps,
        alpha: s.alpha,
        ...(warmupSteps > 0 ? { warmupTarget: lr, warmupSteps } : {}),
      });
    }
    case 'piecewise':
      return new PiecewiseConstantDecay({
        boundaries: s.boundaries.map((e) => e * stepsPerEpoch - 1),
        values: s.values,
      });
  }
}

/** One line for reports: the schedule in epochs. */
export function describeSchedule(s: LrScheduleSpec): string {
  switch (s.kind) {
    case 'exponential':
      return `exponential: x${s.decayRate} every ${s.decayEpochs} epoch${s.decayEpochs === 1 ? '' : 's'}${s.staircase ? ' (staircase)' : ''}`;
    case 'cosine':
      return `cosine to ${s.alpha} x the rate${s.warmupEpochs > 0 ? `, after ${s.warmupEpochs} warm-up epoch${s.warmupEpochs === 1 ? '' : 's'}` : ''}`;
    case 'piecewise':
      return `piecewise: ${s.values.map((v, i) => (i === 0 ? `${v}` : `${v} from epoch ${s.boundaries[i - 1]! + 1}`)).join(', ')}`;
  }
}

/** The spec's optimizer: its name, learning rate or schedule, momentum and weight decay. */
export function optimizerFromSpec(spec: TrainSpec, stepsPerEpoch: number): Optimizer {
  const config: Record<string, unknown> = {};
  if (spec.lrSchedule) {
    config['learningRate'] = scheduleFromSpec(
      spec.lrSchedule,
      baseLearningRate(spec),
      spec.epochs,
      stepsPerEpoch,
    );
  } else if (spec.lr !== undefined) config['learningRate'] = spec.lr;
  if (spec.momentum !== undefined) config['momentum'] = spec.momentum;
  if (spec.weightDecay !== undefined) config['weightDecay'] = spec.weightDecay;
  return getOptimizer({ className: spec.optimizer, config });
}

/** The spec's loss, with label smoothing when set. */
export function lossFromSpec(spec: TrainSpec): LossIdentifier {
  return spec.labelSmoothing
    ? { className: spec.loss, config: { labelSmoothing: spec.labelSmoothing } }
    : spec.loss;
}

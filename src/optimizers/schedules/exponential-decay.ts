import { LearningRateSchedule, type ScheduleConfig } from './learning-rate-schedule.js';
import { readScheduleOptions } from './read-schedule-options.js';

export interface ExponentialDecayConfig {
  initialLearningRate?: number;
  /** Steps per factor of `decayRate` (> 0). */
  decaySteps?: number;
  /** The factor per `decaySteps` steps (> 0). */
  decayRate?: number;
  /** Decay in whole periods: floor(step / decaySteps) (default false). */
  staircase?: boolean;
  initial_learning_rate?: number;
  decay_steps?: number;
  decay_rate?: number;
  name?: string;
}

interface Options extends Record<string, number | boolean> {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase: boolean;
}

/**
 * Keras 3's ExponentialDecay: initialLearningRate * decayRate ^ (step / decaySteps), the
 * exponent floored when `staircase`. Computed in doubles (Keras: float32).
 */
export class ExponentialDecay extends LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(config: ExponentialDecayConfig) {
    super();
    const o = readScheduleOptions<Options>(
      'ExponentialDecay',
      config as Record<string, unknown>,
      {
        initialLearningRate: { snake: 'initial_learning_rate', default: 0 },
        decaySteps: { snake: 'decay_steps', default: 0 },
        decayRate: { snake: 'decay_rate', default: 0 },
        staircase: { snake: 'staircase', default: false },
      },
      ['initialLearningRate', 'decaySteps', 'decayRate'],
    );
    // Keras rejects decay_steps <= 0; a rate <= 0 or a negative start gives no usable rate.
    if (!(o.decaySteps > 0)) {
      throw new RangeError(`ExponentialDecay: decaySteps must be > 0, got ${o.decaySteps}.`);
    }
    if (!(o.decayRate > 0)) {
      throw new RangeError(`ExponentialDecay: decayRate must be > 0, got ${o.decayRate}.`);
    }
    if (!(o.initialLearningRate >= 0)) {
      throw new RangeError(
        `ExponentialDecay: initialLearningRate must be >= 0, got ${o.initialLearningRate}.`,
      );
    }
    this.initialLearningRate = o.initialLearningRate;
    this.decaySteps = o.decaySteps;
    this.decayRate = o.decayRate;
    this.staircase = o.staircase;
  }

  static fromConfig(config: ExponentialDecayConfig): ExponentialDecay {
    return new ExponentialDecay(config);
  }

  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * this.decayRate ** p;
  }

  getConfig(): ScheduleConfig {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      decayRate: this.decayRate,
      staircase: this.staircase,
    };
  }
}

import type { OptimizerUpdate } from '../kernels/backend.js';
import { readOptions } from './config.js';
import {
  Optimizer,
  takeSchedule,
  type LearningRate,
  type OptimizerConfig,
  type SlotSpec,
} from './optimizer.js';

export interface AdagradConfig {
  /** Keras 3 default 0.001. */
  learningRate?: LearningRate;
  /** Starting value of every accumulator (Keras 3 default 0.1). */
  initialAccumulatorValue?: number;
  /** Keras 3 default 1e-7. */
  epsilon?: number;
  learning_rate?: LearningRate;
  initial_accumulator_value?: number;
}

interface AdagradOptions extends Record<string, number | boolean> {
  learningRate: number;
  initialAccumulatorValue: number;
  epsilon: number;
}

/** Keras 3's Adagrad: acc += g^2; p -= lr * g / sqrt(acc + epsilon). */
export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(config: AdagradConfig = {}) {
    const { config: rest, schedule } = takeSchedule(config);
    const o = readOptions<AdagradOptions>('Adagrad', rest as Record<string, unknown>, {
      learningRate: { snake: 'learning_rate', default: 0.001 },
      initialAccumulatorValue: { snake: 'initial_accumulator_value', default: 0.1 },
      epsilon: { snake: 'epsilon', default: 1e-7 },
    });
    super(schedule ?? o.learningRate);
    if (o.initialAccumulatorValue < 0) {
      throw new RangeError(
        `Adagrad: initialAccumulatorValue must be >= 0, got ${o.initialAccumulatorValue}.`,
      );
    }
    this.initialAccumulatorValue = o.initialAccumulatorValue;
    this.epsilon = o.epsilon;
  }

  static fromConfig(config: AdagradConfig): Adagrad {
    return new Adagrad(config);
  }

  protected slotSpec(): SlotSpec {
    return { names: ['accumulator'], initialValue: this.initialAccumulatorValue };
  }

  protected update(): OptimizerUpdate {
    return { kind: 'adagrad', lr: this.learningRate, epsilon: this.epsilon };
  }

  getConfig(): OptimizerConfig {
    return {
      learningRate: this.learningRateConfig(),
      initialAccumulatorValue: this.initialAccumulatorValue,
      epsilon: this.epsilon,
    };
  }
}

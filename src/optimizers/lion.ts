import type { OptimizerUpdate } from '../kernels/backend.js';
import { readOptions } from './config.js';
import {
  Optimizer,
  takeSchedule,
  type LearningRate,
  type OptimizerConfig,
  type SlotSpec,
} from './optimizer.js';

export interface LionConfig {
  /** Keras 3 default 0.001; Lion's sign steps usually want 3-10x less than Adam's rate. */
  learningRate?: LearningRate;
  /** Weight of the momentum against the gradient in the step's sign (default 0.9). */
  beta1?: number;
  /** Decay of the momentum (default 0.99). */
  beta2?: number;
  learning_rate?: LearningRate;
  beta_1?: number;
  beta_2?: number;
}

interface LionOptions extends Record<string, number | boolean> {
  learningRate: number;
  beta1: number;
  beta2: number;
}

/** Keras 3's Lion (Chen et al., 2023): steps of the sign of a momentum (see OptimizerUpdate 'lion'). */
export class Lion extends Optimizer {
  readonly className = 'Lion';
  readonly beta1: number;
  readonly beta2: number;

  constructor(config: LionConfig = {}) {
    const { config: rest, schedule } = takeSchedule(config);
    const o = readOptions<LionOptions>('Lion', rest as Record<string, unknown>, {
      learningRate: { snake: 'learning_rate', default: 0.001 },
      beta1: { snake: 'beta_1', default: 0.9 },
      beta2: { snake: 'beta_2', default: 0.99 },
    });
    // Keras: beta_1 outside (0, 1] degenerates to SignSGD.
    if (!(o.beta1 > 0 && o.beta1 <= 1)) {
      throw new RangeError(
        `Lion: beta1 must be in (0, 1] (otherwise it is SignSGD), got ${o.beta1}.`,
      );
    }
    super(schedule ?? o.learningRate);
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
  }

  static fromConfig(config: LionConfig): Lion {
    return new Lion(config);
  }

  protected slotSpec(): SlotSpec {
    // Keras's name.
    return { names: ['momentum'], initialValue: 0 };
  }

  protected update(): OptimizerUpdate {
    return { kind: 'lion', lr: this.learningRate, beta1: this.beta1, beta2: this.beta2 };
  }

  getConfig(): OptimizerConfig {
    return { learningRate: this.learningRateConfig(), beta1: this.beta1, beta2: this.beta2 };
  }
}

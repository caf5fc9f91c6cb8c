import type { OptimizerUpdate } from '../kernels/backend.js';
import { readOptions, type OptionSpecs } from './config.js';
import {
  Optimizer,
  takeSchedule,
  type LearningRate,
  type OptimizerConfig,
  type SlotSpec,
} from './optimizer.js';

/** The hyperparameters Adam, Adamax and Nadam share (Keras 3 gives all three the same defaults). */
export interface AdamFamilyConfig {
  /** Keras 3 default 0.001. */
  learningRate?: LearningRate;
  /** Decay of the first-moment estimate (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment estimate (Adamax: of the infinity norm; default 0.999). */
  beta2?: number;
  /** Keras 3 default 1e-7 (PyTorch uses 1e-8). */
  epsilon?: number;
  learning_rate?: LearningRate;
  beta_1?: number;
  beta_2?: number;
}

export interface AdamFamilyOptions extends Record<string, number | boolean> {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Keras 3's defaults of AdamFamilyConfig. */
export const ADAM_FAMILY_OPTIONS: OptionSpecs<AdamFamilyOptions> = {
  learningRate: { snake: 'learning_rate', default: 0.001 },
  beta1: { snake: 'beta_1', default: 0.9 },
  beta2: { snake: 'beta_2', default: 0.999 },
  epsilon: { snake: 'epsilon', default: 1e-7 },
};

export interface AdamConfig extends AdamFamilyConfig {
  /** Use the running maximum of the second moment (AMSGrad); default false. */
  amsgrad?: boolean;
}

interface AdamOptions extends AdamFamilyOptions {
  amsgrad: boolean;
}

/** Keras 3's Adam, bias correction folded into the step size (see OptimizerUpdate 'adam'). */
export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(config: AdamConfig = {}) {
    const { config: rest, schedule } = takeSchedule(config);
    const o = readOptions<AdamOptions>('Adam', rest as Record<string, unknown>, {
      ...ADAM_FAMILY_OPTIONS,
      amsgrad: { snake: 'amsgrad', default: false },
    });
    super(schedule ?? o.learningRate);
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
    this.epsilon = o.epsilon;
    this.amsgrad = o.amsgrad;
  }

  static fromConfig(config: AdamConfig): Adam {
    return new Adam(config);
  }

  protected slotSpec(): SlotSpec {
    // TF.js's names; 'vhat' (AMSGrad, which TF.js lacks) follows the same style.
    return { names: this.amsgrad ? ['m', 'v', 'vhat'] : ['m', 'v'], initialValue: 0 };
  }

  protected update(): OptimizerUpdate {
    return {
      kind: 'adam',
      lr: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      step: this.iterations + 1,
      amsgrad: this.amsgrad,
    };
  }

  getConfig(): OptimizerConfig {
    return {
      learningRate: this.learningRateConfig(),
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      amsgrad: this.amsgrad,
    };
  }
}

import type { OptimizerUpdate } from '../kernels/backend.js';
import { readOptions } from './config.js';
import { Optimizer, takeSchedule, type LearningRate, type OptimizerConfig } from './optimizer.js';

export interface NadamConfig {
  /** Keras 3 default 0.001 (PyTorch's NAdam: 0.002). */
  learningRate?: LearningRate;
  /** Decay of the first-moment estimate (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment estimate (default 0.999). */
  beta2?: number;
  /** Keras 3 default 1e-7 (PyTorch uses 1e-8). */
  epsilon?: number;
  learning_rate?: LearningRate;
  beta_1?: number;
  beta_2?: number;
}

interface NadamOptions extends Record<string, number | boolean> {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * Keras 3's Nadam: Adam with Nesterov momentum, whose momentum schedule is
 * u(t) = beta1 * (1 - 0.5 * 0.96^t) (see OptimizerUpdate 'nadam'). PyTorch's NAdam uses
 * 0.96^(0.004 t) (its momentum_decay) instead.
 */
export class Nadam extends Optimizer {
  readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** u(1)...u(productStep): Keras's `_u_product`, a function of the step count alone. */
  private product = 1;
  private productStep = 0;

  constructor(config: NadamConfig = {}) {
    const { config: rest, schedule } = takeSchedule(config);
    const o = readOptions<NadamOptions>('Nadam', rest as Record<string, unknown>, {
      learningRate: { snake: 'learning_rate', default: 0.001 },
      beta1: { snake: 'beta_1', default: 0.9 },
      beta2: { snake: 'beta_2', default: 0.999 },
      epsilon: { snake: 'epsilon', default: 1e-7 },
    });
    super(schedule ?? o.learningRate);
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
    this.epsilon = o.epsilon;
  }

  static fromConfig(config: NadamConfig): Nadam {
    return new Nadam(config);
  }

  protected slotSpec(): {
    names: readonly string[];
    initialValue: number;
    saveOrder?: readonly number[];
  } {
    // Keras's names.
    return { names: ['momentum', 'velocity'], initialValue: 0 };
  }

  /** u(1)...u(step), extended one factor at a step (recomputed from 1 after a jump back). */
  private uProduct(step: number): number {
    if (this.productStep > step) {
      this.product = 1;
      this.productStep = 0;
    }
    while (this.productStep < step) {
      this.productStep++;
      this.product *= this.beta1 * (1 - 0.5 * 0.96 ** this.productStep);
    }
    return this.product;
  }

  protected update(): OptimizerUpdate {
    const step = this.iterations + 1;
    return {
      kind: 'nadam',
      lr: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      step,
      uProduct: this.uProduct(step),
    };
  }

  getConfig(): OptimizerConfig {
    return {
      learningRate: this.learningRateConfig(),
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
    };
  }
}

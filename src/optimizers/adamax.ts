import type { OptimizerUpdate } from '../kernels/backend.js';
import { readOptions } from './config.js';
import { Optimizer, takeSchedule, type LearningRate, type OptimizerConfig } from './optimizer.js';

export interface AdamaxConfig {
  /** Keras 3 default 0.001 (PyTorch's Adamax: 0.002). */
  learningRate?: LearningRate;
  /** Decay of the first-moment estimate (default 0.9). */
  beta1?: number;
  /** Decay of the infinity norm (default 0.999). */
  beta2?: number;
  /** Keras 3 default 1e-7, added to the norm in the denominator (PyTorch: 1e-8, inside the max). */
  epsilon?: number;
  learning_rate?: LearningRate;
  beta_1?: number;
  beta_2?: number;
}

interface AdamaxOptions extends Record<string, number | boolean> {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Keras 3's Adamax: Adam with an exponentially weighted infinity norm (see OptimizerUpdate 'adamax'). */
export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(config: AdamaxConfig = {}) {
    const { config: rest, schedule } = takeSchedule(config);
    const o = readOptions<AdamaxOptions>('Adamax', rest as Record<string, unknown>, {
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

  static fromConfig(config: AdamaxConfig): Adamax {
    return new Adamax(config);
  }

  protected slotSpec(): {
    names: readonly string[];
    initialValue: number;
    saveOrder?: readonly number[];
  } {
    // Keras's names.
    return { names: ['momentum', 'norm'], initialValue: 0 };
  }

  protected update(): OptimizerUpdate {
    return {
      kind: 'adamax',
      lr: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      step: this.iterations + 1,
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

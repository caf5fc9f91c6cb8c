import type { OptimizerUpdate } from '../kernels/backend.js';
import { ADAM_FAMILY_OPTIONS, type AdamFamilyConfig, type AdamFamilyOptions } from './adam.js';
import { readOptions } from './config.js';
import { Optimizer, takeSchedule, type OptimizerConfig, type SlotSpec } from './optimizer.js';

/** Keras 3's defaults: lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7 (PyTorch's Adamax: lr 0.002, eps 1e-8, added to |g| inside the max). */
export type AdamaxConfig = AdamFamilyConfig;

/** Keras 3's Adamax: Adam with an exponentially weighted infinity norm (see OptimizerUpdate 'adamax'). */
export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(config: AdamaxConfig = {}) {
    const { config: rest, schedule } = takeSchedule(config);
    const o = readOptions<AdamFamilyOptions>(
      'Adamax',
      rest as Record<string, unknown>,
      ADAM_FAMILY_OPTIONS,
    );
    super(schedule ?? o.learningRate);
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
    this.epsilon = o.epsilon;
  }

  static fromConfig(config: AdamaxConfig): Adamax {
    return new Adamax(config);
  }

  protected slotSpec(): SlotSpec {
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

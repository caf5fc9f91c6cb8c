import type { OptimizerUpdate } from '../kernels/backend.js';
import { ADAM_FAMILY_OPTIONS, type AdamFamilyConfig, type AdamFamilyOptions } from './adam.js';
import { readOptions } from './config.js';
import { Optimizer, takeSchedule, type OptimizerConfig, type SlotSpec } from './optimizer.js';

/** Keras 3's defaults: lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7 (PyTorch's NAdam: lr 0.002, eps 1e-8). */
export type NadamConfig = AdamFamilyConfig;

/**
 * Keras 3's Nadam: Adam with Nesterov momentum, whose momentum schedule is
 * u(t) = beta1 * (1 - 0.5 * 0.96^t) (see OptimizerUpdate 'nadam'). PyTorch 1.13's NAdam uses
 * 0.96^(0.004 t) (its momentum_decay) and counts u(t) twice in the next step's product.
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
    const o = readOptions<AdamFamilyOptions>(
      'Nadam',
      rest as Record<string, unknown>,
      ADAM_FAMILY_OPTIONS,
    );
    super(schedule ?? o.learningRate);
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
    this.epsilon = o.epsilon;
  }

  static fromConfig(config: NadamConfig): Nadam {
    return new Nadam(config);
  }

  protected slotSpec(): SlotSpec {
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

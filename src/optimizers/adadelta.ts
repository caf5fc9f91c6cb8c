import type { OptimizerUpdate } from '../kernels/backend.js';
import { readOptions } from './config.js';
import {
  Optimizer,
  takeSchedule,
  type LearningRate,
  type OptimizerConfig,
  type SlotSpec,
} from './optimizer.js';

export interface AdadeltaConfig {
  /** Keras 3 default 0.001 (the original paper's method corresponds to 1.0). */
  learningRate?: LearningRate;
  /** Decay of both running averages (default 0.95). */
  rho?: number;
  /** Keras 3 default 1e-7. */
  epsilon?: number;
  learning_rate?: LearningRate;
}

interface AdadeltaOptions extends Record<string, number | boolean> {
  learningRate: number;
  rho: number;
  epsilon: number;
}

/** Keras 3's Adadelta (see OptimizerUpdate 'adadelta'). */
export class Adadelta extends Optimizer {
  readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(config: AdadeltaConfig = {}) {
    const { config: rest, schedule } = takeSchedule(config);
    const o = readOptions<AdadeltaOptions>('Adadelta', rest as Record<string, unknown>, {
      learningRate: { snake: 'learning_rate', default: 0.001 },
      rho: { snake: 'rho', default: 0.95 },
      epsilon: { snake: 'epsilon', default: 1e-7 },
    });
    super(schedule ?? o.learningRate);
    this.rho = o.rho;
    this.epsilon = o.epsilon;
  }

  static fromConfig(config: AdadeltaConfig): Adadelta {
    return new Adadelta(config);
  }

  protected slotSpec(): SlotSpec {
    // [accumulated squared gradients, accumulated squared updates]
    return { names: ['accum_grad', 'accum_var'], initialValue: 0 };
  }

  protected update(): OptimizerUpdate {
    return { kind: 'adadelta', lr: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }

  getConfig(): OptimizerConfig {
    return { learningRate: this.learningRateConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}

import type { OptimizerUpdate } from '../kernels/backend.js';
import { readOptions } from './config.js';
import {
  Optimizer,
  takeSchedule,
  type LearningRate,
  type OptimizerConfig,
  type SlotSpec,
} from './optimizer.js';

export interface SGDConfig {
  /** Keras 3 default 0.01. */
  learningRate?: LearningRate;
  /** In [0, 1]; 0 (the default) is plain gradient descent with no state. */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
  learning_rate?: LearningRate;
}

interface SGDOptions extends Record<string, number | boolean> {
  learningRate: number;
  momentum: number;
  nesterov: boolean;
}

/**
 * Gradient descent with optional (Nesterov) momentum, Keras 3's SGD:
 * v = momentum * v - lr * g; p += v (Nesterov: p += momentum * v - lr * g).
 */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(config: SGDConfig = {}) {
    const { config: rest, schedule } = takeSchedule(config);
    const o = readOptions<SGDOptions>('SGD', rest as Record<string, unknown>, {
      learningRate: { snake: 'learning_rate', default: 0.01 },
      momentum: { snake: 'momentum', default: 0 },
      nesterov: { snake: 'nesterov', default: false },
    });
    super(schedule ?? o.learningRate);
    // Keras 3 rejects momentum outside [0, 1].
    if (!(o.momentum >= 0 && o.momentum <= 1)) {
      throw new RangeError(`SGD: momentum must be in [0, 1], got ${o.momentum}.`);
    }
    this.momentum = o.momentum;
    this.nesterov = o.nesterov;
  }

  static fromConfig(config: SGDConfig): SGD {
    return new SGD(config);
  }

  protected slotSpec(): SlotSpec {
    return { names: this.momentum !== 0 ? ['momentum'] : [], initialValue: 0 };
  }

  protected update(): OptimizerUpdate {
    return { kind: 'sgd', lr: this.learningRate, momentum: this.momentum, nesterov: this.nesterov };
  }

  getConfig(): OptimizerConfig {
    return {
      learningRate: this.learningRateConfig(),
      momentum: this.momentum,
      nesterov: this.nesterov,
    };
  }
}

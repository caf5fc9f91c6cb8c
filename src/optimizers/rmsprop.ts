import type { OptimizerUpdate } from '../kernels/backend.js';
import { readOptions } from './config.js';
import {
  Optimizer,
  takeSchedule,
  type LearningRate,
  type OptimizerConfig,
  type SlotSpec,
} from './optimizer.js';

export interface RMSpropConfig {
  /** Keras 3 default 0.001. */
  learningRate?: LearningRate;
  /** Discount of the running mean of squared gradients (default 0.9). */
  rho?: number;
  /** Default 0: no momentum slot. */
  momentum?: number;
  /** Keras 3 default 1e-7. */
  epsilon?: number;
  /** Normalise by the centred second moment (an estimate of the variance); default false. */
  centered?: boolean;
  learning_rate?: LearningRate;
}

interface RMSpropOptions extends Record<string, number | boolean> {
  learningRate: number;
  rho: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
}

/** Keras 3's RMSprop (see OptimizerUpdate 'rmsprop' for the exact formulas). */
export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(config: RMSpropConfig = {}) {
    const { config: rest, schedule } = takeSchedule(config);
    const o = readOptions<RMSpropOptions>('RMSprop', rest as Record<string, unknown>, {
      learningRate: { snake: 'learning_rate', default: 0.001 },
      rho: { snake: 'rho', default: 0.9 },
      momentum: { snake: 'momentum', default: 0 },
      epsilon: { snake: 'epsilon', default: 1e-7 },
      centered: { snake: 'centered', default: false },
    });
    super(schedule ?? o.learningRate);
    if (o.momentum < 0) throw new RangeError(`RMSprop: momentum must be >= 0, got ${o.momentum}.`);
    this.rho = o.rho;
    this.momentum = o.momentum;
    this.epsilon = o.epsilon;
    this.centered = o.centered;
  }

  static fromConfig(config: RMSpropConfig): RMSprop {
    return new RMSprop(config);
  }

  protected slotSpec(): SlotSpec {
    // [ms, mg?, mom?] in that order (the kernel contract), named as TF.js names them; TF.js
    // lists them rms, momentum, mg.
    const names = [
      'rms',
      ...(this.centered ? ['mg'] : []),
      ...(this.momentum > 0 ? ['momentum'] : []),
    ];
    const saveOrder = ['rms', 'momentum', 'mg'].map((n) => names.indexOf(n)).filter((i) => i >= 0);
    return { names, initialValue: 0, saveOrder };
  }

  protected update(): OptimizerUpdate {
    return {
      kind: 'rmsprop',
      lr: this.learningRate,
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }

  getConfig(): OptimizerConfig {
    return {
      learningRate: this.learningRateConfig(),
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}

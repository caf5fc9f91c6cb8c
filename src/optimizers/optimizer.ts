import type { FloatArray, OptimizerUpdate } from '../kernels/backend.js';
import { backendFor } from '../ops/engine.js';
import type { Variable } from '../tensor/variable.js';

export interface OptimizerConfig {
  learningRate?: number;
  [key: string]: unknown;
}

/**
 * Base of all optimizers (Keras 3's shape): per-variable state ("slots") created on first use,
 * an iteration counter, and one fused kernel call per variable per step.
 */
export abstract class Optimizer {
  /** Keras class name, e.g. 'Adam' or 'RMSprop' (the registry matches it case-insensitively). */
  abstract readonly className: string;
  learningRate: number;
  /** Steps applied so far (Keras `iterations`). */
  iterations = 0;
  private readonly slots = new Map<Variable, FloatArray[]>();

  constructor(learningRate: number) {
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
      throw new RangeError(`learning rate must be a positive number, got ${learningRate}.`);
    }
    this.learningRate = learningRate;
  }

  /** Number and initial value of the state arrays one variable needs. */
  protected abstract slotSpec(): { count: number; initialValue: number };

  /** The fused update for the current step (`iterations` is the 0-based step). */
  protected abstract update(): OptimizerUpdate;

  /** Hyperparameters, for serialisation and `fromConfig`. */
  abstract getConfig(): OptimizerConfig;

  /**
   * Applies one step to every variable that has a gradient, then clears the gradients.
   * Variables without a gradient (e.g. frozen ones) are skipped.
   */
  applyGradients(variables: readonly Variable[]): void {
    const update = this.update();
    for (const v of variables) {
      if (!v.grad) continue;
      const kernels = backendFor(v.dtype);
      kernels.applyUpdate(
        update,
        v.data as FloatArray,
        v.grad.data as FloatArray,
        this.slotsFor(v),
      );
      v.grad = null;
    }
    this.iterations++;
  }

  /** State arrays of a variable (created on first use). */
  slotsFor(v: Variable): FloatArray[] {
    let s = this.slots.get(v);
    if (!s) {
      const { count, initialValue } = this.slotSpec();
      s = Array.from({ length: count }, () => {
        const a = v.dtype === 'float64' ? new Float64Array(v.size) : new Float32Array(v.size);
        if (initialValue !== 0) a.fill(initialValue);
        return a;
      });
      this.slots.set(v, s);
    }
    return s;
  }
}

import { backendFor } from '../ops/engine.js';
import type { FloatArray } from '../kernels/backend.js';
import type { Variable } from '../tensor/variable.js';
import { readOptions } from '../util/options.js';
import { Adam, type AdamConfig } from './adam.js';
import type { OptimizerConfig } from './optimizer.js';

export interface AdamWConfig extends AdamConfig {
  /** Decoupled weight decay per unit of learning rate (Keras 3 default 0.004). */
  weightDecay?: number;
  weight_decay?: number;
}

/**
 * Keras 3's AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization"): before each
 * Adam step, every variable with a gradient shrinks by `variable * weightDecay * lr`, lr being
 * the step's learning rate (a schedule's current value); variables named in
 * `excludeFromWeightDecay` are left out of the decay, not out of the Adam step.
 */
export class AdamW extends Adam {
  override readonly className: string = 'AdamW';
  readonly weightDecay: number;
  private readonly excludedVariables = new Set<Variable>();
  private readonly excludedNames: string[] = [];

  constructor(config: AdamWConfig = {}) {
    const { weightDecay, weight_decay, ...adam } = config;
    // The shared reader: weight_decay is read as weightDecay, and a disagreeing pair is an error.
    const own = readOptions<{ weightDecay?: number | undefined }>(
      'AdamW',
      { weightDecay, weight_decay } as { weightDecay?: number | undefined },
      ['weightDecay'],
    );
    super(adam);
    const wd = own.weightDecay ?? 0.004;
    if (typeof wd !== 'number' || !Number.isFinite(wd) || wd < 0) {
      // Keras: "Argument `weight_decay` must be a float."
      throw new RangeError(`AdamW: weightDecay must be a number >= 0, got ${String(wd)}.`);
    }
    this.weightDecay = wd;
  }

  static override fromConfig(config: AdamWConfig): AdamW {
    return new AdamW(config);
  }

  /**
   * Keras's `exclude_from_weight_decay`: these variables, and variables whose name contains
   * one of `varNames` (e.g. 'bias', 'gamma', 'beta'), are not decayed.
   */
  excludeFromWeightDecay(args: {
    variables?: readonly Variable[];
    varNames?: readonly string[];
  }): void {
    for (const v of args.variables ?? []) this.excludedVariables.add(v);
    for (const n of args.varNames ?? []) {
      if (typeof n !== 'string' || n === '') {
        throw new TypeError(`AdamW: varNames must be non-empty strings, got ${String(n)}.`);
      }
      this.excludedNames.push(n);
    }
  }

  /** Whether `v` is decayed (Keras `_use_weight_decay`). */
  usesWeightDecay(v: Variable): boolean {
    if (this.excludedVariables.has(v)) return false;
    return !this.excludedNames.some((n) => v.name.includes(n));
  }

  override applyGradients(variables: readonly Variable[]): void {
    // Keras 3 (BaseOptimizer._apply_weight_decay): variable -= variable * wd * lr, with the lr
    // of this step, before the update. As an SGD step whose gradient is the variable itself.
    const rate = this.weightDecay * this.learningRate;
    if (rate !== 0) {
      const decay = { kind: 'sgd', lr: rate, momentum: 0, nesterov: false } as const;
      for (const v of variables) {
        if (!v.grad || !this.usesWeightDecay(v)) continue;
        const param = v.values as FloatArray;
        backendFor(v.dtype).applyUpdate(decay, param, param.slice(), []);
      }
    }
    super.applyGradients(variables);
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
}

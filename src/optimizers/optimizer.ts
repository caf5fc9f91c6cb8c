import type { FloatArray, OptimizerUpdate } from '../kernels/backend.js';
import { backendFor } from '../ops/engine.js';
import type { Variable } from '../tensor/variable.js';
import {
  getSchedule,
  isSerializedSchedule,
  LearningRateSchedule,
  serializeSchedule,
  type SerializedSchedule,
} from './schedules/index.js';

/** A fixed learning rate, or a schedule of it (an object or its `{className, config}`). */
export type LearningRate = number | LearningRateSchedule | SerializedSchedule;

export interface OptimizerConfig {
  learningRate?: LearningRate;
  [key: string]: unknown;
}

/**
 * Splits a schedule given as `learningRate` / `learning_rate` off an optimizer config, so the
 * remaining options read as plain numbers; `schedule` is null for a fixed rate.
 */
export function takeSchedule<C extends object>(
  config: C,
): { config: C; schedule: LearningRateSchedule | null } {
  const c = config as Record<string, unknown>;
  const given = c['learningRate'] ?? c['learning_rate'];
  if (!(given instanceof LearningRateSchedule) && !isSerializedSchedule(given)) {
    return { config, schedule: null };
  }
  const rest = { ...c };
  delete rest['learningRate'];
  delete rest['learning_rate'];
  return { config: rest as C, schedule: getSchedule(given) };
}

/**
 * Base of all optimizers (Keras 3's shape): per-variable state ("slots") created on first use,
 * an iteration counter, and one fused kernel call per variable per step.
 */
export abstract class Optimizer {
  /** Keras class name, e.g. 'Adam' or 'RMSprop' (the registry matches it case-insensitively). */
  abstract readonly className: string;
  /** The schedule the learning rate follows, or null for a fixed rate. */
  readonly schedule: LearningRateSchedule | null;
  private fixedRate: number;
  /** Steps applied so far (Keras `iterations`). */
  iterations = 0;
  private readonly slots = new Map<Variable, FloatArray[]>();

  constructor(learningRate: number | LearningRateSchedule) {
    if (learningRate instanceof LearningRateSchedule) {
      this.schedule = learningRate;
      this.fixedRate = NaN;
      return;
    }
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
      throw new RangeError(`learning rate must be a positive number, got ${learningRate}.`);
    }
    this.schedule = null;
    this.fixedRate = learningRate;
  }

  /**
   * The rate of the next step: the schedule's value at `iterations` when there is one (Keras
   * `optimizer.learning_rate`). Settable (e.g. by ReduceLROnPlateau) only without a schedule.
   */
  get learningRate(): number {
    return this.schedule ? this.schedule.call(this.iterations) : this.fixedRate;
  }

  set learningRate(value: number) {
    if (this.schedule) {
      // Keras raises a TypeError here too.
      throw new TypeError(
        `${this.className}: the learning rate follows its ${this.schedule.className} schedule and cannot be set; ` +
          'use a fixed learning rate to change it during training.',
      );
    }
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new RangeError(`learning rate must be a number >= 0, got ${value}.`);
    }
    this.fixedRate = value;
  }

  /** The learning rate as getConfig() records it: the number, or the schedule's `{className, config}`. */
  protected learningRateConfig(): number | Required<SerializedSchedule> {
    return this.schedule ? serializeSchedule(this.schedule) : this.fixedRate;
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

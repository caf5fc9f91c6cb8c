import type { FloatArray, OptimizerUpdate } from '../kernels/backend.js';
import { backendFor } from '../ops/engine.js';
import { formatShape } from '../tensor/shape.js';
import { scalar, Tensor } from '../tensor/tensor.js';
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

/** A named state tensor, as TF.js's `Optimizer.getWeights()` returns them. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/** Slot arrays of one variable, kept by name until the variable is first updated. */
interface PendingSlots {
  shape: readonly number[];
  arrays: (FloatArray | undefined)[];
}

/**
 * Names (TF.js's where TF.js has the optimizer, else Keras's; in the kernel's slot order) and
 * initial value of the state arrays one variable needs; `saveOrder` lists slot indices in
 * TF.js's `getWeights` order when it differs.
 */
export interface SlotSpec {
  names: readonly string[];
  initialValue: number;
  saveOrder?: readonly number[];
}

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
  if (
    c['learningRate'] !== undefined &&
    c['learning_rate'] !== undefined &&
    c['learningRate'] !== c['learning_rate']
  ) {
    throw new Error(`'learningRate' and 'learning_rate' disagree; give one of them.`);
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
  /** State restored by `setWeights` for variables this optimizer has not updated yet. */
  private pending = new Map<string, PendingSlots>();

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

  /** The state arrays one variable needs (see SlotSpec). */
  protected abstract slotSpec(): SlotSpec;

  /** The fused update for the current step (`iterations` is the 0-based step). */
  protected abstract update(): OptimizerUpdate;

  /** Hyperparameters, for serialisation and `fromConfig`. */
  abstract getConfig(): OptimizerConfig;

  /**
   * Applies one step to every variable that has a gradient, then clears the gradients.
   * Variables without a gradient (e.g. frozen ones) are skipped. One fused kernel call updates
   * all of them (one per dtype when float32 and float64 variables mix).
   */
  applyGradients(variables: readonly Variable[]): void {
    const update = this.update();
    for (const dtype of ['float32', 'float64'] as const) {
      const { params, grads, slots } = this.lists;
      params.length = grads.length = slots.length = 0;
      for (const v of variables) {
        if (!v.grad || v.dtype !== dtype) continue;
        params.push(v.values as FloatArray);
        grads.push(v.grad.values as FloatArray);
        slots.push(this.slotsFor(v));
      }
      if (params.length > 0) backendFor(dtype).applyUpdates(update, params, grads, slots);
    }
    for (const v of variables) v.grad = null;
    // Hold on to no arrays between steps.
    this.lists.params.length = this.lists.grads.length = this.lists.slots.length = 0;
    this.iterations++;
  }

  /** The argument lists of applyUpdates, reused from step to step. */
  private readonly lists = {
    params: [] as FloatArray[],
    grads: [] as FloatArray[],
    slots: [] as FloatArray[][],
  };

  /** State arrays of a variable (created on first use, or taken from `setWeights`). */
  slotsFor(v: Variable): FloatArray[] {
    let s = this.slots.get(v);
    if (!s) {
      const { names, initialValue } = this.slotSpec();
      const restored = this.pending.get(v.name);
      if (restored) {
        if (
          restored.shape.length !== v.shape.length ||
          restored.shape.some((d, i) => d !== v.shape[i])
        ) {
          throw new Error(
            `${this.className}: optimizer state for '${v.name}' has shape ${formatShape(restored.shape)}, but the variable has shape ${formatShape(v.shape)}.`,
          );
        }
        this.pending.delete(v.name);
      }
      s = names.map((_, i) => {
        const a = v.dtype === 'float64' ? new Float64Array(v.size) : new Float32Array(v.size);
        const saved = restored?.arrays[i];
        if (saved) a.set(saved);
        else if (initialValue !== 0) a.fill(initialValue);
        return a;
      });
      this.slots.set(v, s);
    }
    return s;
  }

  /**
   * The optimizer's state, TF.js's layout: `{ name: 'iter' }` (the step count) first, then each
   * slot as `${variableName}/${slotName}` (e.g. `dense/kernel/m`), slot by slot. Copies.
   */
  getWeights(): NamedTensor[] {
    const { names, saveOrder } = this.slotSpec();
    const order = saveOrder ?? names.map((_, i) => i);
    const out: NamedTensor[] = [{ name: 'iter', tensor: scalar(this.iterations, 'int32') }];
    const live = [...this.slots].map(([v, arrays]) => ({ name: v.name, shape: v.shape, arrays }));
    const waiting = [...this.pending].map(([name, p]) => ({ name, ...p }));
    for (const i of order) {
      for (const { name, shape, arrays } of [...live, ...waiting]) {
        const a = arrays[i];
        if (a) out.push({ name: `${name}/${names[i]}`, tensor: new Tensor(a.slice(), shape) });
      }
    }
    return out;
  }

  /**
   * Restores state from `getWeights()` (TF.js semantics: `iter` first, then slots by name).
   * Slots are matched to variables by name when each variable is next updated; a variable
   * with no saved slots starts fresh. Replaces all current state.
   */
  setWeights(weights: NamedTensor[]): void {
    const [first, ...rest] = weights;
    if (!first || first.name !== 'iter' || first.tensor.size !== 1) {
      throw new Error(`${this.className}.setWeights: the first weight must be the scalar 'iter'.`);
    }
    const iter = first.tensor.values[0]!;
    if (!Number.isSafeInteger(iter) || iter < 0) {
      throw new Error(
        `${this.className}.setWeights: 'iter' must be a non-negative integer, got ${iter}.`,
      );
    }
    const { names } = this.slotSpec();
    const pending = new Map<string, PendingSlots>();
    for (const { name, tensor } of rest) {
      const cut = typeof name === 'string' ? name.lastIndexOf('/') : -1;
      const slot = cut > 0 ? names.indexOf(name.slice(cut + 1)) : -1;
      if (slot < 0) {
        throw new Error(
          `${this.className}.setWeights: unexpected weight '${String(name)}' (expected 'variable/slot' with slot one of ${names.map((n) => `'${n}'`).join(', ') || 'none'}).`,
        );
      }
      if (tensor.dtype === 'int32') {
        throw new Error(`${this.className}.setWeights: weight '${name}' must be a float tensor.`);
      }
      const variable = name.slice(0, cut);
      let p = pending.get(variable);
      if (!p) {
        p = { shape: [...tensor.shape], arrays: names.map(() => undefined) };
        pending.set(variable, p);
      } else if (
        p.shape.length !== tensor.shape.length ||
        p.shape.some((d, i) => d !== tensor.shape[i])
      ) {
        throw new Error(
          `${this.className}.setWeights: slots of '${variable}' disagree in shape (${formatShape(p.shape)} vs ${formatShape(tensor.shape)}).`,
        );
      }
      if (p.arrays[slot])
        throw new Error(`${this.className}.setWeights: weight '${name}' appears twice.`);
      p.arrays[slot] = (tensor.values as FloatArray).slice();
    }
    for (const [variable, p] of pending) {
      const missing = names.filter((_, i) => !p.arrays[i]);
      if (missing.length > 0) {
        throw new Error(
          `${this.className}.setWeights: '${variable}' is missing slot${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'${n}'`).join(', ')}.`,
        );
      }
    }
    this.iterations = iter;
    this.slots.clear();
    this.pending = pending;
  }
}

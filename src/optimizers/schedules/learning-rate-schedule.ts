/** A schedule's hyperparameters, as `getConfig()` returns them (camelCase) or Keras writes them. */
export type ScheduleConfig = Record<string, unknown>;

/** A schedule as Keras / TF.js serialise objects: `{ className: 'CosineDecay', config: {...} }`. */
export interface SerializedSchedule {
  className: string;
  config?: ScheduleConfig;
}

/**
 * Keras 3's LearningRateSchedule: the learning rate as a function of the optimizer's step
 * (its `iterations` before the update, so the first step uses `call(0)`). Pass one as an
 * optimizer's `learningRate`.
 */
export abstract class LearningRateSchedule {
  /** Keras class name, e.g. 'ExponentialDecay' (the registry key). */
  abstract readonly className: string;

  /** The learning rate at `step` (0-based optimizer step). */
  abstract call(step: number): number;

  /** Hyperparameters, for serialisation and `fromConfig`. */
  abstract getConfig(): ScheduleConfig;
}

/** Throws unless `v` is a finite number (`what` names it in the message). */
export function finite(className: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new TypeError(`${className}: '${what}' must be a finite number, got ${String(v)}.`);
  }
  return v;
}

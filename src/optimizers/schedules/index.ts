import { CosineDecay, type CosineDecayConfig } from './cosine-decay.js';
import { ExponentialDecay, type ExponentialDecayConfig } from './exponential-decay.js';
import {
  LearningRateSchedule,
  type ScheduleConfig,
  type SerializedSchedule,
} from './learning-rate-schedule.js';
import {
  PiecewiseConstantDecay,
  type PiecewiseConstantDecayConfig,
} from './piecewise-constant-decay.js';

export {
  LearningRateSchedule,
  type ScheduleConfig,
  type SerializedSchedule,
} from './learning-rate-schedule.js';
export { ExponentialDecay, type ExponentialDecayConfig } from './exponential-decay.js';
export {
  PiecewiseConstantDecay,
  type PiecewiseConstantDecayConfig,
} from './piecewise-constant-decay.js';
export { CosineDecay, type CosineDecayConfig } from './cosine-decay.js';

const REGISTRY: Record<string, (config: ScheduleConfig) => LearningRateSchedule> = {
  exponentialdecay: (c) => new ExponentialDecay(c as ExponentialDecayConfig),
  piecewiseconstantdecay: (c) =>
    new PiecewiseConstantDecay(c as unknown as PiecewiseConstantDecayConfig),
  cosinedecay: (c) => new CosineDecay(c as CosineDecayConfig),
};

/** Registry names, in Keras's spelling of the class. */
export const SCHEDULE_NAMES = [
  'ExponentialDecay',
  'PiecewiseConstantDecay',
  'CosineDecay',
] as const;

/** True for `{className, config}` or Keras's `{class_name, config}` naming a schedule. */
export function isSerializedSchedule(value: unknown): value is SerializedSchedule {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const name = v['className'] ?? v['class_name'];
  return typeof name === 'string' && name.replace(/_/g, '').toLowerCase() in REGISTRY;
}

/**
 * Keras's `schedules.deserialize`: `{className, config}` (or Keras's `{class_name, config}`,
 * as `keras.optimizers.schedules.serialize` writes it) to a schedule; a schedule is returned
 * as is.
 */
export function getSchedule(
  identifier: LearningRateSchedule | SerializedSchedule | Record<string, unknown>,
): LearningRateSchedule {
  if (identifier instanceof LearningRateSchedule) return identifier;
  const v = identifier as Record<string, unknown>;
  const name = v['className'] ?? v['class_name'];
  const make =
    typeof name === 'string' ? REGISTRY[name.replace(/_/g, '').toLowerCase()] : undefined;
  if (!make) {
    throw new Error(
      `Unknown learning-rate schedule '${String(name)}'. Valid names: ${SCHEDULE_NAMES.join(', ')}.`,
    );
  }
  return make((v['config'] as ScheduleConfig | undefined) ?? {});
}

/** `{className, config}` of a schedule, which `getSchedule` turns back into an equal one. */
export function serializeSchedule(schedule: LearningRateSchedule): Required<SerializedSchedule> {
  return { className: schedule.className, config: schedule.getConfig() };
}

/** Factories in the style of Keras's `keras.optimizers.schedules`. */
export const schedules = {
  exponentialDecay: (config: ExponentialDecayConfig): ExponentialDecay =>
    new ExponentialDecay(config),
  piecewiseConstantDecay: (config: PiecewiseConstantDecayConfig): PiecewiseConstantDecay =>
    new PiecewiseConstantDecay(config),
  cosineDecay: (config: CosineDecayConfig): CosineDecay => new CosineDecay(config),
  get: getSchedule,
  serialize: serializeSchedule,
};

import { readOptions } from '../config.js';
import { finite, LearningRateSchedule, type ScheduleConfig } from './learning-rate-schedule.js';

export interface PiecewiseConstantDecayConfig {
  /** Strictly increasing steps at which the rate changes. */
  boundaries: readonly number[];
  /** One more rate than boundaries: values[i] applies while boundaries[i-1] < step <= boundaries[i]. */
  values: readonly number[];
  name?: string;
}

/**
 * Keras 3's PiecewiseConstantDecay: values[0] while step <= boundaries[0], values[i] while
 * boundaries[i-1] < step <= boundaries[i], and the last value after the last boundary.
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];

  constructor(config: PiecewiseConstantDecayConfig) {
    super();
    const name = 'PiecewiseConstantDecay';
    const { boundaries, values, ...rest } = (config ?? {}) as unknown as Record<string, unknown>;
    readOptions(name, rest, {});
    if (!Array.isArray(boundaries) || !Array.isArray(values)) {
      throw new TypeError(`${name}: 'boundaries' and 'values' must be arrays of numbers.`);
    }
    // Keras's check, and the message it gives.
    if (boundaries.length !== values.length - 1) {
      throw new RangeError(
        `${name}: the length of boundaries should be 1 less than the length of values; got ` +
          `${boundaries.length} boundaries and ${values.length} values.`,
      );
    }
    if (boundaries.length === 0) throw new RangeError(`${name}: give at least one boundary.`);
    const b = boundaries.map((x, i) => finite(name, `boundaries[${i}]`, x));
    const v = values.map((x, i) => finite(name, `values[${i}]`, x));
    for (let i = 1; i < b.length; i++) {
      if (!(b[i]! > b[i - 1]!)) {
        throw new RangeError(`${name}: boundaries must increase strictly, got [${b.join(', ')}].`);
      }
    }
    if (v.some((x) => x < 0)) {
      throw new RangeError(`${name}: values must be >= 0, got [${v.join(', ')}].`);
    }
    this.boundaries = Object.freeze(b);
    this.values = Object.freeze(v);
  }

  static fromConfig(config: PiecewiseConstantDecayConfig): PiecewiseConstantDecay {
    return new PiecewiseConstantDecay(config);
  }

  call(step: number): number {
    let i = 0;
    while (i < this.boundaries.length && step > this.boundaries[i]!) i++;
    return this.values[i]!;
  }

  getConfig(): ScheduleConfig {
    return { boundaries: [...this.boundaries], values: [...this.values] };
  }
}

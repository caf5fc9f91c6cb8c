import { LearningRateSchedule, finite, type ScheduleConfig } from './learning-rate-schedule.js';
import { readScheduleOptions } from './read-schedule-options.js';

export interface CosineDecayConfig {
  /** The rate at step 0 (where warm-up starts, when there is one). */
  initialLearningRate?: number;
  /** Steps of the cosine decay (> 0), after the warm-up. */
  decaySteps?: number;
  /** The final rate as a fraction of the decay's starting rate (default 0). */
  alpha?: number;
  /** Warm up linearly from initialLearningRate to this rate, then decay from it (default: no warm-up). */
  warmupTarget?: number | null;
  /** Steps of the warm-up (default 0). */
  warmupSteps?: number;
  initial_learning_rate?: number;
  decay_steps?: number;
  warmup_target?: number | null;
  warmup_steps?: number;
  name?: string;
}

interface Options extends Record<string, number | boolean> {
  initialLearningRate: number;
  decaySteps: number;
  alpha: number;
  warmupSteps: number;
}

/**
 * Keras 3's CosineDecay with optional linear warm-up (Loshchilov & Hutter, SGDR). Without
 * `warmupTarget`: s = min(step, decaySteps), rate = initial * ((1 - alpha) * 0.5 * (1 +
 * cos(pi s / decaySteps)) + alpha). With it: s = min(step, warmupSteps + decaySteps); while
 * s < warmupSteps the rate goes linearly from initial to warmupTarget, then the cosine decays
 * from warmupTarget over s - warmupSteps. Computed in doubles (Keras: float32).
 */
export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(config: CosineDecayConfig) {
    super();
    const name = 'CosineDecay';
    const { warmupTarget, warmup_target, ...rest } = (config ?? {}) as CosineDecayConfig;
    if (warmupTarget != null && warmup_target != null && warmupTarget !== warmup_target) {
      throw new Error(
        `${name}: 'warmupTarget' (${warmupTarget}) and 'warmup_target' (${warmup_target}) disagree.`,
      );
    }
    const target = warmupTarget ?? warmup_target ?? null;
    const o = readScheduleOptions<Options>(
      name,
      rest as Record<string, unknown>,
      {
        initialLearningRate: { snake: 'initial_learning_rate', default: 0 },
        decaySteps: { snake: 'decay_steps', default: 0 },
        alpha: { snake: 'alpha', default: 0 },
        warmupSteps: { snake: 'warmup_steps', default: 0 },
      },
      ['initialLearningRate', 'decaySteps'],
    );
    if (!(o.decaySteps > 0)) {
      throw new RangeError(`${name}: decaySteps must be > 0, got ${o.decaySteps}.`);
    }
    if (!(o.initialLearningRate >= 0)) {
      throw new RangeError(
        `${name}: initialLearningRate must be >= 0, got ${o.initialLearningRate}.`,
      );
    }
    if (!(o.alpha >= 0 && o.alpha <= 1)) {
      throw new RangeError(`${name}: alpha must be in [0, 1], got ${o.alpha}.`);
    }
    if (!(o.warmupSteps >= 0)) {
      throw new RangeError(`${name}: warmupSteps must be >= 0, got ${o.warmupSteps}.`);
    }
    if (target !== null && !(finite(name, 'warmupTarget', target) >= 0)) {
      throw new RangeError(`${name}: warmupTarget must be >= 0, got ${target}.`);
    }
    if (target === null && o.warmupSteps > 0) {
      // Keras silently ignores warmup_steps without a target; say so instead.
      throw new Error(`${name}: warmupSteps needs warmupTarget (the rate to warm up to).`);
    }
    this.initialLearningRate = o.initialLearningRate;
    this.decaySteps = o.decaySteps;
    this.alpha = o.alpha;
    this.warmupTarget = target;
    this.warmupSteps = o.warmupSteps;
  }

  static fromConfig(config: CosineDecayConfig): CosineDecay {
    return new CosineDecay(config);
  }

  call(step: number): number {
    if (this.warmupTarget === null) {
      return this.decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    }
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) {
      const done = s / this.warmupSteps;
      return (this.warmupTarget - this.initialLearningRate) * done + this.initialLearningRate;
    }
    return this.decay(s - this.warmupSteps, this.warmupTarget);
  }

  private decay(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (step / this.decaySteps)));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): ScheduleConfig {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      alpha: this.alpha,
      warmupTarget: this.warmupTarget,
      warmupSteps: this.warmupSteps,
    };
  }
}

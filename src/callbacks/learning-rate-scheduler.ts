import { readOptions } from '../util/options.js';
import { Callback, type Logs } from './callback.js';
import { optimizerOf } from './learning-rate-control.js';

/** The learning rate for an epoch (0-based), given the current rate. */
export type EpochSchedule = (epoch: number, learningRate: number) => number;

export interface LearningRateSchedulerArgs {
  /** 1: print each rate set (default 0). */
  verbose?: number;
  /** Where messages go (default console.log). */
  log?: (message: string) => void;
}

const KEYS = Object.keys({ verbose: 1, log: 1 } satisfies Record<
  keyof LearningRateSchedulerArgs,
  1
>);

/**
 * Keras 3's LearningRateScheduler: at each epoch start sets the optimizer's learning rate to
 * `schedule(epoch, currentRate)`; at each epoch end logs it as `learning_rate`. For a rate that
 * changes every step, give the optimizer a LearningRateSchedule instead.
 */
export class LearningRateScheduler extends Callback {
  readonly schedule: EpochSchedule;
  readonly verbose: number;
  private readonly log: (message: string) => void;

  constructor(schedule: EpochSchedule, options: LearningRateSchedulerArgs = {}) {
    super();
    const args = readOptions('LearningRateScheduler', options, KEYS);
    if (typeof schedule !== 'function') {
      throw new TypeError('LearningRateScheduler: schedule must be a function (epoch, lr) => lr.');
    }
    this.schedule = schedule;
    this.verbose = args.verbose ?? 0;
    this.log = args.log ?? ((m: string) => console.log(m));
  }

  override onEpochBegin(epoch: number): void {
    const opt = optimizerOf(this.model, 'LearningRateScheduler');
    const lr = this.schedule(epoch, opt.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      // Keras: "The output of the `schedule` function should be a float."
      throw new TypeError(
        `LearningRateScheduler: the schedule must return a number >= 0; got ${String(lr)} for epoch ${epoch}.`,
      );
    }
    opt.learningRate = lr;
    if (this.verbose > 0) {
      this.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
    }
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs) logs['learning_rate'] = optimizerOf(this.model, 'LearningRateScheduler').learningRate;
  }
}

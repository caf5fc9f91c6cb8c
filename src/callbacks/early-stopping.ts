import { readOptions } from '../util/options.js';
import type { Logs } from './callback.js';
import { MonitorCallback, type MonitorMode } from './monitor-callback.js';

export interface EarlyStoppingArgs {
  /** Logged quantity to watch (default 'val_loss'). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0; the sign is ignored). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 1: print when stopping and when restoring weights (default 0). */
  verbose?: number;
  /** 'auto' (default) infers the direction from the monitored name. */
  mode?: MonitorMode;
  /** Training stops unless the monitored value beats this within `patience` epochs. */
  baseline?: number | null;
  /** Restore the weights of the best epoch at the end of training (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring starts (warm-up; default 0). */
  startFromEpoch?: number;
  /** Where messages go (default console.log / console.warn). */
  log?: (message: string) => void;
  warn?: (message: string) => void;
}

const EARLY_STOPPING_KEYS = [
  'monitor',
  'minDelta',
  'patience',
  'verbose',
  'mode',
  'baseline',
  'restoreBestWeights',
  'startFromEpoch',
  'log',
  'warn',
];

/**
 * Keras 3's EarlyStopping: sets `model.stopTraining` once the monitored quantity has not
 * improved for `patience` epochs (after `startFromEpoch`); `restoreBestWeights` puts back the
 * best epoch's weights when training ends, whether it stopped early or ran to completion.
 * A monitor missing from the logs is warned about once and otherwise ignored.
 */
export class EarlyStopping extends MonitorCallback {
  readonly patience: number;
  readonly verbose: number;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch (0-based) at which training was stopped, 0 if it was not. */
  stoppedEpoch = 0;
  /** The epoch (0-based) with the best monitored value. */
  bestEpoch = 0;
  bestWeights: Float32Array[] | null = null;
  private readonly log: (message: string) => void;
  private readonly warn: (message: string) => void;
  private warnedMissing = false;

  constructor(options: EarlyStoppingArgs = {}) {
    const args = readOptions('EarlyStopping', options, EARLY_STOPPING_KEYS);
    const warn = args.warn ?? ((m: string) => console.warn(m));
    super(args.monitor ?? 'val_loss', args.mode ?? 'auto', null, args.minDelta ?? 0, warn);
    this.patience = args.patience ?? 0;
    this.verbose = args.verbose ?? 0;
    this.baseline = args.baseline ?? null;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = args.startFromEpoch ?? 0;
    this.log = args.log ?? ((m: string) => console.log(m));
    this.warn = warn;
    if (!(Number.isInteger(this.patience) && this.patience >= 0)) {
      throw new RangeError(
        `EarlyStopping: patience must be a whole number >= 0, got ${this.patience}.`,
      );
    }
  }

  override onTrainBegin(): void {
    // Reusable across fit() calls.
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestWeights = null;
    this.bestEpoch = 0;
    this.warnedMissing = false;
    this.resetBest();
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.setMonitorOp();
    const current = this.monitorValue(logs);
    if (current === undefined || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) {
      // Until something improves, the first monitored epoch's weights are the best.
      this.bestWeights = this.model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = this.model.getWeights();
      // Patience restarts only on beating both the previous best and the baseline.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) {
      this.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    }
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) {
        this.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      }
      this.model.setWeights(this.bestWeights);
    }
  }

  private monitorValue(logs: Logs): number | undefined {
    const value = logs[this.monitor];
    if (value === undefined && !this.warnedMissing) {
      this.warnedMissing = true;
      this.warn(
        `Early stopping conditioned on metric \`${this.monitor}\` which is not available. ` +
          `Available metrics are: ${Object.keys(logs).join(',')}`,
      );
    }
    return value;
  }
}

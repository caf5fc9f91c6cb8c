import { readOptions } from '../util/options.js';
import { Callback, type Logs } from './callback.js';
import { optimizerOf } from './learning-rate-control.js';
import type { MonitorMode } from './monitor-callback.js';

export interface ReduceLROnPlateauArgs {
  /** Logged quantity to watch (default 'val_loss'). */
  monitor?: string;
  /** new rate = rate * factor (default 0.1; must be < 1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** 1: print each reduction (default 0). */
  verbose?: number;
  /** 'auto' (default): maximise when the monitor's name contains 'acc', else minimise. */
  mode?: MonitorMode;
  /** An improvement must beat the best by more than this (default 1e-4). */
  minDelta?: number;
  /** Epochs after a reduction during which no new one is considered (default 0). */
  cooldown?: number;
  /** The rate is never reduced below this (default 0). */
  minLr?: number;
  log?: (message: string) => void;
  warn?: (message: string) => void;
}

// Every option, checked against the interface; Keras's min_delta / min_lr are read as camelCase.
const KEYS = Object.keys({
  monitor: 1,
  factor: 1,
  patience: 1,
  verbose: 1,
  mode: 1,
  minDelta: 1,
  cooldown: 1,
  minLr: 1,
  log: 1,
  warn: 1,
} satisfies Record<keyof ReduceLROnPlateauArgs, 1>);

/**
 * Keras 3's ReduceLROnPlateau: multiplies the optimizer's learning rate by `factor` once the
 * monitored quantity has not improved (by more than `minDelta`) for `patience` epochs, not
 * below `minLr`, then waits `cooldown` epochs. Logs the rate as `learning_rate` each epoch.
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  /** Epochs since the last improvement (outside cooldown). */
  wait = 0;
  cooldownCounter = 0;
  best = Infinity;
  private readonly log: (message: string) => void;
  private readonly warn: (message: string) => void;

  constructor(options: ReduceLROnPlateauArgs = {}) {
    super();
    const args = readOptions('ReduceLROnPlateau', options, KEYS);
    this.log = args.log ?? ((m: string) => console.log(m));
    this.warn = args.warn ?? ((m: string) => console.warn(m));
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = args.factor ?? 0.1;
    this.patience = args.patience ?? 10;
    this.verbose = args.verbose ?? 0;
    this.minDelta = args.minDelta ?? 1e-4;
    this.cooldown = args.cooldown ?? 0;
    this.minLr = args.minLr ?? 0;
    let mode: string = args.mode ?? 'auto';
    if (mode !== 'auto' && mode !== 'min' && mode !== 'max') {
      this.warn(`Learning rate reduction mode ${mode} is unknown, fallback to auto mode.`);
      mode = 'auto';
    }
    this.mode = mode as MonitorMode;
    // Keras rejects factor >= 1; the rest would make the callback do nothing useful.
    if (!(this.factor < 1)) {
      throw new RangeError(
        `ReduceLROnPlateau does not support a factor >= 1.0. Received factor=${this.factor}`,
      );
    }
    if (!(this.factor > 0)) {
      throw new RangeError(`ReduceLROnPlateau: factor must be in (0, 1), got ${this.factor}.`);
    }
    for (const [name, v] of [
      ['patience', this.patience],
      ['cooldown', this.cooldown],
    ] as const) {
      if (!Number.isInteger(v) || v < 0) {
        throw new RangeError(`ReduceLROnPlateau: ${name} must be a whole number >= 0, got ${v}.`);
      }
    }
    if (!(this.minLr >= 0) || !Number.isFinite(this.minLr)) {
      throw new RangeError(`ReduceLROnPlateau: minLr must be a number >= 0, got ${this.minLr}.`);
    }
    if (!Number.isFinite(this.minDelta)) {
      throw new RangeError(`ReduceLROnPlateau: minDelta must be a number, got ${this.minDelta}.`);
    }
    this.reset();
  }

  /** Maximising (Keras: mode 'max', or 'auto' with 'acc' in the monitor's name). */
  private get maximise(): boolean {
    return this.mode === 'max' || (this.mode === 'auto' && this.monitor.includes('acc'));
  }

  private reset(): void {
    this.best = this.maximise ? -Infinity : Infinity;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  private improves(current: number): boolean {
    return this.maximise
      ? current > this.best + this.minDelta
      : current < this.best - this.minDelta;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  override onTrainBegin(): void {
    this.reset();
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const opt = optimizerOf(this.model, 'ReduceLROnPlateau');
    logs['learning_rate'] = opt.learningRate;
    const current = logs[this.monitor];
    if (current === undefined) {
      this.warn(
        `Learning rate reduction is conditioned on metric \`${this.monitor}\` which is not available. ` +
          `Available metrics are: ${Object.keys(logs).join(',')}.`,
      );
      return;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.improves(current)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.inCooldown) return;
    this.wait += 1;
    if (this.wait < this.patience) return;
    const old = opt.learningRate;
    // Keras compares against min_lr as a float32.
    if (!(old > Math.fround(this.minLr))) return;
    const lr = Math.max(old * this.factor, this.minLr);
    opt.learningRate = lr;
    if (this.verbose > 0) {
      this.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${lr}.`);
    }
    this.cooldownCounter = this.cooldown;
    this.wait = 0;
  }
}

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logs } from '../../src/callbacks/callback.js';
import { MonitorCallback, type MonitorMode } from '../../src/callbacks/monitor-callback.js';
import { formatTemplate, pythonFloat } from './python-format.js';

export interface ModelCheckpointArgs {
  /**
   * Folder to save to; may hold Python format fields filled from the epoch (1-based) and the
   * logs, e.g. 'ckpt/{epoch:02d}-{val_loss:.4f}'.
   */
  filepath?: string;
  /** Logged quantity for saveBestOnly (default 'val_loss'). */
  monitor?: string;
  /** 1: print what is saved and why (default 0). */
  verbose?: number;
  /** Save only when the monitored value improves (default false). */
  saveBestOnly?: boolean;
  /** Direction of improvement (default 'auto', inferred from the monitored name). */
  mode?: MonitorMode;
  /** 'epoch' (default) saves at each epoch end; a number saves every that many batches. */
  saveFreq?: 'epoch' | number;
  /** With saveBestOnly, the value a first save must beat (default none). */
  initialValueThreshold?: number | null;
  save_best_only?: boolean;
  save_freq?: 'epoch' | number;
  initial_value_threshold?: number | null;
  log?: (message: string) => void;
  warn?: (message: string) => void;
}

/**
 * Keras's ModelCheckpoint for a model with `save(dir)`: saves after every epoch (or every
 * `saveFreq` batches), or with saveBestOnly only when the monitored value improves. A
 * monitored value missing from the logs is warned about and the model is saved anyway, as
 * Keras does. The parent folder is created if needed.
 */
export class ModelCheckpoint extends MonitorCallback {
  readonly filepath: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveFreq: 'epoch' | number;
  /** Paths saved so far, in order. */
  readonly saved: string[] = [];
  private readonly log: (message: string) => void;
  private readonly warn: (message: string) => void;
  private currentEpoch = 0;
  private batchesSinceSave = 0;
  private lastBatch = 0;

  constructor(filepath: string | ModelCheckpointArgs, args: ModelCheckpointArgs = {}) {
    const a = typeof filepath === 'string' ? { ...args, filepath } : filepath;
    const warn = a.warn ?? ((m: string) => console.warn(m));
    super(
      a.monitor ?? 'val_loss',
      a.mode ?? 'auto',
      a.initialValueThreshold ?? a.initial_value_threshold ?? null,
      0,
      warn,
    );
    if (!a.filepath) throw new Error('ModelCheckpoint needs a filepath.');
    this.filepath = a.filepath;
    this.verbose = a.verbose ?? 0;
    this.saveBestOnly = a.saveBestOnly ?? a.save_best_only ?? false;
    this.saveFreq = a.saveFreq ?? a.save_freq ?? 'epoch';
    this.log = a.log ?? ((m: string) => console.log(m));
    this.warn = warn;
    if (this.saveFreq !== 'epoch' && !(Number.isInteger(this.saveFreq) && this.saveFreq > 0)) {
      throw new Error(
        `Unrecognized saveFreq: ${String(this.saveFreq)}. Expected 'epoch' or a whole number of batches.`,
      );
    }
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    // Keras counts batches across epochs; batch numbers restart at each epoch.
    this.batchesSinceSave += batch <= this.lastBatch ? batch + 1 : batch - this.lastBatch;
    this.lastBatch = batch;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      await this.saveModel(this.currentEpoch, batch, logs ?? {});
    }
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.saveModel(epoch, null, logs ?? {});
  }

  /** The path for a save, Keras's `_get_file_path`: epoch (and batch) 1-based. */
  filePathFor(epoch: number, batch: number | null, logs: Logs): string {
    const values: Record<string, number> = { ...logs, epoch: epoch + 1 };
    if (batch !== null && !('batch' in logs)) values['batch'] = batch + 1;
    try {
      return formatTemplate(this.filepath, values);
    } catch (e) {
      throw new Error(
        `Failed to format this callback filepath: "${this.filepath}". Reason: ${(e as Error).message}`,
      );
    }
  }

  private async saveModel(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const path = this.filePathFor(epoch, batch, logs);
    if (!this.shouldSave(epoch, logs, path)) return;
    if (!this.model.save) throw new Error('ModelCheckpoint needs a model with save(dir).');
    const parent = dirname(path);
    if (parent) await mkdir(parent, { recursive: true });
    await this.model.save(path);
    this.saved.push(path);
    if (this.verbose > 0) this.log(`Epoch ${epoch + 1}: finished saving model to ${path}`);
  }

  /** Keras's `_should_save_model`. */
  private shouldSave(epoch: number, logs: Logs, path: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) this.log(`Epoch ${epoch + 1}: saving model to ${path}`);
      return true;
    }
    this.setMonitorOp();
    const current = logs[this.monitor];
    if (current === undefined) {
      this.warn(`Can save best model only with ${this.monitor} available.`);
      return true;
    }
    const bestStr = this.best === null ? 'None' : fixed5(this.best);
    if (this.isImprovement(current, this.best)) {
      if (this.verbose > 0) {
        this.log(
          `Epoch ${epoch + 1}: ${this.monitor} improved from ${bestStr} to ${fixed5(current)}, saving model to ${path}`,
        );
      }
      this.best = current;
      return true;
    }
    if (this.verbose > 0)
      this.log(`Epoch ${epoch + 1}: ${this.monitor} did not improve from ${bestStr}`);
    return false;
  }
}

/** Python's f'{x:.5f}' (inf and nan spelled as Python does). */
function fixed5(x: number): string {
  return Number.isFinite(x) ? x.toFixed(5) : pythonFloat(x);
}

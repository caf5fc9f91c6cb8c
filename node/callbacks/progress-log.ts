import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { Callback, type Logs } from '../../src/callbacks/callback.js';
import { PROGRESS_BATCH_RATE, type ProgressEvent } from '../../src/experiments/progress.js';

/**
 * Appends a run's progress to a JSON-lines file (src/experiments/progress.ts): a 'begin' event,
 * batch losses at most PROGRESS_BATCH_RATE a second, every epoch's logs, and 'end'. Lines are
 * written whole with one write each, so a reader never sees two events interleaved.
 */
export class ProgressLog extends Callback {
  private fd: number | null = null;
  private lastBatch = 0;
  private epoch = 0;
  private epochStart = 0;
  private epochsDone = 0;

  constructor(
    readonly filename: string,
    private readonly initialEpoch = 0,
  ) {
    super();
  }

  private write(event: ProgressEvent): void {
    if (this.fd === null) return;
    writeSync(this.fd, `${JSON.stringify(event)}\n`);
  }

  override onTrainBegin(): void {
    mkdirSync(dirname(this.filename), { recursive: true });
    this.fd = openSync(this.filename, 'a');
    this.epochsDone = 0;
    const p = this.params;
    this.write({
      type: 'begin',
      t: Date.now(),
      pid: process.pid,
      hostname: hostname(),
      epochs: p.epochs,
      initialEpoch: this.initialEpoch,
      steps: p.steps,
      samples: p.samples,
      batchSize: p.batchSize,
      metrics: p.metrics,
    });
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.epochStart = performance.now();
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    const now = Date.now();
    // The first batch always, so a viewer has a pace from the start; the last one comes with the epoch.
    if (batch > 0 && now - this.lastBatch < 1000 / PROGRESS_BATCH_RATE) return;
    this.lastBatch = now;
    this.write({ type: 'batch', t: now, epoch: this.epoch, batch, steps: this.params.steps, logs });
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epochsDone++;
    this.write({
      type: 'epoch',
      t: Date.now(),
      epoch,
      epochs: this.params.epochs,
      seconds: (performance.now() - this.epochStart) / 1000,
      logs,
    });
  }

  override onTrainEnd(): void {
    this.write({
      type: 'end',
      t: Date.now(),
      epochs: this.epochsDone,
      stopped: this.epoch + 1 < this.params.epochs,
    });
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { ProgressReporter } from '../../src/experiments/progress.js';

/**
 * Appends a run's progress to a JSON-lines file (src/experiments/progress.ts). Lines are written
 * whole with one write each, so a reader never sees two events interleaved.
 */
export class ProgressLog extends ProgressReporter {
  private fd: number | null = null;

  constructor(
    readonly filename: string,
    initialEpoch = 0,
  ) {
    super(
      (event) => {
        if (this.fd !== null) writeSync(this.fd, `${JSON.stringify(event)}\n`);
      },
      { pid: process.pid, hostname: hostname() },
      { initialEpoch },
    );
  }

  override onTrainBegin(): void {
    mkdirSync(dirname(this.filename), { recursive: true });
    this.fd = openSync(this.filename, 'a');
    super.onTrainBegin();
  }

  override onTrainEnd(): void {
    super.onTrainEnd();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

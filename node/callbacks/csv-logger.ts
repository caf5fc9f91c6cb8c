import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Callback, type Logs } from '../../src/callbacks/callback.js';
import { pythonFloat } from './python-format.js';

export interface CSVLoggerArgs {
  /** Field separator (default ','). */
  separator?: string;
  /** Append to an existing file instead of overwriting it (default false). */
  append?: boolean;
}

/**
 * Keras's CSVLogger: one row per epoch, `epoch` (0-based) then the log keys in sorted order,
 * the header written with the first row (not when appending to a non-empty file). Each row
 * is written straight to the file, so the file is complete after every epoch. Validation
 * keys the fit will log ('val_*' in params.metrics) get columns from the start ('NA' until
 * they appear). Numbers are written as Python writes floats ('0.25', '2.0'); lines end in '\n'.
 */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private fd: number | null = null;
  private keys: string[] | null = null;
  private writeHeader = true;

  constructor(filename: string, args: CSVLoggerArgs = {}) {
    super();
    this.filename = filename;
    this.separator = args.separator ?? ',';
    this.append = args.append ?? false;
  }

  override onTrainBegin(): void {
    this.writeHeader = true;
    if (this.append && existsSync(this.filename)) {
      const firstLine = readFileSync(this.filename, 'utf8').split('\n', 1)[0] ?? '';
      this.writeHeader = firstLine.length === 0;
    }
    this.close();
    const dir = dirname(this.filename);
    if (dir && !existsSync(dir)) mkdirSync(dir, { recursive: true });
    this.fd = openSync(this.filename, this.append ? 'a' : 'w');
    this.keys = null;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (this.fd === null) this.onTrainBegin();
    if (!this.keys) {
      this.keys = Object.keys(logs).sort();
      for (const name of this.params?.metrics ?? []) {
        if (name.startsWith('val_') && !this.keys.includes(name)) this.keys.push(name);
      }
      if (this.writeHeader) this.writeRow(['epoch', ...this.keys]);
    }
    const cells = this.keys.map((k) => (logs[k] === undefined ? 'NA' : pythonFloat(logs[k]!)));
    this.writeRow([String(epoch), ...cells]);
  }

  override onTrainEnd(): void {
    this.close();
  }

  private writeRow(cells: string[]): void {
    const line = cells.map((c) => this.quote(c)).join(this.separator) + '\n';
    writeSync(this.fd!, line);
  }

  /** Python csv's QUOTE_MINIMAL: quote a cell holding the separator, a quote or a newline. */
  private quote(cell: string): string {
    return cell.includes(this.separator) || /["\r\n]/.test(cell)
      ? `"${cell.replace(/"/g, '""')}"`
      : cell;
  }

  private close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

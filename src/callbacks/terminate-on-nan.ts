import { readOptions } from '../util/options.js';
import { Callback, type Logs } from './callback.js';

export interface TerminateOnNaNArgs {
  /** Throw instead of stopping gracefully (Keras 3's raise_error; default false). */
  raiseError?: boolean;
  /** Where the message goes (default console.log). */
  log?: (message: string) => void;
}

const KEYS = Object.keys({ raiseError: 1, log: 1 } satisfies Record<keyof TerminateOnNaNArgs, 1>);

/**
 * Keras 3's TerminateOnNaN: when a batch's loss is NaN or infinite, stops training after that
 * batch (the epoch still ends: validation and onEpochEnd run, then onTrainEnd), or with
 * `raiseError` throws at once. Without it fit throws a NonFiniteLossError at such a batch.
 * The bad step itself is never applied here (fit skips it), unlike Keras.
 */
export class TerminateOnNaN extends Callback {
  readonly raiseError: boolean;
  private readonly log: (message: string) => void;

  constructor(options: TerminateOnNaNArgs = {}) {
    super();
    // Keras's raise_error is read as raiseError.
    const args = readOptions('TerminateOnNaN', options, KEYS);
    this.raiseError = args.raiseError ?? false;
    this.log = args.log ?? ((m: string) => console.log(m));
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs['loss'];
    if (loss === undefined || Number.isFinite(loss)) return;
    if (this.raiseError) {
      throw new Error(
        `NaN or Inf loss encountered at batch ${batch}. Loss value: ${loss}. Terminating training immediately.`,
      );
    }
    this.log(`Batch ${batch}: Invalid loss, terminating training`);
    this.model.stopTraining = true;
  }
}

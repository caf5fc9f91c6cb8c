// The `callbacks` namespace in Node: the core's, plus the callbacks that write files.
import { readOptions } from '../../src/util/options.js';
import { CSVLogger, type CSVLoggerArgs } from '../callbacks/csv-logger.js';
import { ModelCheckpoint, type ModelCheckpointArgs } from '../callbacks/model-checkpoint.js';
import { ProgressLog } from '../callbacks/progress-log.js';

export * from '../../src/api/callbacks.js';
export type { CSVLoggerArgs, ModelCheckpointArgs };

const CHECKPOINT_KEYS = Object.keys({
  filepath: 1,
  monitor: 1,
  verbose: 1,
  saveBestOnly: 1,
  mode: 1,
  saveFreq: 1,
  initialValueThreshold: 1,
  log: 1,
  warn: 1,
} satisfies Record<Exclude<keyof ModelCheckpointArgs, `${string}_${string}`>, 1>);

/** Keras's CSVLogger: one row per epoch written to `filename`. */
export function csvLogger(filename: string, options?: CSVLoggerArgs): CSVLogger {
  return new CSVLogger(filename, readOptions('csvLogger()', options, ['separator', 'append']));
}

/**
 * Appends the training's progress to a JSON-lines file (`progress.jsonl`, what `serve` follows):
 * 'begin', batch losses, each epoch's logs, 'end'. `initialEpoch` numbers a resumed run's epochs.
 */
export function progressLog(filename: string, initialEpoch = 0): ProgressLog {
  return new ProgressLog(filename, initialEpoch);
}

/** Keras's ModelCheckpoint: saves the model to `filepath` (may hold `{epoch}`-style fields). */
export function modelCheckpoint(filepath: string, options?: ModelCheckpointArgs): ModelCheckpoint {
  return new ModelCheckpoint(filepath, readOptions('modelCheckpoint()', options, CHECKPOINT_KEYS));
}

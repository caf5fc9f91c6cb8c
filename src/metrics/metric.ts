import type { Tensor } from '../tensor/tensor.js';

/**
 * A streaming metric (Keras's stateful Metric): `updateState` per batch, `result` for the
 * epoch so far, `resetState` at each epoch start. Never records gradients.
 */
export abstract class Metric {
  abstract readonly name: string;
  /**
   * Whether larger values are better ('up', e.g. accuracy) or smaller ('down', e.g. a loss);
   * Keras's `_direction`, used by EarlyStopping / ModelCheckpoint in mode 'auto'.
   */
  readonly direction: 'up' | 'down' | undefined = undefined;
  abstract updateState(yTrue: Tensor, yPred: Tensor): void;
  abstract result(): number;
  abstract resetState(): void;

  /** The running state as numbers, for checkpoints mid-epoch (Keras's metric variables). */
  getState(): number[] {
    throw new Error(`Metric '${this.name}' cannot save its state.`);
  }

  /** Restores what `getState()` returned. */
  setState(_state: readonly number[]): void {
    throw new Error(`Metric '${this.name}' cannot restore its state.`);
  }
}

/**
 * Where a `fit` is, kept up to date by the loop at the end of every batch and epoch. Saved in a
 * checkpoint and passed back to `fit` (with the same data, model weights and optimizer state),
 * it continues the run bit for bit: the same shuffles, the same running loss and metrics.
 */
export interface FitPosition {
  /** The epoch in progress (0-based), or the next one when `batch` is 0. */
  epoch: number;
  /** Batches of `epoch` already done. */
  batch: number;
  /** The shuffling stream at the start of `epoch` (it regenerates the epoch's order). */
  shuffle: number[] | null;
  /** Running sums of the epoch so far (loss weighted by batch size) and the metrics' states. */
  lossSum: number;
  seen: number;
  metrics: number[][];
}

export class FitState implements FitPosition {
  epoch = 0;
  batch = 0;
  shuffle: number[] | null = null;
  lossSum = 0;
  seen = 0;
  metrics: number[][] = [];
  /** Set (from a signal handler, say) to stop after the current batch, mid-epoch. */
  stopRequested = false;
  /** Whether the last fit stopped mid-epoch on `stopRequested`. */
  stoppedMidEpoch = false;

  /** Whether this state comes from an earlier fit (a resumed run) rather than a fresh one. */
  get started(): boolean {
    return this.shuffle !== null;
  }

  toJSON(): FitPosition {
    const { epoch, batch, shuffle, lossSum, seen, metrics } = this;
    return { epoch, batch, shuffle, lossSum, seen, metrics };
  }

  /** A state from its JSON, checked field by field (it comes from a file). */
  static fromJSON(value: unknown, where = 'fit state'): FitState {
    const v = (value ?? {}) as Record<string, unknown>;
    const bad = (field: string, want: string): never => {
      throw new Error(`${where}: '${field}' must be ${want}.`);
    };
    const count = (field: string): number => {
      const x = v[field];
      return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0
        ? x
        : bad(field, 'a whole number >= 0');
    };
    const numbers = (x: unknown, field: string): number[] =>
      Array.isArray(x) &&
      x.length <= 64 &&
      x.every((n) => typeof n === 'number' && Number.isFinite(n))
        ? (x as number[])
        : bad(field, 'a short list of finite numbers');
    const s = new FitState();
    s.epoch = count('epoch');
    s.batch = count('batch');
    s.shuffle = numbers(v['shuffle'], 'shuffle');
    if (typeof v['lossSum'] !== 'number' || !Number.isFinite(v['lossSum']))
      bad('lossSum', 'a finite number');
    s.lossSum = v['lossSum'] as number;
    s.seen = count('seen');
    if (!Array.isArray(v['metrics']) || v['metrics'].length > 64) bad('metrics', 'a list');
    s.metrics = (v['metrics'] as unknown[]).map((m, i) => numbers(m, `metrics[${i}]`));
    return s;
  }
}

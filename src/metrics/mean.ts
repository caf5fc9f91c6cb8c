import type { Tensor } from '../tensor/tensor.js';
import { Metric } from './metric.js';

/**
 * Keras's `Mean`: the (weighted) mean of every value seen since the last reset. The fit loop's
 * 'loss' is one: `update(batchLoss, batchSize)` per batch gives the per-sample mean.
 */
export class Mean extends Metric {
  readonly name: string;
  private total = 0;
  private count = 0;

  constructor(name = 'mean') {
    super();
    this.name = name;
  }

  /** Adds a number with a weight (default 1), or every element of a tensor with weight 1 each. */
  update(values: number | Tensor, weight = 1): void {
    if (typeof values === 'number') {
      this.total += values * weight;
      this.count += weight;
      return;
    }
    const d = values.values;
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i]!;
    this.total += s * weight;
    this.count += d.length * weight;
  }

  /** Keras `Mean.update_state(values)`: averages the values (the second argument is unused). */
  updateState(values: Tensor, _unused?: Tensor): void {
    this.update(values);
  }

  /** total / count, 0 before any update (Keras's divide_no_nan). */
  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  resetState(): void {
    this.total = 0;
    this.count = 0;
  }

  override getState(): number[] {
    return [this.total, this.count];
  }

  override setState(state: readonly number[]): void {
    if (state.length !== 2 || !state.every(Number.isFinite)) {
      throw new RangeError(
        `Metric '${this.name}': expected [total, count], got ${state.length} numbers.`,
      );
    }
    [this.total, this.count] = state as [number, number];
  }
}

import type { Tensor } from '../tensor/tensor.js';
import { BinaryAccuracy } from './binary-accuracy.js';
import { CategoricalAccuracy } from './categorical-accuracy.js';
import { Metric } from './metric.js';
import { SparseCategoricalAccuracy } from './sparse-categorical-accuracy.js';

export type AccuracyKind = 'binary' | 'sparse_categorical' | 'categorical';

/**
 * Keras 3's rule for `metrics=['accuracy']` (compile_utils.is_binary_or_sparse_categorical),
 * from the shapes of the first batch: binary when yPred's last dimension is 1; else sparse
 * categorical when yTrue has fewer dimensions than yPred, or ends in 1 while yPred does not;
 * else categorical. The loss is not consulted.
 */
export function accuracyKind(
  yTrueShape: readonly number[],
  yPredShape: readonly number[],
): AccuracyKind {
  const tLast = yTrueShape[yTrueShape.length - 1];
  const pLast = yPredShape[yPredShape.length - 1];
  if (pLast === 1) return 'binary';
  if (yTrueShape.length < yPredShape.length || (tLast === 1 && pLast !== undefined && pLast > 1)) {
    return 'sparse_categorical';
  }
  return 'categorical';
}

/**
 * The metric behind 'accuracy' / 'acc': becomes Binary, SparseCategorical or CategoricalAccuracy
 * at its first update, chosen by `accuracyKind` as Keras 3 does when it builds compiled metrics
 * on the first batch. Reports under the name it was asked for.
 */
export class AutoAccuracy extends Metric {
  override readonly direction = 'up' as const;
  private inner: Metric | null = null;
  /** State restored before the first update picked the variant. */
  private restored: readonly number[] | null = null;

  constructor(readonly name = 'accuracy') {
    super();
  }

  /** The chosen variant, or null before the first update. */
  get kind(): AccuracyKind | null {
    if (this.inner instanceof BinaryAccuracy) return 'binary';
    if (this.inner instanceof SparseCategoricalAccuracy) return 'sparse_categorical';
    if (this.inner instanceof CategoricalAccuracy) return 'categorical';
    return null;
  }

  updateState(yTrue: Tensor, yPred: Tensor): void {
    if (!this.inner) {
      const kind = accuracyKind(yTrue.shape, yPred.shape);
      this.inner =
        kind === 'binary'
          ? new BinaryAccuracy(this.name)
          : kind === 'sparse_categorical'
            ? new SparseCategoricalAccuracy(this.name)
            : new CategoricalAccuracy(this.name);
      if (this.restored) this.inner.setState(this.restored);
      this.restored = null;
    }
    this.inner.updateState(yTrue, yPred);
  }

  result(): number {
    if (this.inner) return this.inner.result();
    const [total, count] = this.restored ?? [0, 0];
    return count ? total! / count : 0;
  }

  resetState(): void {
    this.inner?.resetState();
    this.restored = null;
  }

  override getState(): number[] {
    return this.inner ? this.inner.getState() : [...(this.restored ?? [0, 0])];
  }

  override setState(state: readonly number[]): void {
    if (state.length !== 2 || !state.every(Number.isFinite)) {
      throw new RangeError(
        `Metric '${this.name}': expected [total, count], got ${state.length} numbers.`,
      );
    }
    if (this.inner) this.inner.setState(state);
    else this.restored = [...state];
  }
}

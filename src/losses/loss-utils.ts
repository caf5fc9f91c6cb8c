import { readOptions } from '../util/options.js';
// Shared plumbing of the losses: option reading, Keras's rank alignment, reduction, labels.
import { mean, reshape, transpose } from '../ops/index.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape, normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Loss } from './loss.js';

/** Keras's `backend.epsilon()`, the clipping margin of the probability-space losses. */
export const EPSILON = 1e-7;

/** A per-sample loss: one value per sample (and per timestep etc.), before reduction. */
export type PerSampleFn<O> = (yTrue: Tensor, yPred: Tensor, options?: O) => Tensor;

/** A Loss that also takes options as a third argument (`losses.categoricalCrossentropy`). */
export interface LossWithOptions<O> extends Loss {
  (yTrue: Tensor, yPred: Tensor, options?: O): Tensor;
}

type OptionValue = number | boolean;

/**
 * Reads loss options given with TF.js camelCase or Keras snake_case keys (a Keras
 * `get_config()` such as `{name, reduction, from_logits}` works as is).
 */
export function readLossOptions<T extends Record<string, OptionValue>>(
  lossName: string,
  given: object | undefined,
  defaults: T,
): T {
  const src = readOptions(
    lossName,
    (given ?? {}) as Record<string, unknown>,
    Object.keys(defaults),
    {
      // Keras config keys that carry no option here.
      ignore: {
        name: () => true,
        dtype: () => true,
        reduction: (v) => v === 'sum_over_batch_size' || v === 'auto',
      },
    },
  );
  const out: Record<string, OptionValue> = { ...defaults };
  for (const [key, value] of Object.entries(src)) {
    if (typeof value !== typeof defaults[key]) {
      throw new TypeError(
        `${lossName}: '${key}' must be a ${typeof defaults[key]}, got ${JSON.stringify(value)}.`,
      );
    }
    out[key] = value as OptionValue;
  }
  return out as T;
}

/**
 * A Loss: `perSample` reduced by Keras's default "sum_over_batch_size" (the mean of every
 * per-sample value). Options bound here can be overridden per call.
 */
export function makeLoss<O extends object>(
  name: string,
  perSample: PerSampleFn<O>,
  bound?: O,
): LossWithOptions<O> {
  const fn = (yTrue: Tensor, yPred: Tensor, options?: O): Tensor =>
    mean(perSample(yTrue, yPred, options ? { ...bound, ...options } : bound));
  Object.defineProperty(fn, 'name', { value: name });
  return fn as LossWithOptions<O>;
}

/** `t` as a float tensor of `dtype` (labels often arrive as int32 or float32). */
export function asFloat(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  const out = new Tensor(
    dtype === 'float64' ? new Float64Array(t.size) : new Float32Array(t.size),
    t.shape,
  );
  out.values.set(t.values);
  return out;
}

/** The float dtype a loss computes in: yPred's. */
export function floatTypeOf(yPred: Tensor, loss: string): 'float32' | 'float64' {
  if (yPred.dtype === 'int32')
    throw new TypeError(`${loss}: predictions must be float, got int32.`);
  return yPred.dtype;
}

/**
 * Keras's `squeeze_or_expand_to_same_rank`: when the ranks differ by one and the longer shape
 * ends in 1, drop that 1, or (for a rank-1 partner) add one to the other side. So labels [n]
 * against predictions [n, 1] become [n, 1] instead of broadcasting to [n, n].
 */
export function alignRanks(yTrue: Tensor, yPred: Tensor): [Tensor, Tensor] {
  let a = yTrue;
  let b = yPred;
  if (a.rank === b.rank + 1 && a.shape[a.rank - 1] === 1) {
    if (b.rank === 1) b = reshape(b, [...b.shape, 1]);
    else a = reshape(a, a.shape.slice(0, -1));
  } else if (b.rank === a.rank + 1 && b.shape[b.rank - 1] === 1) {
    if (a.rank === 1) a = reshape(a, [...a.shape, 1]);
    else b = reshape(b, b.shape.slice(0, -1));
  }
  return [a, b];
}

/** Throws unless the two shapes are equal. */
export function checkSameShape(loss: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.rank !== yPred.rank || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new Error(
      `${loss}: y_true and y_pred must have the same shape; got ${formatShape(yTrue.shape)} and ${formatShape(yPred.shape)}.`,
    );
  }
}

/** Moves `axis` to the end (a transpose) so per-row kernels can work over it. */
export function moveAxisLast(t: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, t.rank);
  if (a === t.rank - 1) return t;
  const perm = [...Array(t.rank).keys()].filter((i) => i !== a);
  perm.push(a);
  return transpose(t, perm);
}

/**
 * Class indices for the sparse losses, as int32 with one dimension fewer than the predictions
 * (Keras squeezes a trailing 1: [n, 1] -> [n]). Float labels must hold whole numbers.
 */
export function classIndices(loss: string, yTrue: Tensor, yPred: Tensor): Tensor {
  let shape = yTrue.shape;
  if (shape.length === yPred.rank && shape[shape.length - 1] === 1) shape = shape.slice(0, -1);
  const want = yPred.shape.slice(0, -1);
  if (shape.length !== want.length || shape.some((d, i) => d !== want[i])) {
    throw new Error(
      `${loss}: y_true of shape ${formatShape(yTrue.shape)} does not match y_pred ${formatShape(yPred.shape)}; ` +
        `expected class indices of shape ${formatShape(want)} (or ${formatShape([...want, 1])}).`,
    );
  }
  if (yTrue.dtype === 'int32') return new Tensor(yTrue.values, shape);
  const out = new Int32Array(yTrue.size);
  const src = yTrue.values;
  for (let i = 0; i < out.length; i++) {
    const v = src[i]!;
    if (!Number.isInteger(v)) {
      throw new RangeError(
        `${loss}: y_true must hold class indices (whole numbers); found ${v} at ${i}. One-hot labels need categorical_crossentropy.`,
      );
    }
    out[i] = v;
  }
  return new Tensor(out, shape);
}

const warned = new Set<string>();

/** console.warn, once per distinct message per process. */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

import type { DType, TypedArray } from './dtype.js';

/**
 * Typed arrays handed out again once their step is over, so a training loop in its steady state
 * allocates no tensor memory (fresh typed arrays cost a zero-fill, page faults and, above all,
 * garbage collections driven by external memory pressure).
 *
 * The owner (the fit loop) opens the pool around one step with `usePool`; every array `allocate`
 * makes inside comes from the pool and is lent until `recycle()`, which the owner calls when
 * nothing made in the step can be read any more (at the start of the next step). Arrays are
 * matched by dtype and exact length, which a training step repeats batch after batch.
 */
export class BufferPool {
  private readonly free = new Map<number, TypedArray[]>();
  private lent: TypedArray[] = [];
  private spare: TypedArray[] = [];
  /** Arrays created (not reused) since construction: a steady state stops adding to it. */
  created = 0;

  /** An array of `size` items of `dtype`: zero-filled when `zero`, else with stale contents. */
  take(dtype: DType, size: number, zero: boolean): TypedArray {
    const list = this.free.get(key(dtype, size));
    let a = list?.pop();
    if (a) {
      if (zero) a.fill(0);
    } else {
      a = fresh(dtype, size);
      this.created++;
    }
    this.lent.push(a);
    return a;
  }

  /** Takes back every array lent since the last call; none of them may be read after this. */
  recycle(): void {
    const lent = this.lent;
    for (const a of lent) {
      const k = key(dtypeKey(a), a.length);
      let list = this.free.get(k);
      if (!list) this.free.set(k, (list = []));
      list.push(a);
    }
    // Two arrays of lent slots take turns, so recycling allocates nothing either.
    lent.length = 0;
    this.lent = this.spare;
    this.spare = lent;
  }
}

/** One number per (dtype, length): lengths are below 2^50, so the product stays exact. */
function key(dtype: DType, size: number): number {
  return size * 4 + (dtype === 'float32' ? 0 : dtype === 'float64' ? 1 : 2);
}

function dtypeKey(a: TypedArray): DType {
  return a instanceof Float32Array ? 'float32' : a instanceof Float64Array ? 'float64' : 'int32';
}

export function fresh(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
  }
}

let active: BufferPool | null = null;

/** The pool `allocate` draws from now, if any. */
export function activePool(): BufferPool | null {
  return active;
}

/**
 * Runs `fn` (synchronous: an await inside would lend the pool to whatever runs meanwhile) with
 * every tensor allocation drawn from `pool`.
 */
export function usePool<T>(pool: BufferPool, fn: () => T): T {
  const was = active;
  active = pool;
  try {
    return fn();
  } finally {
    active = was;
  }
}

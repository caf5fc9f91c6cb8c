/**
 * The fused optimizer steps behind the `applyUpdate` kernel, declared once: each entry names
 * its fields (in the order they are sent to compiled code), its slot arrays and its reference
 * math (each element in JS doubles, its new state rounded once when stored). `OptimizerUpdate`,
 * the field lists of the argument schema (kernel-args.ts) and the js backend's kernel are
 * derived from this table; the native and wasm kernels implement the same names in
 * native/optimizers.inl, and test/native-op-codes.test.ts checks native/kernels.h's
 * MLN_OPTIMIZERS list and each C++ struct's field order (its kFields) against this table.
 *
 * Formulas are Keras 3's (keras/src/optimizers/*.py). Fields are explicit: Keras's defaults
 * live in the optimizer classes (src/optimizers/), never here.
 */
import type { FloatArray } from './backend.js';

type FieldType = 'number' | 'boolean' | 'step';
type FieldsOf<F extends Record<string, FieldType>> = {
  [K in keyof F]: F[K] extends 'boolean' ? boolean : number;
};

interface OptimizerDef<F extends Record<string, FieldType>> {
  /**
   * The fields, in the order compiled code reads them (at most UPDATE_FIELDS). 'step' is the
   * 1-based step count: a positive integer, checked before the update.
   */
  readonly fields: F;
  /** Names of the slot arrays this update needs, in the order they are passed. */
  slots(u: FieldsOf<F>): readonly string[];
  /** The update over [0, n), in place. */
  apply(u: FieldsOf<F>, p: FloatArray, g: FloatArray, s: FloatArray[], n: number): void;
}

function kernel<const F extends Record<string, FieldType>>(d: OptimizerDef<F>): OptimizerDef<F> {
  return d;
}

/** Numeric fields sent per optimizer step (native/entries.h reads this many). */
export const UPDATE_FIELDS = 6;

export const OPTIMIZER_KERNELS = {
  /** v = momentum*v - lr*g; nesterov: p += momentum*v - lr*g, else p += v. momentum 0: p -= lr*g (no slot). */
  sgd: kernel({
    fields: { lr: 'number', momentum: 'number', nesterov: 'boolean' },
    slots: (u) => (u.momentum !== 0 ? ['velocity'] : []),
    apply({ lr, momentum, nesterov }, p, g, [vel], n) {
      if (!vel) {
        for (let i = 0; i < n; i++) p[i] -= lr * g[i];
        return;
      }
      for (let i = 0; i < n; i++) {
        const v = momentum * vel[i] - lr * g[i];
        vel[i] = v;
        p[i] += nesterov ? momentum * v - lr * g[i] : v;
      }
    },
  }),
  /**
   * ms = rho*ms + (1-rho)*g^2; centered: mg = rho*mg + (1-rho)*g, denom = ms - mg^2 + eps,
   * else denom = ms + eps; inc = lr*g / sqrt(denom); momentum > 0: mom = momentum*mom + inc,
   * p -= mom, else p -= inc. Slots [ms, mg?, mom?]: mg only when centered, mom only when
   * momentum > 0.
   */
  rmsprop: kernel({
    fields: {
      lr: 'number',
      rho: 'number',
      momentum: 'number',
      epsilon: 'number',
      centered: 'boolean',
    },
    slots: (u) => ['ms', ...(u.centered ? ['mg'] : []), ...(u.momentum > 0 ? ['mom'] : [])],
    apply({ lr, rho, momentum, epsilon, centered }, p, g, s, n) {
      const ms = s[0]!;
      const mg = centered ? s[1] : undefined;
      const mom = momentum > 0 ? s[centered ? 2 : 1] : undefined;
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const m2 = rho * ms[i] + (1 - rho) * gi * gi;
        ms[i] = m2;
        let denom = m2 + epsilon;
        if (mg) {
          const a = rho * mg[i] + (1 - rho) * gi;
          mg[i] = a;
          denom = m2 - a * a + epsilon;
        }
        const inc = (lr * gi) / Math.sqrt(denom);
        if (mom) {
          const m = momentum * mom[i] + inc;
          mom[i] = m;
          p[i] -= m;
        } else {
          p[i] -= inc;
        }
      }
    },
  }),
  /**
   * t = step; a = lr * sqrt(1 - beta2^t) / (1 - beta1^t); m += (g - m)*(1-beta1);
   * v += (g^2 - v)*(1-beta2); amsgrad: vhat = max(vhat, v), used below;
   * p -= a * m / (sqrt(v) + eps). Slots [m, v, vhat?].
   */
  adam: kernel({
    fields: {
      lr: 'number',
      beta1: 'number',
      beta2: 'number',
      epsilon: 'number',
      step: 'step',
      amsgrad: 'boolean',
    },
    slots: (u) => ['m', 'v', ...(u.amsgrad ? ['vhat'] : [])],
    apply({ lr, beta1, beta2, epsilon, step, amsgrad }, p, g, [m, v, vhat], n) {
      const alpha = (lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const mi = m![i] + (gi - m![i]) * (1 - beta1);
        let vi = v![i] + (gi * gi - v![i]) * (1 - beta2);
        m![i] = mi;
        v![i] = vi;
        if (amsgrad) {
          vi = Math.max(vhat![i], vi);
          vhat![i] = vi;
        }
        p[i] -= (alpha * mi) / (Math.sqrt(vi) + epsilon);
      }
    },
  }),
  /** acc += g^2; p -= lr * g / sqrt(acc + eps). Slots [acc] (the class initialises it). */
  adagrad: kernel({
    fields: { lr: 'number', epsilon: 'number' },
    slots: () => ['acc'],
    apply({ lr, epsilon }, p, g, [acc], n) {
      for (let i = 0; i < n; i++) {
        const a = acc![i] + g[i] * g[i];
        acc![i] = a;
        p[i] -= (lr * g[i]) / Math.sqrt(a + epsilon);
      }
    },
  }),
  /**
   * ag = rho*ag + (1-rho)*g^2; d = -sqrt(ad + eps) / sqrt(ag + eps) * g;
   * ad = rho*ad + (1-rho)*d^2; p += lr * d. Slots [ag, ad].
   */
  adadelta: kernel({
    fields: { lr: 'number', rho: 'number', epsilon: 'number' },
    slots: () => ['ag', 'ad'],
    apply({ lr, rho, epsilon }, p, g, [ag, ad], n) {
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const a = rho * ag![i] + (1 - rho) * gi * gi;
        ag![i] = a;
        const d = (-Math.sqrt(ad![i] + epsilon) / Math.sqrt(a + epsilon)) * gi;
        ad![i] = rho * ad![i] + (1 - rho) * d * d;
        p[i] += lr * d;
      }
    },
  }),
  /**
   * Keras 3's Nadam. t = step; u(i) = beta1 * (1 - 0.5 * 0.96^i); uProduct = u(1)...u(t)
   * (the optimizer keeps it: Keras's `_u_product` after this step's update);
   * m += (g - m)*(1-beta1); v += (g^2 - v)*(1-beta2);
   * mhat = u(t+1) m / (1 - uProduct u(t+1)) + (1 - u(t)) g / (1 - uProduct);
   * p -= lr * mhat / (sqrt(v / (1 - beta2^t)) + eps). Slots [m, v].
   */
  nadam: kernel({
    fields: {
      lr: 'number',
      beta1: 'number',
      beta2: 'number',
      epsilon: 'number',
      step: 'step',
      uProduct: 'number',
    },
    slots: () => ['m', 'v'],
    apply({ lr, beta1, beta2, epsilon, step, uProduct }, p, g, [m, v], n) {
      const u = beta1 * (1 - 0.5 * 0.96 ** step);
      const uNext = beta1 * (1 - 0.5 * 0.96 ** (step + 1));
      const cm = uNext / (1 - uProduct * uNext);
      const cg = (1 - u) / (1 - uProduct);
      const bc2 = 1 - beta2 ** step;
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const mi = m![i] + (gi - m![i]) * (1 - beta1);
        const vi = v![i] + (gi * gi - v![i]) * (1 - beta2);
        m![i] = mi;
        v![i] = vi;
        p[i] -= (lr * (cm * mi + cg * gi)) / (Math.sqrt(vi / bc2) + epsilon);
      }
    },
  }),
  /**
   * Keras 3's Adamax. t = step; m += (g - m)*(1-beta1); u = max(beta2*u, |g|);
   * p -= lr * m / ((1 - beta1^t) * (u + eps)). Slots [m, u].
   */
  adamax: kernel({
    fields: { lr: 'number', beta1: 'number', beta2: 'number', epsilon: 'number', step: 'step' },
    slots: () => ['m', 'u'],
    apply({ lr, beta1, beta2, epsilon, step }, p, g, [m, u], n) {
      const alpha = lr / (1 - beta1 ** step);
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const mi = m![i] + (gi - m![i]) * (1 - beta1);
        const ui = Math.max(beta2 * u![i], Math.abs(gi));
        m![i] = mi;
        u![i] = ui;
        p[i] -= (alpha * mi) / (ui + epsilon);
      }
    },
  }),
  /**
   * Keras 3's Lion. p -= lr * sign(beta1*m + (1-beta1)*g); then m = beta2*m + (1-beta2)*g.
   * sign(0) = 0. Slots [m].
   */
  lion: kernel({
    fields: { lr: 'number', beta1: 'number', beta2: 'number' },
    slots: () => ['m'],
    apply({ lr, beta1, beta2 }, p, g, [m], n) {
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        p[i] -= lr * Math.sign(beta1 * m![i] + (1 - beta1) * gi);
        m![i] = beta2 * m![i] + (1 - beta2) * gi;
      }
    },
  }),
};

export type OptimizerKind = keyof typeof OPTIMIZER_KERNELS;

type UpdateOf<K extends OptimizerKind> =
  (typeof OPTIMIZER_KERNELS)[K] extends OptimizerDef<infer F> ? FieldsOf<F> : never;

/**
 * One fused optimizer step: the kind and its fields (see OPTIMIZER_KERNELS for each formula).
 * Each call updates one parameter in place in a single pass; `slots` are the optimizer's
 * per-parameter state arrays, as long as the parameter, updated in place.
 */
export type OptimizerUpdate = { [K in OptimizerKind]: { kind: K } & UpdateOf<K> }[OptimizerKind];

/** Every kind, in declaration order (the compiled side maps names to its codes). */
export const OPTIMIZER_KINDS = Object.keys(OPTIMIZER_KERNELS) as OptimizerKind[];

/** The fields of each kind in the order they are sent to compiled code. */
export const OPTIMIZER_FIELDS = Object.fromEntries(
  OPTIMIZER_KINDS.map((k) => [k, Object.keys(OPTIMIZER_KERNELS[k].fields)]),
) as unknown as { [K in OptimizerKind]: readonly (keyof UpdateOf<K> & string)[] };

for (const k of OPTIMIZER_KINDS) {
  if (OPTIMIZER_FIELDS[k].length > UPDATE_FIELDS) {
    throw new Error(`optimizer kernel '${k}' has more than ${UPDATE_FIELDS} fields`);
  }
}

/** The declaration of `update`'s kind, typed for its fields. */
function defOf(update: OptimizerUpdate): OptimizerDef<Record<string, FieldType>> {
  return OPTIMIZER_KERNELS[update.kind] as unknown as OptimizerDef<Record<string, FieldType>>;
}

/** Slot names `update` needs, in order. */
export function optimizerSlots(update: OptimizerUpdate): readonly string[] {
  return defOf(update).slots(update as never);
}

/** Throws a RangeError when a 'step' field of `update` is not a positive integer. */
export function checkUpdateFields(update: OptimizerUpdate): void {
  const def = defOf(update);
  for (const [name, type] of Object.entries(def.fields)) {
    const value = (update as unknown as Record<string, unknown>)[name];
    if (type === 'step' && (!Number.isInteger(value) || (value as number) < 1)) {
      throw new RangeError(`applyUpdate(${update.kind}): ${name} is 1-based, got ${String(value)}`);
    }
  }
}

/** The reference update (checks done by the caller). */
export function applyReference(
  update: OptimizerUpdate,
  p: FloatArray,
  g: FloatArray,
  slots: FloatArray[],
): void {
  defOf(update).apply(update as never, p, g, slots, p.length);
}

// Regularizers: classes, TF.js-style factories and a registry by name.
import type { SerializedObject } from '../initializers/initializer.js';
import { L1 } from './l1.js';
import { L1L2 } from './l1-l2.js';
import { L2 } from './l2.js';
import { Regularizer } from './regularizer.js';

export { Regularizer } from './regularizer.js';
export { L1, L1L2, L2 };

/** A name ('l2', 'l1_l2', 'l1l2', 'L1L2'), an instance or a serialised one. */
export type RegularizerIdentifier = string | Regularizer | SerializedObject;

type Factory = (config: Record<string, unknown>) => Regularizer;
const classes = new Map<string, Factory>();
/** Bare names make Keras's string defaults (0.01), which differ from L1L2's class defaults. */
const byName = new Map<string, () => Regularizer>([
  ['l1', () => new L1()],
  ['l2', () => new L2()],
  ['l1l2', () => new L1L2({ l1: 0.01, l2: 0.01 })],
]);

function key(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

export function registerRegularizer(className: string, factory: Factory): void {
  classes.set(key(className), factory);
}

registerRegularizer('L1', (c) => new L1(c as { l1?: number }));
registerRegularizer('L2', (c) => new L2(c as { l2?: number }));
registerRegularizer('L1L2', (c) => new L1L2(c as { l1?: number; l2?: number }));

export function regularizerNames(): string[] {
  return ['l1', 'l2', 'l1_l2'];
}

export function getRegularizer(id: RegularizerIdentifier): Regularizer {
  if (id instanceof Regularizer) return id;
  if (typeof id === 'string') {
    const make = byName.get(key(id));
    if (!make) {
      throw new Error(
        `Unknown regularizer '${id}'. Valid regularizers: ${regularizerNames().join(', ')} (or L1, L2, L1L2 objects).`,
      );
    }
    return make();
  }
  const factory = classes.get(key(id.className));
  if (!factory) {
    throw new Error(`Unknown regularizer class '${id.className}'. Valid classes: L1, L2, L1L2.`);
  }
  return factory(id.config ?? {});
}

/** TF.js-style factories; every default is 0.01 (Keras's string defaults). */
export const regularizers = {
  l1: (args: { l1?: number } = {}): Regularizer => new L1(args),
  l2: (args: { l2?: number } = {}): Regularizer => new L2(args),
  l1l2: (args: { l1?: number; l2?: number } = {}): Regularizer =>
    new L1L2({ l1: args.l1 ?? 0.01, l2: args.l2 ?? 0.01 }),
};

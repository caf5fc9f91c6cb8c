// Regularizers: classes, TF.js-style factories and a registry by name.
import type { SerializedObject } from '../initializers/initializer.js';
import { Registry } from '../util/options.js';
import { L1 } from './l1.js';
import { L1L2 } from './l1-l2.js';
import { L2 } from './l2.js';
import { Regularizer } from './regularizer.js';

export { Regularizer } from './regularizer.js';
export { L1, L1L2, L2 };

/** A name ('l2', 'l1_l2', 'l1l2', 'L1L2'), an instance or a serialised one. */
export type RegularizerIdentifier = string | Regularizer | SerializedObject;

type Factory = (config: Record<string, unknown>) => Regularizer;
const classes = new Registry<Factory>('regularizer class');
/** Bare names make Keras's string defaults (0.01), which differ from L1L2's class defaults. */
const byName = new Registry<() => Regularizer>('regularizer');
byName.register('l1', () => new L1());
byName.register('l2', () => new L2());
byName.register('l1_l2', () => new L1L2({ l1: 0.01, l2: 0.01 }));

export function registerRegularizer(className: string, factory: Factory): void {
  classes.register(className, factory);
}

registerRegularizer('L1', (c) => new L1(c as { l1?: number }));
registerRegularizer('L2', (c) => new L2(c as { l2?: number }));
registerRegularizer('L1L2', (c) => new L1L2(c as { l1?: number; l2?: number }));

export function regularizerNames(): string[] {
  return byName.names();
}

/** A name ('l2', 'l1_l2'), a serialised `{className, config}` or a Regularizer (returned as is). */
export function getRegularizer(id: RegularizerIdentifier): Regularizer {
  if (id instanceof Regularizer) return id;
  if (typeof id === 'string') return byName.get(id)();
  return classes.get(id.className)(id.config ?? {});
}

/** TF.js-style factories; every default is 0.01 (Keras's string defaults). */
export const regularizers = {
  l1: (args: { l1?: number } = {}): Regularizer => new L1(args),
  l2: (args: { l2?: number } = {}): Regularizer => new L2(args),
  l1l2: (args: { l1?: number; l2?: number } = {}): Regularizer =>
    new L1L2({ l1: args.l1 ?? 0.01, l2: args.l2 ?? 0.01 }),
};

import type { FloatArray } from '../backend.js';
import {
  applyReference,
  checkUpdateFields,
  optimizerSlots,
  type OptimizerUpdate,
} from '../optimizer-kernels.js';
import { checkLength } from './check.js';

/** The js backend's fused optimizer step: the reference math of OPTIMIZER_KERNELS, checked. */
export function applyUpdate(
  update: OptimizerUpdate,
  param: FloatArray,
  grad: FloatArray,
  slots: FloatArray[],
): void {
  const kernel = `applyUpdate(${update.kind})`;
  checkUpdateFields(update);
  checkLength(kernel, 'grad', grad, param.length);
  const names = optimizerSlots(update);
  if (slots.length !== names.length) {
    throw new RangeError(
      `${kernel}: expected slots [${names.join(', ')}], got ${slots.length} arrays`,
    );
  }
  names.forEach((name, i) => checkLength(kernel, `slot ${name}`, slots[i]!, param.length));
  applyReference(update, param, grad, slots);
}

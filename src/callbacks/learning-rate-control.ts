import type { CallbackModel } from './callback.js';

/** The model's optimizer, or a clear error when the model has none (not compiled). */
export function optimizerOf(
  model: CallbackModel | undefined,
  who: string,
): { learningRate: number } {
  const opt = model?.optimizer;
  if (!opt || typeof opt.learningRate !== 'number') {
    throw new Error(`${who}: the model has no optimizer with a learning rate; compile it first.`);
  }
  return opt;
}

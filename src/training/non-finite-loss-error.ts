/** Training produced a NaN or infinite loss; the weights were left as they were before that step. */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly value: number,
  ) {
    super(
      `The loss became ${value} at epoch ${epoch + 1}, batch ${batch + 1}; training stopped before applying that step. ` +
        'Try a smaller learning rate, check the inputs for NaN/Infinity and that they are normalised (e.g. pixels / 255), ' +
        'or use a loss that matches the output layer (from_logits for unnormalised outputs).',
    );
  }
}

import { VarianceScaling } from './variance-scaling.js';

/** Glorot (Xavier) uniform: limit sqrt(6 / (fanIn + fanOut)). Keras's default kernel initializer. */
export class GlorotUniform extends VarianceScaling {
  override readonly className: string = 'GlorotUniform';

  constructor(args: { seed?: number | null } = {}) {
    super({
      scale: 1,
      mode: 'fan_avg',
      distribution: 'uniform',
      ...(args.seed != null ? { seed: args.seed } : {}),
    });
  }

  override getConfig(): Record<string, unknown> {
    return this.seedConfig();
  }
}

import { VarianceScaling } from './variance-scaling.js';

/** LeCun uniform: limit sqrt(3 / fanIn). */
export class LecunUniform extends VarianceScaling {
  override readonly className: string = 'LecunUniform';

  constructor(args: { seed?: number | null } = {}) {
    super({
      scale: 1,
      mode: 'fan_in',
      distribution: 'uniform',
      ...(args.seed != null ? { seed: args.seed } : {}),
    });
  }

  override getConfig(): Record<string, unknown> {
    return this.seedConfig();
  }
}

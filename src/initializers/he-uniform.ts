import { VarianceScaling } from './variance-scaling.js';

/** He uniform: limit sqrt(6 / fanIn). */
export class HeUniform extends VarianceScaling {
  override readonly className: string = 'HeUniform';

  constructor(args: { seed?: number | null } = {}) {
    super({
      scale: 2,
      mode: 'fan_in',
      distribution: 'uniform',
      ...(args.seed != null ? { seed: args.seed } : {}),
    });
  }

  override getConfig(): Record<string, unknown> {
    return this.seedConfig();
  }
}

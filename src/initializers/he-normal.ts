import { VarianceScaling } from './variance-scaling.js';

/** He normal: truncated normal with stddev sqrt(2 / fanIn). */
export class HeNormal extends VarianceScaling {
  override readonly className: string = 'HeNormal';

  constructor(args: { seed?: number | null } = {}) {
    super({
      scale: 2,
      mode: 'fan_in',
      distribution: 'truncated_normal',
      ...(args.seed != null ? { seed: args.seed } : {}),
    });
  }

  override getConfig(): Record<string, unknown> {
    return this.seedConfig();
  }
}

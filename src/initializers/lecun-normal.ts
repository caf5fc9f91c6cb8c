import { VarianceScaling } from './variance-scaling.js';

/** LeCun normal: truncated normal with stddev sqrt(1 / fanIn). */
export class LecunNormal extends VarianceScaling {
  override readonly className: string = 'LecunNormal';

  constructor(args: { seed?: number | null } = {}) {
    super({
      scale: 1,
      mode: 'fan_in',
      distribution: 'truncated_normal',
      ...(args.seed != null ? { seed: args.seed } : {}),
    });
  }

  override getConfig(): Record<string, unknown> {
    return this.seedConfig();
  }
}

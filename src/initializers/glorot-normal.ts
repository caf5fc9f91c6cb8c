import { VarianceScaling } from './variance-scaling.js';

/** Glorot (Xavier) normal: truncated normal with stddev sqrt(2 / (fanIn + fanOut)). */
export class GlorotNormal extends VarianceScaling {
  override readonly className: string = 'GlorotNormal';

  constructor(args: { seed?: number | null } = {}) {
    super({
      scale: 1,
      mode: 'fan_avg',
      distribution: 'truncated_normal',
      ...(args.seed != null ? { seed: args.seed } : {}),
    });
  }

  override getConfig(): Record<string, unknown> {
    return this.seedConfig();
  }
}

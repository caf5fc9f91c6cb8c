// The `initializers` namespace (TF.js `tf.initializers`): factories, `get`, the base class.
import { initializers } from '../initializers/index.js';

export const {
  zeros,
  ones,
  constant,
  randomNormal,
  randomUniform,
  truncatedNormal,
  varianceScaling,
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
  lecunUniform,
  lecunNormal,
} = initializers;
export {
  getInitializer as get,
  Initializer,
  type InitializerIdentifier,
  type VarianceScalingArgs,
} from '../initializers/index.js';

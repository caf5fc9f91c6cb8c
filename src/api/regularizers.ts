// The `regularizers` namespace (TF.js `tf.regularizers`): factories, `get`, the base class.
import { regularizers } from '../regularizers/index.js';

export const { l1, l2, l1l2 } = regularizers;
export {
  getRegularizer as get,
  Regularizer,
  type RegularizerIdentifier,
} from '../regularizers/index.js';

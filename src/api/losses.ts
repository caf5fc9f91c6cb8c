// The `losses` namespace (Keras `keras.losses`): each loss is a function (yTrue, yPred,
// options?) giving the batch mean; `get` resolves a name ('categorical_crossentropy').
export {
  binaryCrossentropy,
  categoricalCrossentropy,
  meanAbsoluteError,
  meanSquaredError,
  poisson,
  sparseCategoricalCrossentropy,
  getLoss as get,
  LOSS_NAMES as names,
  type Loss,
  type LossIdentifier,
} from '../losses/index.js';

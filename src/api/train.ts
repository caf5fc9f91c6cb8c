// `train`: TF.js's spelling of the optimizer factories (`tf.train.adam(0.001)`), the same
// functions as `optimizers.*`.
export { sgd, rmsprop, adam, adamw, adagrad, adadelta } from './optimizers.js';

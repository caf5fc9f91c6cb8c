// `train`: TF.js's spelling of the optimizer factories (`tf.train.adam(0.001)`), the same
// functions as `optimizers.*` (src/optimizers/registry.ts lists them).
export * from '../optimizers/registry.js';

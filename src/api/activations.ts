// The `activations` namespace: the functions layers use by name, and `get`.
export {
  elu,
  gelu,
  leakyRelu,
  linear,
  relu,
  relu6,
  sigmoid,
  silu,
  silu as swish,
  softmax,
  softplus,
  softsign,
  tanh,
  getActivation as get,
  activationNames as names,
  type ActivationFn,
} from '../activations/index.js';

// The `activations` namespace: the functions layers use by name, and `get`.
export {
  elu,
  leakyRelu,
  linear,
  relu,
  relu6,
  sigmoid,
  softmax,
  softplus,
  tanh,
  getActivation as get,
  activationNames as names,
  type ActivationFn,
} from '../activations/index.js';

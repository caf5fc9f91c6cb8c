/** The compute backends MNIST_LAB_BACKEND may name, in the order the Node entry tries them. */
export const BACKEND_NAMES: readonly string[] = ['native', 'wasm', 'js'];

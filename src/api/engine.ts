// TF.js's engine functions, kept so TF.js code runs unchanged. mnist-lab's tensors are
// ordinary typed arrays freed by the garbage collector, so tidy and dispose have nothing to do.

/**
 * TF.js's `tf.tidy`: runs `fn` and returns its result. TF.js frees the intermediate tensors
 * here; mnist-lab's tensors are ordinary typed arrays reclaimed by the garbage collector, so
 * there is nothing to free and this costs nothing. It exists so TF.js code runs unchanged.
 */
export function tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T {
  const run = typeof nameOrFn === 'function' ? nameOrFn : fn;
  if (typeof run !== 'function') throw new TypeError('tidy() needs a function to run.');
  const result = run();
  if (result instanceof Promise) {
    throw new Error('tidy() takes a synchronous function (as in TF.js); await outside it.');
  }
  return result;
}

/**
 * TF.js's `tf.dispose`: frees tensors (one, an array, or an object of them) in TF.js; a no-op
 * here, like `tensor.dispose()`, because the garbage collector frees them.
 */
export function dispose(_container: unknown): void {}

/**
 * TF.js's `tf.nextFrame`: resolves on the next animation frame in a browser (next macrotask
 * elsewhere), so a training loop can let the page or the event loop breathe.
 */
export function nextFrame(): Promise<void> {
  const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => unknown })
    .requestAnimationFrame;
  return new Promise((resolve) => (raf ? raf(() => resolve()) : setTimeout(resolve, 0)));
}

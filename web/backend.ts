import * as kernels from '../src/kernels/index.js';

/**
 * The fastest backend the library offers in this page. Where the library loads a wasm backend
 * in browsers, its `ready()` resolves once that is done and makes it the default; otherwise js.
 */
export async function pickBackend(): Promise<string> {
  // Looked up at run time: older builds of the library have no ready().
  const exported: Record<string, unknown> = { ...kernels };
  const ready = exported['ready'];
  if (typeof ready === 'function') {
    try {
      await (ready as () => Promise<unknown>)();
    } catch {
      // The js reference stays: slower, same numbers.
    }
  }
  return kernels.backendName();
}

/**
 * Loads the wasm kernels in Node (dist/wasm/mnist-lab-kernels.wasm, built by
 * scripts/build-wasm.mjs). Synchronous, so the Node entry can choose native -> wasm -> js at
 * import. Never throws: returns null and remembers why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from '../../src/kernels/backend.js';
import { wasmApi } from '../../src/kernels/wasm/wasm-api.js';
import { WASM_FILE, createWasmBackend, wasmImports } from '../../src/kernels/wasm/wasm-backend.js';
import { packageRoot } from '../native/load.js';

let loaded: Backend | null | undefined;
let loadError: string | undefined;

/** Path of the module in this package, or undefined when the package root is not found. */
export function wasmFile(): string | undefined {
  const root = packageRoot();
  return root === undefined ? undefined : join(root, 'dist', 'wasm', WASM_FILE);
}

function load(): Backend | null {
  const file = wasmFile();
  if (file === undefined) {
    loadError = 'could not find the mnist-lab package root';
    return null;
  }
  if (!existsSync(file)) {
    loadError = `${file} does not exist (build it with \`npm run build:wasm\`)`;
    return null;
  }
  try {
    const module = new wasmApi.Module(readFileSync(file));
    const imports = wasmImports(module);
    return createWasmBackend(new wasmApi.Instance(module, imports.imports), imports);
  } catch (error) {
    loadError = `${file} failed to load: ${error instanceof Error ? error.message : String(error)}`;
    return null;
  }
}

/** The wasm backend (one shared instance), or null when the module is missing or broken. */
export function loadWasmBackend(): Backend | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

/** Why loadWasmBackend() returned null; undefined when it loaded (or was not tried yet). */
export function wasmLoadError(): string | undefined {
  return loadError;
}

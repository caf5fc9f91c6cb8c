import type { Backend } from '../backend.js';
import { wasmApi } from './wasm-api.js';
import { WASM_FILE, createWasmBackend, wasmImports } from './wasm-backend.js';

/**
 * Fetches and instantiates the wasm kernels. By default the module is the one shipped beside
 * the compiled library (dist/wasm/), found relative to this file, so a page that serves the
 * package as files, or a bundler that follows `new URL(..., import.meta.url)`, needs no setup.
 */
export async function loadWasmFromUrl(
  url: URL | string = new URL(`../../../wasm/${WASM_FILE}`, import.meta.url),
): Promise<Backend> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`wasm kernels: ${String(url)}: HTTP ${response.status}`);
  const module = await wasmApi.compile(await response.arrayBuffer());
  const imports = wasmImports(module);
  return createWasmBackend(await wasmApi.instantiate(module, imports.imports), imports);
}

import type { Backend } from '../backend.js';
import { wasmApi } from './wasm-api.js';
import { createWasmBackend, pickWasmIsa, wasmImports, type WasmIsa } from './wasm-backend.js';

export interface WasmUrlOptions {
  /** The module to fetch; by default the shipped build of `isa`, found beside this file. */
  url?: URL | string;
  /** Lowers the variant: 'simd128' skips relaxed SIMD even where the engine has it. */
  isa?: WasmIsa;
}

/**
 * Fetches and instantiates the wasm kernels: the relaxed-SIMD build where the engine validates
 * relaxed SIMD, else the SIMD128 one. By default the module is the one shipped beside the
 * compiled library (dist/wasm/), found relative to this file, so a page that serves the package
 * as files, or a bundler that follows `new URL(..., import.meta.url)`, needs no setup.
 */
export async function loadWasmFromUrl(options: WasmUrlOptions = {}): Promise<Backend> {
  const isa = pickWasmIsa(options.isa);
  // Literal URLs per variant, so bundlers that follow new URL(..., import.meta.url) copy both.
  const plain = new URL('../../../wasm/mnist-lab-kernels.wasm', import.meta.url);
  const relaxed = new URL('../../../wasm/mnist-lab-kernels-relaxed.wasm', import.meta.url);
  let url = options.url ?? (isa === 'relaxed-simd' ? relaxed : plain);
  let response = await fetch(url);
  if (!response.ok && options.url === undefined && url === relaxed) {
    // A build without the relaxed module (clang < 16) still has the SIMD128 one.
    url = plain;
    response = await fetch(url);
  }
  if (!response.ok) throw new Error(`wasm kernels: ${String(url)}: HTTP ${response.status}`);
  const module = await wasmApi.compile(await response.arrayBuffer());
  const imports = wasmImports(module);
  return createWasmBackend(await wasmApi.instantiate(module, imports.imports), imports);
}

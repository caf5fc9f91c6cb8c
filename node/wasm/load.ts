/**
 * Loads the wasm kernels in Node (dist/wasm/, built by scripts/build-wasm.mjs): the
 * relaxed-SIMD build where V8 runs relaxed SIMD, else the SIMD128 one. Synchronous, so the
 * Node entry can choose native -> wasm -> js at import. Never throws: returns null and
 * remembers why.
 *
 * Node 20's V8 (11.3) has relaxed SIMD behind --experimental-wasm-relaxed-simd; the loader turns
 * that flag on in-process (v8.setFlagsFromString, before compiling) unless
 * MNIST_LAB_WASM_ISA=simd128 asks for the plain build. Node 22+ has it on already.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Backend } from '../../src/kernels/backend.js';
import { wasmApi } from '../../src/kernels/wasm/wasm-api.js';
import {
  WASM_FILES,
  createWasmBackend,
  hasRelaxedSimd,
  parseWasmIsa,
  pickWasmIsa,
  wasmImports,
  type WasmIsa,
} from '../../src/kernels/wasm/wasm-backend.js';
import { packageRoot } from '../native/load.js';

/** How relaxed SIMD came to be available in this process, or why not. */
export type RelaxedSimdSource = 'engine' | 'v8-flag' | 'unsupported' | 'not-requested';

export interface WasmInfo {
  /** The module in use. */
  file: string;
  /** Its variant. MNIST_LAB_WASM_ISA=simd128 lowers it (never raises it). */
  isa: WasmIsa;
  /** 'engine': V8 had relaxed SIMD on; 'v8-flag': this process turned on its Node 20 flag. */
  relaxedSimd: RelaxedSimdSource;
}

let loaded: Backend | null | undefined;
let loadError: string | undefined;
let info: WasmInfo | undefined;
let relaxed: RelaxedSimdSource | undefined;

/** Path of a variant's module in this package, or undefined when the package root is not found. */
export function wasmFile(isa: WasmIsa = 'simd128'): string | undefined {
  const root = packageRoot();
  return root === undefined ? undefined : join(root, 'dist', 'wasm', WASM_FILES[isa]);
}

/** Makes relaxed SIMD available if V8 can run it (once per process). */
function enableRelaxedSimd(): RelaxedSimdSource {
  if (relaxed !== undefined) return relaxed;
  if (hasRelaxedSimd()) return (relaxed = 'engine');
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // Not a flag this V8 knows: relaxed SIMD is then either on already or absent.
  }
  return (relaxed = hasRelaxedSimd() ? 'v8-flag' : 'unsupported');
}

/** Instantiates one variant's module; throws with the reason when it cannot. */
function instantiate(isa: WasmIsa): {
  backend: Backend;
  file: string;
  exports: Record<string, unknown>;
} {
  const file = wasmFile(isa);
  if (file === undefined) throw new Error('could not find the mnist-lab package root');
  if (!existsSync(file))
    throw new Error(`${file} does not exist (build it with \`npm run build:wasm\`)`);
  try {
    const module = new wasmApi.Module(readFileSync(file));
    const imports = wasmImports(module);
    const instance = new wasmApi.Instance(module, imports.imports);
    const backend = createWasmBackend(instance, imports);
    return { backend, file, exports: instance.exports };
  } catch (error) {
    throw new Error(
      `${file} failed to load: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * A fresh instance of one variant, for tests and benchmarks that compare them (the backend
 * proper is loadWasmBackend's shared one). Throws when that variant cannot run here.
 */
export function loadWasmVariant(isa: WasmIsa): Backend {
  if (isa === 'relaxed-simd' && enableRelaxedSimd() === 'unsupported')
    throw new Error(`this engine (Node ${process.versions.node}) has no relaxed SIMD`);
  return instantiate(isa).backend;
}

/**
 * For the benchmark's peak (bench/peak.ts): the module's register-resident multiply-add loop
 * (fma_peak in native/isa-kernels.inl) in a fresh instance of `isa`; each call runs `iters`
 * iterations and returns the floating-point operations done.
 */
export function wasmPeakLoop(isa: WasmIsa): (iters: number) => number {
  if (isa === 'relaxed-simd' && enableRelaxedSimd() === 'unsupported')
    throw new Error(`this engine (Node ${process.versions.node}) has no relaxed SIMD`);
  const loop = instantiate(isa).exports['mln_fma_peak'];
  if (typeof loop !== 'function')
    throw new Error('the wasm module has no mln_fma_peak (rebuild it)');
  return loop as (iters: number) => number;
}

function load(): Backend | null {
  let cap: WasmIsa | undefined;
  try {
    cap = parseWasmIsa(process.env['MNIST_LAB_WASM_ISA'], 'MNIST_LAB_WASM_ISA');
  } catch (error) {
    loadError = (error as Error).message;
    return null;
  }
  const source = cap === 'simd128' ? 'not-requested' : enableRelaxedSimd();
  const errors: string[] = [];
  // The best variant first; the plain one still serves when the relaxed file is missing.
  for (const isa of pickWasmIsa(cap) === 'relaxed-simd' ? WASM_ISAS_BEST_FIRST : PLAIN) {
    try {
      const { backend, file } = instantiate(isa);
      info = { file, isa, relaxedSimd: source };
      return backend;
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  loadError = errors.join('; ');
  return null;
}

const WASM_ISAS_BEST_FIRST: readonly WasmIsa[] = ['relaxed-simd', 'simd128'];
const PLAIN: readonly WasmIsa[] = ['simd128'];

/** The wasm backend (one shared instance), or null when the module is missing or broken. */
export function loadWasmBackend(): Backend | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

/** Why loadWasmBackend() returned null; undefined when it loaded (or was not tried yet). */
export function wasmLoadError(): string | undefined {
  return loadError;
}

/** Which module loadWasmBackend() loaded and why; undefined before it has (or when it failed). */
export function wasmInfo(): WasmInfo | undefined {
  return info;
}

/**
 * The `wasm` backend: the C++ kernels of native/ compiled to WebAssembly with SIMD128, or
 * SIMD128 + relaxed SIMD where the engine has it (scripts/build-wasm.mjs builds both; the
 * loaders pick with pickWasmIsa), single-threaded, Float32Array only. Arguments are marshalled from
 * the kernel schema (marshal.ts): arrays are copied into the module's memory for the call
 * (and written ones copied back), numbers travel in a slot array native/wasm-entry.cc reads.
 * Browser-safe: the loaders (browser.ts, node/wasm/load.ts) only fetch the bytes.
 */
import type { Backend, KernelName } from '../backend.js';
import {
  wasmApi,
  type WasmImports,
  type WasmInstance,
  type WasmMemory,
  type WasmModule,
} from './wasm-api.js';
import type { CodeList } from '../kernel-args.js';
import { JsBackend } from '../js/js-backend.js';
import { compiledBackend, type FlatArg, type FlatKind } from '../marshal.js';

/** The module's exports (native/wasm-entry.cc). */
interface KernelExports {
  memory: WasmMemory;
  _initialize?: () => void;
  mln_slots(): number;
  mln_error(): number;
  mln_op_names(): number;
  mln_isa(): number;
  mln_alloc(bytes: number): number;
  mln_free(ptr: number): number;
  [kernel: `mln_${string}`]: (...args: number[]) => number;
}

/**
 * The two builds of the kernels (scripts/build-wasm.mjs), best first, and their files in
 * dist/wasm/. Same source; relaxed-simd computes each multiply-add with f32x4.relaxed_madd
 * (one fused instruction where the CPU has FMA), simd128 with a multiply and an add.
 */
export const WASM_FILES = {
  'relaxed-simd': 'mnist-lab-kernels-relaxed.wasm',
  simd128: 'mnist-lab-kernels.wasm',
} as const;
export type WasmIsa = keyof typeof WASM_FILES;
export const WASM_ISAS = Object.keys(WASM_FILES) as WasmIsa[];

// The smallest module that uses relaxed SIMD: one function computing
// f32x4.relaxed_madd(v128.const 0, v128.const 0, v128.const 0) and dropping it.
const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const PROBE_BODY = [0x00, ...V128_ZERO, ...V128_ZERO, ...V128_ZERO, 0xfd, 0x85, 0x02, 0x1a, 0x0b];
const RELAXED_SIMD_PROBE = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version 1
  ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00], // types: () -> ()
  ...[0x03, 0x02, 0x01, 0x00], // one function of type 0
  ...[0x0a, PROBE_BODY.length + 2, 0x01, PROBE_BODY.length, ...PROBE_BODY], // its code
]);

/** Whether this engine runs relaxed SIMD (Chromium 114+; Node 20 only behind a V8 flag). */
export function hasRelaxedSimd(): boolean {
  return wasmApi.validate(RELAXED_SIMD_PROBE);
}

/** Parses a requested variant ('' or undefined: the best available); throws on anything else. */
export function parseWasmIsa(value: string | undefined, source: string): WasmIsa | undefined {
  const v = value?.trim().toLowerCase();
  if (!v) return undefined;
  if ((WASM_ISAS as string[]).includes(v)) return v as WasmIsa;
  throw new RangeError(`${source} must be one of ${WASM_ISAS.join(', ')}, got '${value}'`);
}

/** The variant to load: the best this engine runs, lowered (never raised) to `cap`. */
export function pickWasmIsa(cap?: WasmIsa): WasmIsa {
  if (cap === 'simd128') return 'simd128';
  return hasRelaxedSimd() ? 'relaxed-simd' : 'simd128';
}

/** A module's imports, and how to tell them the instance's memory once it exists. */
export interface KernelImports {
  imports: WasmImports;
  bind(memory: WasmMemory): void;
}

/**
 * Imports for the module: WASI's few system calls, none of which the kernels need at run time
 * (no files, no environment: MNIST_LAB_ISA has no meaning here), answered as a host without
 * them would. Every import the module lists gets a function, so a rebuilt module still links.
 */
export function wasmImports(module: WasmModule): KernelImports {
  const imports: Record<string, Record<string, (...args: number[]) => number>> = {};
  let memory: WasmMemory | undefined;
  const view = (): DataView => new DataView(memory!.buffer);
  const ENOSYS = 52;
  const known: Record<string, (...args: number[]) => number> = {
    environ_sizes_get: (count, size) => {
      view().setUint32(count, 0, true);
      view().setUint32(size, 0, true);
      return 0;
    },
    environ_get: () => 0,
    fd_write: (_fd, iovs, iovsLen, written) => {
      // Accept and drop output: the kernels report errors through mln_error instead.
      let n = 0;
      for (let i = 0; i < iovsLen; i++) n += view().getUint32(iovs + 8 * i + 4, true);
      view().setUint32(written, n, true);
      return 0;
    },
    proc_exit: (code) => {
      throw new Error(`the wasm kernels exited with code ${code}`);
    },
  };
  for (const imp of wasmApi.Module.imports(module)) {
    if (imp.kind !== 'function') continue;
    (imports[imp.module] ??= {})[imp.name] = known[imp.name] ?? (() => ENOSYS);
  }
  return { imports, bind: (m) => void (memory = m) };
}

const TYPE = { none: 0, number: 1, f32: 2, i32: 3, f64: 4, other: 5 } as const;
const SLOT_BYTES = 24;
const MAX_ARGS = 16;

function cString(memory: WasmMemory, ptr: number): string {
  const bytes = new Uint8Array(memory.buffer, ptr);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.subarray(0, end < 0 ? 0 : end));
}

/** A Backend over an instantiated kernels module (see `wasmImports`). */
export function createWasmBackend(instance: WasmInstance, imports: KernelImports): Backend {
  const ex = instance.exports as unknown as KernelExports;
  imports.bind(ex.memory);
  ex._initialize?.();
  const memory = ex.memory;
  const slots = ex.mln_slots();
  const codeLists = JSON.parse(cString(memory, ex.mln_op_names())) as Record<CodeList, string[]>;
  const isa = cString(memory, ex.mln_isa());
  let arena = 0;
  let arenaBytes = 0;

  /** A scratch area of at least `bytes`, reused across calls. */
  const reserve = (bytes: number): number => {
    if (bytes <= arenaBytes) return arena;
    if (arena) ex.mln_free(arena);
    arenaBytes = Math.max(bytes, Math.ceil(arenaBytes * 1.5), 1 << 16);
    arena = ex.mln_alloc(arenaBytes);
    if (!arena) {
      arenaBytes = 0;
      throw new RangeError(`wasm: could not allocate ${bytes} bytes of kernel memory`);
    }
    return arena;
  };

  const call = (kernel: KernelName, args: FlatArg[], kinds: readonly FlatKind[]): void => {
    if (args.length > MAX_ARGS) throw new RangeError(`wasm ${kernel}: too many arguments`);
    let bytes = 0;
    for (const a of args) {
      if (a instanceof Float32Array || a instanceof Int32Array) bytes += (a.byteLength + 15) & ~15;
    }
    const base = reserve(bytes);
    // Views after any growth of the memory (growth detaches old views).
    const buffer = memory.buffer;
    const f64 = new Float64Array(buffer, slots, (MAX_ARGS * SLOT_BYTES) / 8);
    const u32 = new Uint32Array(buffer, slots, (MAX_ARGS * SLOT_BYTES) / 4);
    const written: [Float32Array | Int32Array, number][] = [];
    let at = base;
    for (let i = 0; i < MAX_ARGS; i++) {
      const a = args[i];
      const w = (i * SLOT_BYTES) / 4;
      let type: number = TYPE.none;
      let ptr = 0;
      let len = 0;
      let num = 0;
      if (typeof a === 'number' || typeof a === 'boolean') {
        type = TYPE.number;
        num = Number(a);
      } else if (a instanceof Float32Array || a instanceof Int32Array) {
        type = a instanceof Float32Array ? TYPE.f32 : TYPE.i32;
        ptr = at;
        len = a.length;
        const kind = kinds[i];
        const view =
          type === TYPE.f32 ? new Float32Array(buffer, at, len) : new Int32Array(buffer, at, len);
        if (kind !== 'f32out' && kind !== 'i32out') view.set(a);
        if (kind === 'f32out' || kind === 'f32inout' || kind === 'i32out') written.push([a, at]);
        at += (a.byteLength + 15) & ~15;
      } else if (a instanceof Float64Array) {
        type = TYPE.f64;
      } else if (a !== null && a !== undefined) {
        type = TYPE.other;
      }
      f64[w / 2] = num;
      u32[w + 2] = ptr;
      u32[w + 3] = len;
      u32[w + 4] = type;
    }
    const rc = ex[`mln_${kernel}`]!();
    if (rc !== 0) {
      const message = cString(memory, ex.mln_error());
      throw rc === 1 ? new TypeError(message) : new RangeError(message);
    }
    const out = memory.buffer;
    for (const [a, ptr] of written) {
      if (a instanceof Float32Array) a.set(new Float32Array(out, ptr, a.length));
      else a.set(new Int32Array(out, ptr, a.length));
    }
  };

  return compiledBackend(
    {
      name: 'wasm',
      has: (kernel) => typeof ex[`mln_${kernel}`] === 'function',
      codeLists,
      call,
      getNumThreads: () => 1,
      setNumThreads: () => {},
      isa: () => isa,
    },
    new JsBackend(),
  );
}

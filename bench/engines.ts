/**
 * The engines a workload runs on: our kernel backends (native at N and 1 threads, js), TF.js's
 * wasm and cpu backends, and ONNX Runtime (onnxruntime-node, CPU, N and 1 intra-op threads). Ours are imported dynamically so the bench builds and runs,
 * with a "skipped" row, while a backend is missing or broken.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as OrtNode from 'onnxruntime-node';
import type { Backend } from '../src/kernels/backend.js';

export type Tf = typeof TfCore;
export type Ort = typeof OrtNode;

/** Backend names accepted by --backends, in table order. */
export const BACKEND_NAMES = [
  'native',
  'wasm',
  'wasm-simd128',
  'js',
  'tfjs-wasm',
  'tfjs-cpu',
  'torch',
  'onnxruntime',
] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

interface EngineBase {
  /** The JSON `backend` field. */
  backend: BackendName;
  /** Threads asked for (1 for single-threaded engines). */
  threads: number;
  label: string;
}

export interface OurEngine extends EngineBase {
  kind: 'ours';
  impl: Backend;
  /** The instruction set native picked, when it says. */
  isa?: string;
}

export interface TfjsEngine extends EngineBase {
  kind: 'tfjs';
  tf: Tf;
  tfBackend: 'wasm' | 'cpu';
}

/** onnxruntime-node's CPU execution provider with `threads` intra-op threads. */
export interface OrtEngine extends EngineBase {
  kind: 'onnxruntime';
  ort: Ort;
}

export interface SkippedEngine extends EngineBase {
  kind: 'skipped';
  reason: string;
}

export type Engine = OurEngine | TfjsEngine | OrtEngine | SkippedEngine;

export interface LoadedEngines {
  engines: Engine[];
  /** Lines for the header: what each engine is and how it is configured. */
  info: string[];
}

export function isOurs(backend: string): boolean {
  return (
    backend === 'native' || backend === 'wasm' || backend === 'wasm-simd128' || backend === 'js'
  );
}

export function threadLabel(backend: string, threads: number): string {
  return `${backend} ${threads}t`;
}

/** Loads the selected engines; `threads` is the native thread count (--threads). */
export async function loadEngines(
  threads: number,
  selected: ReadonlySet<BackendName>,
): Promise<LoadedEngines> {
  const engines: Engine[] = [];
  const info: string[] = [];

  if (selected.has('native')) {
    const counts = threads > 1 ? [threads, 1] : [1];
    const native = await loadNative();
    if (typeof native === 'string') {
      info.push(`native: skipped (${native})`);
      for (const t of counts) engines.push(skipped('native', t, native));
    } else {
      info.push(`native: ${native.describe}`);
      for (const t of counts) {
        engines.push({
          ...(native.isa === undefined ? {} : { isa: native.isa }),
          kind: 'ours',
          backend: 'native',
          threads: t,
          label: threadLabel('native', t),
          impl: native.impl,
        });
      }
    }
  }

  if (selected.has('wasm')) {
    const wasm = await loadWasm();
    if (typeof wasm === 'string') {
      info.push(`wasm: skipped (${wasm})`);
      engines.push(skipped('wasm', 1, wasm));
    } else {
      info.push(`wasm: our C++ kernels compiled to WebAssembly, single-threaded: ${wasm.describe}`);
      const isa = wasm.impl.isa();
      const label = `wasm ${isa}`;
      engines.push({ kind: 'ours', backend: 'wasm', threads: 1, label, isa, impl: wasm.impl });
    }
  }

  // The plain build beside the loaded one, when that is the relaxed one: what fusing buys.
  if (selected.has('wasm-simd128')) {
    const plain = await loadWasmPlain();
    if (typeof plain === 'string') {
      info.push(`wasm-simd128: skipped (${plain})`);
      engines.push(skipped('wasm-simd128', 1, plain));
    } else {
      const label = 'wasm simd128';
      engines.push({ kind: 'ours', backend: 'wasm-simd128', threads: 1, label, impl: plain });
    }
  }

  if (selected.has('js')) {
    const js = await loadJs();
    if (typeof js === 'string') {
      info.push(`js: skipped (${js})`);
      engines.push(skipped('js', 1, js));
    } else {
      info.push(`js: reference TypeScript backend (src/kernels), single-threaded`);
      engines.push({ kind: 'ours', backend: 'js', threads: 1, label: 'js', impl: js });
    }
  }

  const wantWasm = selected.has('tfjs-wasm');
  const wantCpu = selected.has('tfjs-cpu');
  if (wantWasm || wantCpu) {
    const tfjs = await loadTfjs(wantWasm);
    info.push(...tfjs.info);
    if (wantWasm) {
      engines.push(
        tfjs.tf && tfjs.wasmReady
          ? {
              kind: 'tfjs',
              backend: 'tfjs-wasm',
              threads: 1,
              label: 'tfjs-wasm',
              tf: tfjs.tf,
              tfBackend: 'wasm',
            }
          : skipped('tfjs-wasm', 1, tfjs.wasmProblem ?? 'TF.js did not load'),
      );
    }
    if (wantCpu) {
      engines.push(
        tfjs.tf
          ? {
              kind: 'tfjs',
              backend: 'tfjs-cpu',
              threads: 1,
              label: 'tfjs-cpu',
              tf: tfjs.tf,
              tfBackend: 'cpu',
            }
          : skipped('tfjs-cpu', 1, tfjs.problem ?? 'TF.js did not load'),
      );
    }
  }

  if (selected.has('onnxruntime')) {
    const counts = threads > 1 ? [threads, 1] : [1];
    try {
      const ort = await import('onnxruntime-node');
      info.push(
        `onnxruntime: onnxruntime-node ${ort.env.versions.node ?? '?'}, CPU execution provider, ` +
          `graph optimisation 'all', sequential execution; rows set intra-op threads (1 inter-op)`,
      );
      for (const t of counts)
        engines.push({
          kind: 'onnxruntime',
          backend: 'onnxruntime',
          threads: t,
          label: threadLabel('onnxruntime', t),
          ort,
        });
    } catch (e) {
      const reason = `onnxruntime-node not importable: ${(e as Error).message.split('\n')[0]}`;
      info.push(`onnxruntime: skipped (${reason})`);
      for (const t of counts) engines.push(skipped('onnxruntime', t, reason));
    }
  }

  return { engines, info };
}

/** Makes an engine current: sets our thread count, or switches TF.js's backend. */
export async function activate(engine: OurEngine | TfjsEngine | OrtEngine): Promise<void> {
  // ONNX Runtime takes its thread count per session (the workload's setup creates one).
  if (engine.kind === 'onnxruntime') return;
  if (engine.kind === 'ours') {
    engine.impl.setNumThreads(engine.threads);
  } else if (!(await engine.tf.setBackend(engine.tfBackend))) {
    throw new Error(`tf.setBackend('${engine.tfBackend}') failed`);
  }
}

function skipped(backend: BackendName, threads: number, reason: string): SkippedEngine {
  const label =
    backend === 'native' || backend === 'onnxruntime' ? threadLabel(backend, threads) : backend;
  return { kind: 'skipped', backend, threads, label, reason };
}

function isBackend(x: unknown): x is Backend {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Backend).gemm === 'function' &&
    typeof (x as Backend).setNumThreads === 'function'
  );
}

/** dist/bench/ -> dist/<rel>: a colleague's module, if it has been built. */
async function importBuilt(rel: string): Promise<Record<string, unknown> | string> {
  const url = new URL(`../${rel}`, import.meta.url);
  if (!existsSync(fileURLToPath(url)))
    return `${rel.replace(/\.js$/, '.ts')} not found (not written or not compiled yet)`;
  try {
    return (await import(url.href)) as Record<string, unknown>;
  } catch (e) {
    return `importing ${rel} failed: ${(e as Error).message.split('\n')[0]}`;
  }
}

async function loadJs(): Promise<Backend | string> {
  const mod = await importBuilt('src/kernels/index.js');
  if (typeof mod === 'string') return mod;
  return isBackend(mod.jsBackend)
    ? mod.jsBackend
    : 'src/kernels/index.ts does not export a jsBackend';
}

async function loadWasm(): Promise<{ impl: Backend; describe: string } | string> {
  const mod = await importBuilt('node/wasm/load.js');
  if (typeof mod === 'string') return mod;
  const load = mod as unknown as typeof import('../node/wasm/load.js');
  const impl = load.loadWasmBackend();
  if (impl === null) return `loadWasmBackend() returned null: ${String(load.wasmLoadError())}`;
  const info = load.wasmInfo();
  const how: Record<string, string> = {
    engine: 'relaxed SIMD on in V8',
    'v8-flag':
      "relaxed SIMD turned on by the loader (Node 20: V8's --experimental-wasm-relaxed-simd)",
    unsupported: 'this V8 has no relaxed SIMD',
    'not-requested': 'MNIST_LAB_WASM_ISA=simd128',
  };
  const describe = info
    ? `${info.isa} build (${basename(info.file)}; ${how[info.relaxedSimd] ?? info.relaxedSimd})`
    : impl.isa();
  return { impl, describe };
}

async function loadWasmPlain(): Promise<Backend | string> {
  const mod = await importBuilt('node/wasm/load.js');
  if (typeof mod === 'string') return mod;
  try {
    return (mod as unknown as typeof import('../node/wasm/load.js')).loadWasmVariant('simd128');
  } catch (e) {
    return (e as Error).message;
  }
}

async function loadNative(): Promise<{ impl: Backend; describe: string; isa?: string } | string> {
  const mod = await importBuilt('node/native/load.js');
  if (typeof mod === 'string') return mod;
  if (typeof mod.loadNativeBackend !== 'function') {
    return 'node/native/load.ts does not export loadNativeBackend';
  }
  let impl: unknown;
  try {
    impl = (mod.loadNativeBackend as () => unknown)();
  } catch (e) {
    return `loadNativeBackend() threw: ${(e as Error).message.split('\n')[0]}`;
  }
  if (impl === null || impl === undefined) {
    const why =
      typeof mod.nativeLoadError === 'function'
        ? (mod.nativeLoadError as () => unknown)()
        : undefined;
    return `loadNativeBackend() returned null: ${typeof why === 'string' ? why : 'no reason given'}`;
  }
  if (!isBackend(impl)) return 'loadNativeBackend() returned something that is not a Backend';
  const info = await nativeInfo();
  if (!info)
    return { impl, describe: `ISA not reported, default pool ${impl.getNumThreads()} threads` };
  return {
    impl,
    isa: info.isa,
    describe:
      `ISA ${info.isa} (supported: ${info.supported.join(', ')}), GEMM micro-tile ` +
      `${info.microTile.join('x')}, default pool ${info.threads} threads; rows below set the count`,
  };
}

/** node/native/isa.ts's nativeInfo(), when it exists: the ISA and threads the addon picked. */
async function nativeInfo(): Promise<NativeInfo | undefined> {
  const mod = await importBuilt('node/native/isa.js');
  if (typeof mod === 'string' || typeof mod.nativeInfo !== 'function') return undefined;
  const info = (mod.nativeInfo as () => unknown)() as Partial<NativeInfo> | null;
  if (!info || typeof info.isa !== 'string') return undefined;
  return {
    isa: info.isa,
    supported: Array.isArray(info.supported) ? info.supported : [],
    threads: info.threads ?? 0,
    microTile: Array.isArray(info.microTile) ? info.microTile : [],
  };
}

/** The fields of node/native/isa.ts's NativeInfo the bench prints (kept loose: see importBuilt). */
interface NativeInfo {
  isa: string;
  supported: string[];
  threads: number;
  microTile: number[];
}

interface TfjsLoad {
  tf?: Tf;
  problem?: string;
  wasmReady: boolean;
  wasmProblem?: string;
  info: string[];
}

async function loadTfjs(withWasm: boolean): Promise<TfjsLoad> {
  let tf: Tf;
  try {
    tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
  } catch (e) {
    const problem = `TF.js not importable: ${(e as Error).message.split('\n')[0]}`;
    return { problem, wasmReady: false, wasmProblem: problem, info: [`tfjs: ${problem}`] };
  }
  const info = [
    `tfjs-cpu: @tensorflow/tfjs-backend-cpu ${tf.version_core}, plain JavaScript kernels, single-threaded`,
  ];
  // The cpu backend prints a "install tfjs-node" banner on its first tensor: get it out of the
  // way now rather than in the middle of the progress lines.
  if (await tf.setBackend('cpu')) tf.tensor1d([0]).dispose();
  if (!withWasm) return { tf, wasmReady: false, info };

  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Point it at the binaries in node_modules explicitly; by default its Emscripten glue reads
    // them with fs.readFileSync from the bundle's own __dirname, which is the same folder.
    const dir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(dir + '/');
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const mt = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    // Mirrors the package's own choice of binary (getPathToWasmBinary in tf-backend-wasm.node.js).
    const file =
      simd && mt
        ? 'tfjs-backend-wasm-threaded-simd.wasm'
        : simd
          ? 'tfjs-backend-wasm-simd.wasm'
          : 'tfjs-backend-wasm.wasm';
    if (!existsSync(join(dir, file))) throw new Error(`${join(dir, file)} is missing`);
    if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') returned false");
    info.push(
      `tfjs-wasm: @tensorflow/tfjs-backend-wasm ${wasm.version_wasm}, binary ${file} read from disk ` +
        `(SIMD ${simd ? 'yes' : 'no'}, threads ${mt ? 'yes' : 'no: TF.js turns wasm threads off under Node'}; ` +
        `XNNPACK pool ${wasm.getThreadsCount()} thread(s))`,
    );
    return { tf, wasmReady: true, info };
  } catch (e) {
    const wasmProblem = `wasm backend failed: ${(e as Error).message.split('\n')[0]}`;
    info.push(`tfjs-wasm: skipped (${wasmProblem})`);
    return { tf, wasmReady: false, wasmProblem, info };
  }
}

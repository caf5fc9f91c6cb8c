import type { KernelName } from '../../src/kernels/backend.js';
import type { CodeList } from '../../src/kernels/kernel-args.js';
import type { FlatArg } from '../../src/kernels/marshal.js';

/**
 * The surface of the compiled addon (native/addon.cc): one function per kernel taking its
 * arguments flattened as src/kernels/marshal.ts does (native/entries.h reads them; every length
 * is checked there, which throws a RangeError, or a TypeError for a wrong array type, instead
 * of reading out of bounds), plus the op code lists and a few controls.
 */
export type NativeAddon = { [K in KernelName]: (...args: FlatArg[]) => void } & {
  /** The op code lists of native/kernels.h: names in code order. */
  readonly opNames: Readonly<Record<CodeList, readonly string[]>>;
  getNumThreads(): number;
  setNumThreads(n: number): void;
  /** Switches the instruction-set level ('avx512', 'avx2', 'generic'); false if unsupported here. */
  setIsa(name: string): boolean;
  /** GEMM blocking (k-slice depth, B-slab width); for benchmarks. Values below 8 are ignored. */
  setGemmBlocking(kc: number, nc: number): void;
  /**
   * Benchmark only (bench/peak.ts): runs that level's register-resident FMA loop for `iters`
   * iterations, 16 times per pool thread; returns the floating-point operations done.
   */
  fmaPeak(isa: string, iters: number): number;
  info(): { isa: string; threads: number; supported: string; mr: number; nr: number };
};

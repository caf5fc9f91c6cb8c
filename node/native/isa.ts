/** What the native kernels picked on this machine: instruction set and thread count. */
import { loadNativeAddon, nativeLoadReport, type LoadAttempt, type NativeSource } from './load.js';

export type NativeIsa = 'avx512' | 'avx2' | 'generic';

export interface NativeInfo {
  /** The binary in use: shipped prebuilt with the package, or compiled from source. */
  source: NativeSource;
  file: string;
  /** Every place looked in, in order (prebuilt, then compiled), with why each unused one failed. */
  attempts: LoadAttempt[];
  /** Level in use. MNIST_LAB_ISA=avx512|avx2|generic lowers it (never raises it). */
  isa: NativeIsa;
  /** Levels this CPU and build support, best first. */
  supported: NativeIsa[];
  /** Pool size (MNIST_LAB_NUM_THREADS or the hardware's count, changed by setNumThreads). */
  threads: number;
  /** GEMM micro-tile: rows x columns of C per register block. */
  microTile: [number, number];
}

/** null when the addon is not loaded (the one-time warning then says why, attempt by attempt). */
export function nativeInfo(): NativeInfo | null {
  const addon = loadNativeAddon();
  if (!addon) return null;
  const i = addon.info();
  const report = nativeLoadReport();
  return {
    source: report.source!,
    file: report.file!,
    attempts: report.attempts,
    isa: i.isa as NativeIsa,
    supported: i.supported.split(',').filter(Boolean) as NativeIsa[],
    threads: i.threads,
    microTile: [i.mr, i.nr],
  };
}

/**
 * Switches the instruction-set level at run time (tests and benchmarks). Returns false, changing
 * nothing, when the CPU or build lacks it.
 */
export function setNativeIsa(isa: NativeIsa): boolean {
  return loadNativeAddon()?.setIsa(isa) ?? false;
}

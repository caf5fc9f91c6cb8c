/**
 * The machine's measured peak: the native addon's register-resident FMA loop (fma_peak in
 * native/isa-kernels.inl, one source for every ISA) per instruction-set level, at 1 and N
 * threads. Every workload's useful GFLOP/s is quoted as a fraction of it, so a speed claim
 * carries across machines (an AVX-512 core that splits 512-bit FMAs in two halves has half the
 * peak of one that does not; seconds hide that, fractions do not).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface PeakRow {
  isa: string;
  threads: number;
  gflops: number;
  /** Best over trials: a peak is what the machine can do, so noise only ever lowers it. */
  trials: number;
}

export interface MachinePeak {
  rows: PeakRow[];
  /** The best level (highest per-core peak). */
  isa: string;
  /** That level's per-core peak: the best of its rows' GFLOP/s per thread. */
  perCore: number;
}

/**
 * The peak "fraction of peak" divides by at `threads` threads: threads x the per-core peak. On a
 * shared machine a multi-threaded loop rarely gets every core for a whole trial, so its measured
 * rate understates what the cores can do and would flatter every fraction; cores are alike
 * (one thread per core here), so the per-core best scales.
 */
export function peakAt(p: MachinePeak, threads: number): number {
  return threads * p.perCore;
}

interface PeakAddon {
  fmaPeak(isa: string, iters: number): number;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  info(): { supported: string };
}

// Many short trials, best taken: on a busy machine some ~10 ms slices still run undisturbed.
const TRIAL_MS = 10;
const TRIALS = 25;

/** Measures every supported level at each thread count; a reason string when it cannot. */
export async function measurePeak(threadCounts: readonly number[]): Promise<MachinePeak | string> {
  const addon = await loadAddon();
  if (typeof addon === 'string') return addon;
  if (typeof addon.fmaPeak !== 'function') return 'the native addon has no fmaPeak (rebuild it)';
  const before = addon.getNumThreads();
  const rows: PeakRow[] = [];
  try {
    for (const isa of addon.info().supported.split(',').filter(Boolean)) {
      for (const threads of threadCounts) {
        addon.setNumThreads(threads);
        rows.push({
          isa,
          threads,
          gflops: peakOf((iters) => addon.fmaPeak(isa, iters)),
          trials: TRIALS,
        });
      }
    }
  } finally {
    addon.setNumThreads(before);
  }
  if (rows.length === 0) return 'the native addon reports no instruction-set level';
  let best = rows[0]!;
  for (const r of rows) if (r.gflops / r.threads > best.gflops / best.threads) best = r;
  return { rows, isa: best.isa, perCore: best.gflops / best.threads };
}

/** The wasm peak per build, GFLOP/s on one thread; a build that failed to measure is absent. */
export type WasmPeak = Partial<Record<'relaxed-simd' | 'simd128', number>>;

/**
 * The same loop compiled to wasm, one thread, per build (simd128: a multiply and an add;
 * relaxed-simd: relaxed_madd): what a wasm row can reach on this machine.
 */
export async function measureWasmPeak(): Promise<{ line: string; peak: WasmPeak }> {
  const url = new URL('../node/wasm/load.js', import.meta.url);
  if (!existsSync(fileURLToPath(url)))
    return { line: 'wasm peak: node/wasm/load.js not built', peak: {} };
  const mod = (await import(url.href)) as typeof import('../node/wasm/load.js');
  const parts: string[] = [];
  const peak: WasmPeak = {};
  for (const isa of ['relaxed-simd', 'simd128'] as const) {
    try {
      peak[isa] = peakOf(mod.wasmPeakLoop(isa));
      parts.push(`${isa} ${peak[isa].toFixed(1)}`);
    } catch (e) {
      parts.push(`${isa} unknown (${(e as Error).message})`);
    }
  }
  return {
    line:
      `wasm FP32 peak, GFLOP/s, one thread (the same loop compiled to wasm): ${parts.join('; ')}. ` +
      `"% wasm peak" = a wasm row's GFLOP/s over its build's peak (tfjs-wasm: simd128, the instructions its binary has).`,
    peak,
  };
}

/** The wasm build whose peak bounds a row, or undefined for rows that are not wasm. */
export function wasmBuildOf(backend: string): keyof WasmPeak | undefined {
  if (backend === 'wasm') return 'relaxed-simd';
  if (backend === 'wasm-simd128' || backend === 'tfjs-wasm') return 'simd128';
  return undefined;
}

/** Best GFLOP/s of `loop` (one call runs `iters` iterations and returns the FLOPs done). */
function peakOf(loop: (iters: number) => number): number {
  // Calibrate: grow the loop until one call takes a few ms, then size calls to ~TRIAL_MS.
  let iters = 1000;
  let ms = 0;
  for (;;) {
    const t0 = performance.now();
    loop(iters);
    ms = performance.now() - t0;
    if (ms > 2 || iters >= 1e8) break;
    iters *= 4;
  }
  iters = Math.min(1e9, Math.max(1, Math.round((iters * TRIAL_MS) / Math.max(ms, 1e-3))));
  let best = 0;
  for (let t = 0; t < TRIALS; t++) {
    const t0 = performance.now();
    const flops = loop(iters);
    const s = (performance.now() - t0) / 1e3;
    best = Math.max(best, flops / s / 1e9);
  }
  return best;
}

async function loadAddon(): Promise<PeakAddon | string> {
  const url = new URL('../node/native/load.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) return 'node/native/load.js not built';
  const mod = (await import(url.href)) as { loadNativeAddon?: () => unknown };
  const addon = mod.loadNativeAddon?.();
  return addon ? (addon as PeakAddon) : 'native addon not loaded';
}

export function peakLines(p: MachinePeak | string): string[] {
  if (typeof p === 'string') return [`measured peak: unknown (${p}); no fraction-of-peak column`];
  const byIsa = new Map<string, PeakRow[]>();
  for (const r of p.rows) byIsa.set(r.isa, [...(byIsa.get(r.isa) ?? []), r]);
  const parts = [...byIsa].map(
    ([isa, rs]) => `${isa} ${rs.map((r) => `${r.gflops.toFixed(1)} (${r.threads}t)`).join(' / ')}`,
  );
  return [
    `measured FP32 peak, GFLOP/s (register-resident FMA loop, best of ${TRIALS} ~${TRIAL_MS} ms trials; ` +
      `without FMA a multiply and an add): ${parts.join('; ')}.`,
    `"% peak" = a row's useful GFLOP/s (FLOP counts in bench/README.md) over threads x ${p.perCore.toFixed(1)} ` +
      `GFLOP/s, the best per-core peak (${p.isa}).`,
  ];
}

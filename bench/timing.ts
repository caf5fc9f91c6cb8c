/**
 * The measurement harness: warm-up, then several timed trials of back-to-back calls.
 *
 * Each trial runs `callsPerTrial` calls (chosen so a trial lasts about `trialMs`) and yields a
 * time per call; the headline statistic is the median over trials (robust to a GC pause or a
 * noisy neighbour), with min and max kept for the spread. Calls slower than the budget allows get
 * fewer trials (never fewer than 2). bench/torch_gemm.py implements the same procedure.
 */
import type { Step } from './workload.js';

export interface TimingOptions {
  /** Warm-up runs at least this long and at least 2 calls (1 if a single call exceeds it). */
  warmupMs: number;
  /** Target duration of one trial. */
  trialMs: number;
  /** Number of trials when the budget allows. */
  trials: number;
  /** Cap on the total timed duration; slow calls get fewer trials, but at least 2. */
  budgetMs: number;
}

export const FULL_TIMING: TimingOptions = {
  warmupMs: 300,
  trialMs: 250,
  trials: 7,
  budgetMs: 4000,
};
export const QUICK_TIMING: TimingOptions = {
  warmupMs: 100,
  trialMs: 100,
  trials: 5,
  budgetMs: 1500,
};

export interface Timing {
  /** Median over trials of the time per call. */
  msPerCall: number;
  msMin: number;
  msMax: number;
  trials: number;
  callsPerTrial: number;
  /** Process CPU time over wall time during the trials: about the number of busy cores. */
  cpuPerWall: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function measure(step: Step, opts: TimingOptions): Promise<Timing> {
  const call = (): void | Promise<void> => step();

  // Warm-up; also yields the per-call estimate that sizes the trials.
  const w0 = performance.now();
  let r = call();
  if (r) await r;
  const first = performance.now() - w0;
  let calls = 1;
  let elapsed = first;
  while (first < opts.warmupMs && (calls < 2 || elapsed < opts.warmupMs)) {
    r = call();
    if (r) await r;
    calls++;
    elapsed = performance.now() - w0;
  }
  // The first call often pays one-off costs (allocation, kernel selection): exclude it when possible.
  const estimate = Math.max(calls > 1 ? (elapsed - first) / (calls - 1) : first, 1e-3);

  const callsPerTrial = Math.max(1, Math.round(opts.trialMs / estimate));
  const trials = Math.max(
    2,
    Math.min(opts.trials, Math.floor(opts.budgetMs / (estimate * callsPerTrial))),
  );

  const perCall: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let t = 0; t < trials; t++) {
    const s = performance.now();
    for (let i = 0; i < callsPerTrial; i++) {
      r = call();
      if (r) await r;
    }
    perCall.push((performance.now() - s) / callsPerTrial);
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);

  return {
    msPerCall: median(perCall),
    msMin: Math.min(...perCall),
    msMax: Math.max(...perCall),
    trials,
    callsPerTrial,
    cpuPerWall: (cpu.user + cpu.system) / 1000 / wallMs,
  };
}

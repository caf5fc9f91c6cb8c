/**
 * The measurement harness: warm-up, then several timed trials of back-to-back calls.
 *
 * Each trial runs `callsPerTrial` calls (chosen so a trial lasts about `trialMs`) and yields a
 * time per call; the headline statistic is the median over trials (robust to a GC pause or a
 * noisy neighbour), with min and max kept for the spread. Calls slower than the budget allows get
 * fewer trials (never fewer than 2). bench/torch_gemm.py implements the same procedure.
 *
 * Training epochs are timed by measureEpochs: a few warm-up steps, then whole epochs for engines
 * fast enough, else a fixed number of steps projected to an epoch. bench/torch_train.py mirrors it.
 */
import type { EpochRunner, Step } from './workload.js';

export interface TimingOptions {
  /** Warm-up runs at least this long and at least 2 calls (1 if a single call exceeds it). */
  warmupMs: number;
  /** Target duration of one trial. */
  trialMs: number;
  /** Number of trials when the budget allows. */
  trials: number;
  /** Cap on the total timed duration; slow calls get fewer trials, but at least 2. */
  budgetMs: number;
  /** Epochs: warm-up steps (at least 2, and until `warmupMs` has passed or this many ran). */
  epochWarmupSteps: number;
  /** Epochs: an engine whose estimated epoch is at most this long runs whole epochs... */
  fullEpochMaxMs: number;
  /** ...as many as fit in this budget, between 1 and `maxEpochs`, reporting the median. */
  epochBudgetMs: number;
  maxEpochs: number;
  /**
   * Slower engines: time this many steps (fewer if over `projectBudgetMs`, but at least
   * `projectMinSteps`) and project them to an epoch.
   */
  projectSteps: number;
  projectMinSteps: number;
  projectBudgetMs: number;
  /** Epochs: a first step slower than this is all that runs; the epoch is projected from it. */
  maxStepMs: number;
}

export const FULL_TIMING: TimingOptions = {
  warmupMs: 300,
  trialMs: 250,
  trials: 7,
  budgetMs: 4000,
  epochWarmupSteps: 5,
  fullEpochMaxMs: 25_000,
  epochBudgetMs: 8000,
  maxEpochs: 3,
  projectSteps: 40,
  projectMinSteps: 8,
  projectBudgetMs: 12_000,
  maxStepMs: 5000,
};
export const QUICK_TIMING: TimingOptions = {
  warmupMs: 100,
  trialMs: 100,
  trials: 5,
  budgetMs: 1500,
  epochWarmupSteps: 3,
  fullEpochMaxMs: 3000,
  epochBudgetMs: 3000,
  maxEpochs: 2,
  projectSteps: 16,
  projectMinSteps: 8,
  projectBudgetMs: 4000,
  maxStepMs: 2000,
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

/** The time of one training epoch, measured whole or projected from a run of steps. */
export interface EpochTiming {
  /** Median over trials of the time per epoch (measured, or per-step time x steps per epoch). */
  msPerCall: number;
  msMin: number;
  msMax: number;
  /** Whole epochs: the number of epochs timed. Projected: runs of `stepsPerTrial` steps. */
  trials: number;
  /** 1 for whole epochs (a call is an epoch); absent when projected. */
  callsPerTrial?: number;
  /** Set when projected: steps timed in all and per trial. */
  projectedFromSteps?: number;
  stepsPerTrial?: number;
  /** Projected from the first warm-up step alone (slower than maxStepMs): losses not judged. */
  firstStepOnly?: boolean;
  cpuPerWall: number;
  /** Mean batch loss over the last trial (the last epoch, or the last run of steps). */
  loss: number;
  /** Loss of the very first warm-up batch (ln 10 = 2.30 for an untrained 10-class net). */
  firstLoss: number;
}

/**
 * Warm-up, then either whole epochs (median of 1..maxEpochs) or, when an epoch would take longer
 * than `fullEpochMaxMs`, a run of steps split into trials; the median time per step, times
 * samples / batchSize (the last, smaller batch counted as the fraction it is), gives the epoch.
 * A first step slower than `maxStepMs` ends it there: the epoch is projected from that step.
 */
export async function measureEpochs(
  runner: EpochRunner,
  opts: TimingOptions,
): Promise<EpochTiming> {
  const stepsPerEpoch = runner.samples / runner.batchSize;

  // Warm-up: a fresh epoch stopped early; also estimates the time per step, excluding the first.
  let firstLoss = NaN;
  const warmCpu0 = process.cpuUsage();
  const stamps: number[] = [performance.now()];
  await runner.epoch((step, loss) => {
    stamps.push(performance.now());
    if (step === 0) firstLoss = loss;
    const n = step + 1;
    // At least 2 steps, unless the first is too slow to repeat.
    if (n === 1) return stamps[1]! - stamps[0]! <= opts.maxStepMs;
    return n < opts.epochWarmupSteps && stamps[n]! - stamps[0]! < opts.warmupMs;
  });
  const warm = stamps.length - 1;
  if (warm === 1 && stamps[1]! - stamps[0]! > opts.maxStepMs) {
    const cpu = process.cpuUsage(warmCpu0);
    const ms = (stamps[1]! - stamps[0]!) * stepsPerEpoch;
    return {
      msPerCall: ms,
      msMin: ms,
      msMax: ms,
      trials: 1,
      projectedFromSteps: 1,
      stepsPerTrial: 1,
      firstStepOnly: true,
      cpuPerWall: (cpu.user + cpu.system) / 1000 / (performance.now() - stamps[0]!),
      loss: firstLoss,
      firstLoss,
    };
  }
  const perStep = warm > 1 ? (stamps[warm]! - stamps[1]!) / (warm - 1) : stamps[1]! - stamps[0]!;
  const epochEstimate = perStep * stepsPerEpoch;

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const perTrial: number[] = [];
  let lossSum = 0;
  let lossCount = 0;
  let result: Omit<
    EpochTiming,
    'cpuPerWall' | 'loss' | 'firstLoss' | 'msPerCall' | 'msMin' | 'msMax'
  >;

  if (epochEstimate <= opts.fullEpochMaxMs) {
    const epochs = Math.max(
      1,
      Math.min(opts.maxEpochs, Math.floor(opts.epochBudgetMs / epochEstimate)),
    );
    for (let e = 0; e < epochs; e++) {
      lossSum = 0;
      lossCount = 0;
      const s = performance.now();
      await runner.epoch((_, loss) => {
        lossSum += loss;
        lossCount++;
        return true;
      });
      perTrial.push(performance.now() - s);
    }
    result = { trials: epochs, callsPerTrial: 1 };
  } else {
    const wanted = Math.round(opts.projectBudgetMs / perStep);
    const steps = Math.max(opts.projectMinSteps, Math.min(opts.projectSteps, wanted));
    const trials = steps >= 16 ? 4 : 2;
    const stepsPerTrial = Math.floor(steps / trials);
    let s = performance.now();
    await runner.epoch((step, loss) => {
      const n = step + 1;
      if (n > (trials - 1) * stepsPerTrial) {
        lossSum += loss;
        lossCount++;
      }
      if (n % stepsPerTrial === 0) {
        const now = performance.now();
        perTrial.push(((now - s) / stepsPerTrial) * stepsPerEpoch);
        s = now;
      }
      return n < trials * stepsPerTrial;
    });
    result = { trials, projectedFromSteps: trials * stepsPerTrial, stepsPerTrial };
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);

  return {
    msPerCall: median(perTrial),
    msMin: Math.min(...perTrial),
    msMax: Math.max(...perTrial),
    ...result,
    cpuPerWall: (cpu.user + cpu.system) / 1000 / wallMs,
    loss: lossSum / Math.max(1, lossCount),
    firstLoss,
  };
}

/** Result records, the ratios between them, the printed table and the machine header. */
import os from 'node:os';
import { cpuInfo } from './cpu.js';
import { isOurs } from './engines.js';
import type { EpochTiming, Timing } from './timing.js';

/** One line of --json output: one measurement (or a skipped one, value null). */
export interface BenchRecord {
  workload: string;
  /** 'native' | 'js' | 'tfjs-wasm' | 'tfjs-cpu' | 'torch' | 'onnxruntime'; with `threads` it names the row. */
  backend: string;
  threads: number;
  /** Instruction set of the native rows. */
  isa?: string;
  value: number | null;
  unit: string;
  /** Median over trials; see timing.ts. */
  statistic?: 'median';
  msPerCall?: number;
  msMin?: number;
  msMax?: number;
  /** Trials: runs of `callsPerTrial` calls, whole epochs, or runs of `stepsPerTrial` steps. */
  trials?: number;
  /** Absent for projected epochs. */
  callsPerTrial?: number;
  /** Epoch workloads timed on a run of steps: steps timed in all and per trial. */
  projectedFromSteps?: number;
  stepsPerTrial?: number;
  /** Projected from the first (warm-up) step alone, which took longer than maxStepMs. */
  firstStepOnly?: boolean;
  cpuPerWall?: number;
  /** Epoch workloads: mean batch loss over the last trial, and the first warm-up batch's. */
  loss?: number;
  firstLoss?: number;
  /** `once` workloads (the speedrun): the test accuracy the run reached. */
  accuracy?: number;
  /** Useful GFLOP/s: the workload's FLOP count (bench/README.md) over the time per call. */
  gflops?: number;
  /** gflops over the machine's measured peak at this row's thread count (see bench/peak.ts). */
  fractionOfPeak?: number;
  /** Wasm rows (ours and TF.js's): gflops over the one-thread peak of the wasm build it runs. */
  fractionOfWasmPeak?: number;
  /** Time of the fastest PyTorch row (any thread count) over this row's time: > 1 is faster. */
  vsBestTorch?: number;
  /** Time of TF.js wasm over this row's time: > 1 means faster than TF.js wasm. */
  vsTfjsWasm?: number;
  /** Time of our fastest engine over this row's time. */
  vsBestOurs?: number;
  skipped?: string;
  /** The result failed its spot check: the value is not to be trusted. */
  checkFailed?: string;
  note?: string;
}

export interface Row {
  label: string;
  record: BenchRecord;
}

export function measuredRecord(
  base: Pick<BenchRecord, 'workload' | 'backend' | 'threads' | 'isa' | 'unit'>,
  value: number,
  t: Timing | EpochTiming,
): BenchRecord {
  const epoch = isEpochTiming(t);
  return {
    ...base,
    value,
    statistic: 'median',
    msPerCall: t.msPerCall,
    msMin: t.msMin,
    msMax: t.msMax,
    trials: t.trials,
    ...(t.callsPerTrial === undefined ? {} : { callsPerTrial: t.callsPerTrial }),
    ...(epoch && t.projectedFromSteps !== undefined
      ? { projectedFromSteps: t.projectedFromSteps, stepsPerTrial: t.stepsPerTrial ?? 0 }
      : {}),
    ...(epoch && t.firstStepOnly ? { firstStepOnly: true } : {}),
    cpuPerWall: t.cpuPerWall,
    ...(epoch ? { loss: t.loss, firstLoss: t.firstLoss } : {}),
    ...(epoch && t.projectedFromSteps !== undefined
      ? {
          note: t.firstStepOnly
            ? 'projected from its first step alone (one-off costs included; loss not checked)'
            : `projected from ${t.projectedFromSteps} steps`,
        }
      : {}),
  };
}

export function isEpochTiming(t: Timing | EpochTiming): t is EpochTiming {
  return 'loss' in t;
}

/** Appends to a record's note. */
export function addNote(r: BenchRecord, note: string): void {
  r.note = r.note === undefined ? note : `${r.note}; ${note}`;
}

/** Fills gflops from each workload's FLOP count, and fractionOfPeak when a peak is known. */
export function addPeakFractions(
  rows: readonly Row[],
  flopsOf: (workload: string) => number | undefined,
  peakAt: ((threads: number) => number) | undefined,
  wasmPeakOf: (backend: string) => number | undefined = () => undefined,
): void {
  for (const { record: r } of rows) {
    const flops = flopsOf(r.workload);
    if (r.msPerCall === undefined || flops === undefined) continue;
    r.gflops = flops / (r.msPerCall * 1e6);
    if (peakAt) r.fractionOfPeak = r.gflops / peakAt(r.threads);
    const wasmPeak = wasmPeakOf(r.backend);
    if (wasmPeak !== undefined && r.threads === 1) r.fractionOfWasmPeak = r.gflops / wasmPeak;
  }
}

/**
 * Per GEMM-sized workload with a TF.js wasm row: how fast any one-thread wasm kernel could be
 * beside it, were it to run at the wasm peak (the bound of a "vs tfjs-wasm" ratio here).
 */
export function wasmCeilingLines(rows: readonly Row[]): string[] {
  const lines: string[] = [];
  for (const { record: r } of rows) {
    if (r.backend !== 'tfjs-wasm' || r.fractionOfWasmPeak === undefined) continue;
    if (r.checkFailed !== undefined) continue;
    lines.push(
      `${r.workload}: tfjs-wasm ran at ${(100 * r.fractionOfWasmPeak).toFixed(1)}% of the wasm peak, so a ` +
        `one-thread wasm row at 100% would be ${ratio(1 / r.fractionOfWasmPeak)} tfjs-wasm`,
    );
  }
  return lines;
}

/**
 * Fills vsBestTorch, vsTfjsWasm and vsBestOurs within each workload (rows with a failed check
 * don't count). The PyTorch reference is its fastest row, whichever thread count that is.
 */
export function addRatios(rows: readonly Row[]): void {
  const byWorkload = new Map<string, BenchRecord[]>();
  for (const { record } of rows) {
    byWorkload.set(record.workload, [...(byWorkload.get(record.workload) ?? []), record]);
  }
  for (const records of byWorkload.values()) {
    const valid = records.filter((r) => r.msPerCall !== undefined && r.checkFailed === undefined);
    const wasm = valid.find((r) => r.backend === 'tfjs-wasm')?.msPerCall;
    const ours = valid.filter((r) => isOurs(r.backend)).map((r) => r.msPerCall!);
    const bestOurs = ours.length ? Math.min(...ours) : undefined;
    const torch = valid.filter((r) => r.backend === 'torch').map((r) => r.msPerCall!);
    const bestTorch = torch.length ? Math.min(...torch) : undefined;
    for (const r of records) {
      if (r.msPerCall === undefined) continue;
      if (bestTorch !== undefined) r.vsBestTorch = bestTorch / r.msPerCall;
      if (wasm !== undefined) r.vsTfjsWasm = wasm / r.msPerCall;
      if (bestOurs !== undefined) r.vsBestOurs = bestOurs / r.msPerCall;
    }
  }
}

/** Per workload, which PyTorch row the "vs best torch" column divides by. */
export function torchReferenceLines(rows: readonly Row[]): string[] {
  const best = new Map<string, Row>();
  for (const row of rows) {
    const r = row.record;
    if (r.backend !== 'torch' || r.msPerCall === undefined || r.checkFailed !== undefined) continue;
    const cur = best.get(r.workload);
    if (!cur || r.msPerCall < cur.record.msPerCall!) best.set(r.workload, row);
  }
  if (best.size === 0) return [];
  return [
    '"vs best torch" = time of the fastest PyTorch row of the workload / the row\'s time (> 1: faster than ' +
      'PyTorch at its best): ' +
      [...best]
        .map(([w, { label, record }]) => `${w} ${label} ${num(record.value!)} ${record.unit}`)
        .join(', '),
  ];
}

export function formatTable(rows: readonly Row[]): string {
  const units = new Set(rows.map((r) => r.record.unit));
  const valueHeader = units.size === 1 ? [...units][0]! : 'value';
  // A GFLOP/s table's value already is the useful GFLOP/s.
  const gflopsColumn = valueHeader !== 'GFLOP/s';
  const wasmColumn = rows.some((r) => r.record.fractionOfWasmPeak !== undefined);
  const header = [
    'workload',
    'backend',
    valueHeader,
    ...(gflopsColumn ? ['GFLOP/s'] : []),
    '% peak',
    ...(wasmColumn ? ['% wasm peak'] : []),
    'ms/call',
    'spread',
    'cpu',
    'vs best torch',
    'vs tfjs-wasm',
    'vs best ours',
    'note',
  ];
  const body = rows.map(({ label, record: r }) => {
    if (r.value === null)
      return [
        r.workload,
        label,
        ...header.slice(2, -1).map(() => '-'),
        `skipped: ${r.skipped ?? '?'}`,
      ];
    const unit = units.size === 1 ? '' : ` ${r.unit}`;
    const spread = r.msMax! - r.msMin!;
    return [
      r.workload,
      label,
      num(r.value) + unit,
      ...(gflopsColumn ? [r.gflops === undefined ? '-' : num(r.gflops)] : []),
      percent(r.fractionOfPeak),
      ...(wasmColumn ? [percent(r.fractionOfWasmPeak)] : []),
      num(r.msPerCall!),
      r.trials === 1 ? '-' : `±${((50 * spread) / r.msPerCall!).toFixed(1)}%`,
      r.cpuPerWall === undefined ? '-' : r.cpuPerWall.toFixed(2),
      r.vsBestTorch === undefined ? '-' : ratio(r.vsBestTorch),
      r.vsTfjsWasm === undefined ? '-' : ratio(r.vsTfjsWasm),
      r.vsBestOurs === undefined ? '-' : ratio(r.vsBestOurs),
      [r.checkFailed && `WRONG RESULT: ${r.checkFailed}`, r.note].filter(Boolean).join('; '),
    ];
  });
  const right = new Set(header.map((_, i) => i).filter((i) => i >= 2 && i < header.length - 1));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

function percent(x: number | undefined): string {
  return x === undefined ? '-' : `${(100 * x).toFixed(1)}%`;
}

/** Small ratios keep two significant digits: 0.0049x, not 0.00x. */
function ratio(x: number): string {
  return `${x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2)}x`;
}

/** Three significant digits, without exponent notation (1234 stays 1234). */
export function num(x: number): string {
  const s = x.toPrecision(3);
  return s.includes('e') ? x.toFixed(0) : s;
}

export function machineLines(): string[] {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const lines = [
    `machine: ${model}, ${os.availableParallelism()} logical cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
      `${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}`,
  ];
  // Taken before any timing, so it is other processes' load (plus a recent run of ours).
  const load = os.loadavg()[0]!;
  lines.push(
    `load average (1 min) at start: ${load.toFixed(2)}` +
      (load > 0.5
        ? ' -- other processes are busy: expect noisy rows, multi-threaded ones especially'
        : ''),
  );
  const cpu = cpuInfo();
  if (cpu) {
    const flags = cpu.flags;
    const isa = ['avx512f', 'avx512_bf16', 'avx2', 'fma', 'sse4_2', 'asimd', 'sve'].filter((f) =>
      flags.has(f),
    );
    lines.push(
      `cpu: ${cpu.vendor || 'unknown vendor'} family ${cpu.family ?? '?'} model ${cpu.model ?? '?'}; ` +
        `features: ${isa.join(' ') || 'none of avx512f/avx2/fma/sse4_2/asimd/sve'}`,
    );
  }
  return lines;
}

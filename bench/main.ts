/**
 * `npm run bench [-- options]`: times each workload on our backends, TF.js and PyTorch, prints a
 * table and optionally writes the records as JSON. A benchmark, never a test: numbers depend on
 * the machine and its load. See bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import {
  activate,
  BACKEND_NAMES,
  loadEngines,
  threadLabel,
  type BackendName,
  type Engine,
} from './engines.js';
import { measurePeak, measureWasmPeak, peakAt, peakLines, wasmBuildOf } from './peak.js';
import {
  addNote,
  wasmCeilingLines,
  addPeakFractions,
  addRatios,
  formatTable,
  isEpochTiming,
  machineLines,
  measuredRecord,
  torchReferenceLines,
  type BenchRecord,
  type Row,
} from './report.js';
import {
  FULL_TIMING,
  measure,
  measureEpochs,
  QUICK_TIMING,
  type EpochTiming,
  type Timing,
  type TimingOptions,
} from './timing.js';
import { runTorch } from './torch.js';
import { SkipError, type Prepared, type Workload } from './workload.js';
import { epochWorkloads } from './workloads/epoch.js';
import { gemmWorkloads } from './workloads/gemm.js';
import { predictWorkloads } from './workloads/predict.js';
import { speedrunWorkloads } from './workloads/speedrun.js';

/** Every workload, in table order. A new workload file adds itself here. */
const WORKLOADS: readonly Workload[] = [
  ...gemmWorkloads(),
  ...epochWorkloads(),
  ...predictWorkloads(),
  ...speedrunWorkloads(),
];

const USAGE = `Usage: npm run bench -- [options]

  --json FILE        also write the records as a JSON array to FILE
  --only PATTERN     run the workloads whose id matches PATTERN (a case-insensitive regex)
  --threads N        threads for native (and PyTorch's and ONNX Runtime's second rows); default: all ${os.availableParallelism()} cores
  --backends LIST    comma-separated subset of ${BACKEND_NAMES.join(',')} (default: all)
  --quick            shorter warm-up and fewer, shorter trials
  -h, --help         this text

Workloads: ${WORKLOADS.map((w) => w.id).join(', ')}`;

interface Options {
  json: string | undefined;
  workloads: Workload[];
  threads: number;
  backends: Set<BackendName>;
  timing: TimingOptions;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'string' },
      only: { type: 'string' },
      threads: { type: 'string' },
      backends: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }

  let workloads = [...WORKLOADS];
  if (values.only !== undefined) {
    const pattern = values.only;
    let re: RegExp;
    try {
      re = new RegExp(pattern, 'i');
    } catch {
      re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    }
    workloads = workloads.filter((w) => re.test(w.id));
    if (workloads.length === 0)
      fail(
        `--only ${pattern} matches no workload (have: ${WORKLOADS.map((w) => w.id).join(', ')})`,
      );
  }

  const threads = values.threads === undefined ? os.availableParallelism() : Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1)
    fail(`--threads wants a positive integer, got ${values.threads}`);

  const backends = new Set<BackendName>();
  for (const name of values.backends?.split(',') ?? BACKEND_NAMES) {
    if (!(BACKEND_NAMES as readonly string[]).includes(name))
      fail(`unknown backend '${name}' (have: ${BACKEND_NAMES.join(', ')})`);
    backends.add(name as BackendName);
  }

  return {
    json: values.json,
    workloads,
    threads,
    backends,
    timing: values.quick ? QUICK_TIMING : FULL_TIMING,
  };
}

function fail(message: string): never {
  console.error(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
}

/** Whether an engine has a version of a workload; a pair without one gets no row at all. */
function implemented(w: Workload, e: Engine): boolean {
  switch (e.kind) {
    case 'skipped':
      return true;
    case 'ours':
      return w.ours !== undefined;
    case 'tfjs':
      return w.tfjs !== undefined;
    case 'onnxruntime':
      return w.onnxruntime !== undefined;
  }
}

async function runOne(w: Workload, e: Engine, timing: TimingOptions): Promise<BenchRecord> {
  const base = {
    workload: w.id,
    backend: e.backend,
    threads: e.threads,
    ...(e.kind === 'ours' && e.isa !== undefined ? { isa: e.isa } : {}),
    unit: w.unit,
  };
  if (e.kind === 'skipped') return { ...base, value: null, skipped: e.reason };
  let prepared: Prepared | undefined;
  try {
    await activate(e);
    prepared =
      e.kind === 'ours'
        ? await w.ours!(e.impl)
        : e.kind === 'tfjs'
          ? await w.tfjs!(e.tf)
          : await w.onnxruntime!(e.ort, e.threads);
    if ('run' in prepared) return await runOnce(w, base, prepared.run);
    const t: Timing | EpochTiming =
      'runner' in prepared
        ? await measureEpochs(prepared.runner, timing)
        : await measure(prepared.step, timing);
    const record = measuredRecord(base, w.value(t.msPerCall), t);
    const problem =
      (await prepared.check?.()) ?? (w.epochs && isEpochTiming(t) ? w.epochs.check(t) : undefined);
    if (problem !== undefined) record.checkFailed = problem;
    if (e.kind === 'ours' && e.impl.getNumThreads() !== e.threads) {
      addNote(record, `asked for ${e.threads} threads, backend reports ${e.impl.getNumThreads()}`);
    }
    return record;
  } catch (err) {
    const message = (err as Error).message.split('\n')[0];
    return {
      ...base,
      value: null,
      skipped: err instanceof SkipError ? message : `failed: ${message}`,
    };
  } finally {
    prepared?.dispose?.();
  }
}

/** A `once` workload's single run as a record: its time, and its accuracy checked. */
async function runOnce(
  w: Workload,
  base: Pick<BenchRecord, 'workload' | 'backend' | 'threads' | 'isa' | 'unit'>,
  run: () => Promise<{ ms: number; accuracy: number }>,
): Promise<BenchRecord> {
  const r = await run();
  return onceRecord(w, base, r, undefined);
}

function onceRecord(
  w: Workload,
  base: Pick<BenchRecord, 'workload' | 'backend' | 'threads' | 'isa' | 'unit'>,
  r: { ms: number; accuracy: number },
  cpuPerWall: number | undefined,
): BenchRecord {
  const record: BenchRecord = {
    ...base,
    value: w.value(r.ms),
    msPerCall: r.ms,
    msMin: r.ms,
    msMax: r.ms,
    trials: 1,
    callsPerTrial: 1,
    ...(cpuPerWall !== undefined ? { cpuPerWall } : {}),
    accuracy: r.accuracy,
    note: `one run; test accuracy ${(100 * r.accuracy).toFixed(2)}%`,
  };
  const problem = w.once?.check(r.accuracy);
  if (problem !== undefined) record.checkFailed = problem;
  return record;
}

/** The header's paragraph on epoch workloads, when any is selected. */
function epochMethod(workloads: readonly Workload[], t: TimingOptions): string[] {
  const rules = [...new Set(workloads.flatMap((w) => (w.epochs ? [w.epochs.rule] : [])))];
  if (rules.length === 0) return [];
  return [
    `epochs (s/epoch, lower is better; a call is one epoch): >= 2 warm-up steps (up to ${t.epochWarmupSteps}, ` +
      `~${t.warmupMs} ms), then whole epochs if one is estimated at <= ${t.fullEpochMaxMs / 1000} s ` +
      `(median of 1-${t.maxEpochs}, as many as fit in ~${t.epochBudgetMs / 1000} s), else ${t.projectMinSteps}-${t.projectSteps} ` +
      `steps (~${t.projectBudgetMs / 1000} s) in 2-4 trials, median time per step x samples / batch ("projected from N steps"); ` +
      `a first step over ${t.maxStepMs / 1000} s is all that runs. Check: ${rules.join('; ')}.`,
  ];
}

function progress(i: number, total: number, label: string, r: BenchRecord): void {
  const how =
    r.accuracy !== undefined
      ? `one run, test accuracy ${(100 * r.accuracy).toFixed(2)}%`
      : r.firstStepOnly
        ? 'projected from its first step alone'
        : r.projectedFromSteps !== undefined
          ? `projected from ${r.projectedFromSteps} steps: ${r.trials} trials x ${r.stepsPerTrial} steps`
          : r.loss !== undefined
            ? `median of ${r.trials} epoch${r.trials === 1 ? '' : 's'}`
            : `${r.trials} trials x ${r.callsPerTrial} calls`;
  const loss = r.loss === undefined ? '' : `, loss ${r.loss.toFixed(3)}`;
  const what =
    r.value === null
      ? `skipped (${r.skipped})`
      : `${r.value.toPrecision(4)} ${r.unit}, ${r.msPerCall!.toPrecision(4)} ms/call ` +
        `(${how}${loss})${r.checkFailed ? `  WRONG RESULT: ${r.checkFailed}` : ''}`;
  console.error(`[${i}/${total}] ${r.workload} on ${label}: ${what}`);
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const { engines, info } = await loadEngines(opts.threads, opts.backends);
  const torchThreads = opts.threads > 1 ? [1, opts.threads] : [1];
  // First, on a machine nothing of ours is loading yet.
  console.error('measuring the FMA peak...');
  const peak = await measurePeak(torchThreads);
  const wasmPeak = ['wasm', 'wasm-simd128', 'tfjs-wasm'].some((b) =>
    opts.backends.has(b as BackendName),
  )
    ? await measureWasmPeak()
    : undefined;

  const t = opts.timing;
  console.log(
    [
      ...machineLines(),
      ...peakLines(peak),
      ...(wasmPeak ? [wasmPeak.line] : []),
      ...info,
      `method: per row, warm-up >= ${t.warmupMs} ms (and >= 2 calls), then up to ${t.trials} trials of back-to-back ` +
        `calls lasting ~${t.trialMs} ms each (>= 2 trials, fewer when a call is slow; timed budget ~${t.budgetMs} ms); ` +
        `reported: median time per call over trials. GFLOP/s = 2mnk / time. spread = (max - min) / 2 over trials, ` +
        `cpu = process CPU time / wall time (busy cores). Ratios are time(reference) / time(row): > 1 is faster.`,
      ...epochMethod(opts.workloads, t),
    ].join('\n'),
  );
  console.log('');

  const rowsByWorkload = new Map<string, Row[]>(opts.workloads.map((w) => [w.id, []]));
  const pairs = opts.workloads.flatMap((w) =>
    engines.filter((e) => implemented(w, e)).map((e) => ({ w, e })),
  );
  let i = 0;
  for (const { w, e } of pairs) {
    const record = await runOne(w, e, opts.timing);
    progress(++i, pairs.length, e.label, record);
    rowsByWorkload.get(w.id)!.push({ label: e.label, record });
  }

  const torchInfo: string[] = [];
  if (opts.backends.has('torch')) {
    console.error(`running PyTorch (${torchThreads.join(' and ')} threads)...`);
    const torch = await runTorch(opts.workloads, torchThreads, opts.timing);
    torchInfo.push(...torch.info);
    for (const w of opts.workloads.filter((x) => x.torch !== undefined)) {
      for (const th of torchThreads) {
        const label = threadLabel('torch', th);
        const base = { workload: w.id, backend: 'torch', threads: th, unit: w.unit };
        const res = torch.results.find((r) => r.id === w.id && r.threads === th);
        const reason = torch.skipped.get(w.id) ?? 'no result from the script';
        const record: BenchRecord = !res
          ? { ...base, value: null, skipped: reason }
          : w.once && res.accuracy !== undefined
            ? onceRecord(w, base, { ms: res.msPerCall, accuracy: res.accuracy }, res.cpuPerWall)
            : measuredRecord(base, w.value(res.msPerCall), res);
        const problem = !res
          ? undefined
          : w.epochs && isEpochTiming(res)
            ? w.epochs.check(res)
            : await w.torch!.check?.(res);
        if (problem !== undefined) record.checkFailed = problem;
        rowsByWorkload.get(w.id)!.push({ label, record });
      }
    }
  }

  const rows = [...rowsByWorkload.values()].flat();
  addRatios(rows);
  const flops = new Map(opts.workloads.map((w) => [w.id, w.flops]));
  addPeakFractions(
    rows,
    (id) => flops.get(id),
    typeof peak === 'string' ? undefined : (th) => peakAt(peak, th),
    (backend) => {
      const build = wasmBuildOf(backend);
      return build && wasmPeak?.peak[build];
    },
  );

  console.log('');
  const reference = [...torchReferenceLines(rows), ...wasmCeilingLines(rows)];
  if (torchInfo.length || reference.length) console.log([...torchInfo, ...reference].join('\n'));
  // One table per unit, so each has its unit as the column header (GFLOP/s up, s/epoch down).
  const units = [...new Set(rows.map((r) => r.record.unit))];
  console.log(units.map((u) => formatTable(rows.filter((r) => r.record.unit === u))).join('\n\n'));
  console.log('');
  for (const w of opts.workloads)
    console.log(`${w.id}: ${w.title}${w.lowerIsBetter ? ` (${w.unit}, lower is better)` : ''}`);

  if (opts.json !== undefined) {
    writeFileSync(
      opts.json,
      JSON.stringify(
        rows.map((r) => r.record),
        null,
        2,
      ) + '\n',
    );
    console.log(`\nwrote ${rows.length} records to ${opts.json}`);
  }
  if (rows.some((r) => r.record.checkFailed !== undefined)) {
    console.error('bench: some results failed their spot check (WRONG RESULT rows)');
    process.exitCode = 1;
  }
}

await main();

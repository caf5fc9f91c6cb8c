import { fork, type ChildProcess } from 'node:child_process';
import { lstat, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainSpec } from '../../src/experiments/model-spec.js';
import { runRecord, type RunRecord } from '../../src/experiments/run-record.js';
import { settingLabel, type GridAxis, type PlannedRun } from '../../src/experiments/sweep-plan.js';
import {
  metricTitle,
  overlaySpec,
  runCurvesSpec,
  type RunCurves,
} from '../../src/reports/chart-specs.js';
import {
  resultsCsv,
  sweepReportMarkdown,
  type Figure,
  type NotebookFigures,
} from '../../src/reports/sweep-report.js';
import { writeFileAtomic, writeJson } from '../fs/write-atomic.js';
import { acquireLock } from '../fs/lock.js';
import { hasCheckpoint } from './checkpoint.js';
import { readStatus } from './run-status.js';
import { writeChart } from '../reports/charts.js';
import { renderModelDiagram } from '../reports/model-diagram.js';
import { buildModelForDataset } from '../../src/experiments/build-model.js';
import { withoutWeights } from '../../src/layers/layer.js';
import { loadDataset } from '../data/load-dataset.js';
import type { RunTask, ThreadsMessage, WorkerMessage } from './sweep-messages.js';

export interface SweepOptions {
  /** Preset name or 'grid': the report's title. */
  name: string;
  outDir: string;
  axes: readonly GridAxis[];
  runs: readonly PlannedRun[];
  /** The full train spec of each run, by run id (validated before anything trains). */
  specs: ReadonlyMap<string, TrainSpec>;
  /** Report lines under the title (what the sweep reproduces, the command). */
  intro?: readonly string[];
  /** Fixed settings for the report (flag -> value). */
  fixed?: Readonly<Record<string, string>>;
  /** The reproduced notebook's figure per setting, beside each report row. */
  notebook?: NotebookFigures;
  /** Worker processes training side by side (default 1). */
  jobs?: number;
  /**
   * Native threads per worker. Default: the cores shared among the runs in flight, rebalanced
   * when one finishes and leaves its cores idle.
   */
  threadsPerJob?: number;
  /**
   * Keep the finished runs of an interrupted sweep in outDir and train the rest: runs never
   * started, runs whose folder is gone, runs whose worker died or hit an error.
   */
  resume?: boolean;
  /** With resume: also retrain runs that diverged (a NaN loss). */
  retryFailed?: boolean;
  backend?: string;
  dataDir?: string;
  /** Check the data files' SHA-256 (default true). */
  verify?: boolean;
  /** Download a missing dataset (default true). */
  download?: boolean;
  trainSamples?: number;
  testSamples?: number;
  /** 0: a line per run; 1 (default): also a line per epoch. */
  verbose?: 0 | 1;
  /** Render the SVG/PNG figures (default true). */
  figures?: boolean;
  print?: (line: string) => void;
  /** Trains the runs elsewhere (a job queue) instead of in local worker processes. */
  runner?: SweepRunner;
}

/** What a sweep is told while its runs train, wherever they train. */
export interface RunHooks {
  /** A run began training (again, after its first worker was lost). */
  started(id: string): void;
  epoch(id: string, epoch: number, logs: Readonly<Record<string, number>>, seconds: number): void;
  /** A run ended (trained, or failed): its record joins results.json and the report. */
  finished(record: RunRecord): Promise<void>;
}

/** Where a sweep's runs train when not in local worker processes. */
export interface SweepRunner {
  /** Names it in the sweep's first line, e.g. 'the queue at redis://host:6379'. */
  describe: string;
  /** Trains each pending run into outDir/runs/<id> and calls the hooks; resolves when all ended. */
  run(pending: readonly PlannedRun[], hooks: RunHooks): Promise<void>;
}

export interface SweepResult {
  outDir: string;
  records: RunRecord[];
  /** Runs taken over from an earlier, interrupted sweep. */
  resumed: number;
}

/** The plan as saved in sweep.json; --resume only continues a sweep with the same plan. */
interface SavedPlan {
  version: 1;
  name: string;
  axes: readonly GridAxis[];
  runs: { id: string; spec: TrainSpec }[];
  trainSamples: number | null;
  testSamples: number | null;
}

const WORKER = fileURLToPath(new URL('./sweep-worker.js', import.meta.url));

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Largest sweep.json / results.json read back (a 10,000-run sweep is a few MB). */
const MAX_SWEEP_FILE = 64 << 20;

async function readJson(path: string): Promise<unknown> {
  const st = await lstat(path);
  if (!st.isFile())
    throw new Error(`${path} is not a regular file; it was not written by a sweep.`);
  if (st.size > MAX_SWEEP_FILE) {
    throw new Error(`${path} is ${st.size} bytes, too large to be a sweep's file.`);
  }
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(
      `${path} is not valid JSON (${(e as Error).message}); it was not written by this sweep.`,
    );
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** sweep.json as saved, checked before use: a clear error, never a crash on a bad file. */
function checkPlan(path: string, v: unknown): SavedPlan {
  const fail = (what: string): never => {
    throw new Error(
      `${path}: ${what}; it was not written by this version of sweep. Choose another --out.`,
    );
  };
  if (!isObject(v)) fail('not a JSON object');
  const o = v as Record<string, unknown>;
  if (o['version'] !== 1) fail(`'version' must be 1`);
  if (typeof o['name'] !== 'string') fail(`'name' must be a string`);
  if (!Array.isArray(o['axes'])) fail(`'axes' must be a list`);
  const runs = o['runs'];
  if (
    !Array.isArray(runs) ||
    !runs.every((r) => isObject(r) && typeof r['id'] === 'string' && isObject(r['spec']))
  ) {
    fail(`'runs' must be a list of { id, spec }`);
  }
  for (const k of ['trainSamples', 'testSamples']) {
    if (o[k] !== null && !Number.isSafeInteger(o[k])) fail(`'${k}' must be a number or null`);
  }
  return o as unknown as SavedPlan;
}

/** The run records of results.json, checked field by field. */
function checkResults(path: string, v: unknown): RunRecord[] {
  const runs = isObject(v) ? v['runs'] : undefined;
  if (
    !Array.isArray(runs) ||
    !runs.every(
      (r) =>
        isObject(r) &&
        typeof r['id'] === 'string' &&
        (r['status'] === 'ok' || r['status'] === 'failed') &&
        isObject(r['history']) &&
        isObject(r['setting']),
    )
  ) {
    throw new Error(
      `${path}: 'runs' must be a list of run records; it was not written by this version of sweep. Choose another --out.`,
    );
  }
  return runs as RunRecord[];
}

/** Whether a recorded run must be trained again on --resume, and why (null: keep it). */
async function retrainReason(
  r: RunRecord,
  runDir: string,
  retryFailed: boolean,
): Promise<string | null> {
  if (r.status === 'ok') {
    return (await exists(join(runDir, 'metrics.json'))) ? null : 'its folder is missing';
  }
  const failure = r.failure ?? (/^The loss became/.test(r.error ?? '') ? 'diverged' : 'error');
  if (failure === 'diverged') return retryFailed ? 'it diverged (--retry-failed)' : null;
  return failure === 'worker' ? 'its worker died' : `it failed (${r.error ?? 'unknown error'})`;
}

function samePlan(a: SavedPlan, b: SavedPlan): string | null {
  if (a.name !== b.name) return `it is the '${a.name}' sweep, not '${b.name}'`;
  if (a.trainSamples !== b.trainSamples || a.testSamples !== b.testSamples) {
    return 'it used other --train-samples / --test-samples';
  }
  if (a.runs.length !== b.runs.length)
    return `it plans ${a.runs.length} runs, not ${b.runs.length}`;
  for (let i = 0; i < a.runs.length; i++) {
    const x = a.runs[i]!;
    const y = b.runs[i]!;
    if (x.id !== y.id) return `its run ${i + 1} is ${x.id}, not ${y.id}`;
    if (JSON.stringify(x.spec) !== JSON.stringify(y.spec)) return `run ${x.id} has other settings`;
  }
  return null;
}

const pct = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(2)}%`);

function runLine(r: RunRecord, repeated: boolean): string {
  const label = settingLabel(r.setting, ' ');
  const name = `${label || r.id}${repeated ? ` seed ${r.seed}` : ''}`;
  if (r.status === 'failed') return `${name}: FAILED after ${r.epochsRun} epochs: ${r.error ?? ''}`;
  const best =
    r.bestValEpoch !== null
      ? `, best val acc ${pct(r.bestValAccuracy)} @ epoch ${r.bestValEpoch}`
      : '';
  const early = r.stoppedEarly ? ' (stopped early)' : '';
  return (
    `${name}: test acc ${pct(r.testAccuracy)}, loss ${r.testLoss?.toFixed(4) ?? '–'}${best}, ` +
    `${r.epochsRun} epochs${early}, ${r.trainSeconds.toFixed(1)} s`
  );
}

/**
 * Runs a planned sweep into outDir: runs/<id>/ for each run (as `train` writes it), results.json,
 * results.csv, report.md and figures/. Everything is rewritten after each run finishes, so an
 * interrupted sweep keeps its finished runs and `resume` trains only the rest.
 */
export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const print = options.print ?? ((l: string) => console.log(l));
  const outDir = resolve(options.outDir);
  const plan: SavedPlan = {
    version: 1,
    name: options.name,
    axes: options.axes,
    runs: options.runs.map((r) => ({ id: r.id, spec: options.specs.get(r.id)! })),
    trainSamples: options.trainSamples ?? null,
    testSamples: options.testSamples ?? null,
  };
  for (const r of options.runs) {
    if (!options.specs.has(r.id)) throw new Error(`no train settings for run ${r.id}`);
  }

  const planPath = join(outDir, 'sweep.json');
  const resultsPath = join(outDir, 'results.json');
  const previous: RunRecord[] = [];
  if (options.resume && !(await exists(outDir))) {
    throw new Error(`--resume: ${outDir} does not exist; there is nothing to resume.`);
  }
  // One sweep per folder: a second one would merge its plan and runs into this one's.
  const existed = await exists(outDir);
  await mkdir(outDir, { recursive: true });
  const lock = await acquireLock(
    join(outDir, 'sweep.lock'),
    (o) =>
      new Error(
        `${outDir} is in use by a running sweep (process ${o.pid} on ${o.hostname}, since ${o.startedAt}); wait for it, or stop it (kill -INT ${o.pid}).`,
      ),
  );
  if (lock.tookOver) {
    print(`Taking over ${outDir} from a sweep that is gone (process ${lock.tookOver.pid}).`);
  }
  try {
    return await sweepLocked(options, outDir, plan, planPath, resultsPath, previous, print);
  } catch (e) {
    // A sweep that failed before any result (bad data, say) leaves no folder behind.
    if (!existed && !(await exists(resultsPath))) {
      await lock.release();
      await rm(outDir, { recursive: true, force: true });
    }
    throw e;
  } finally {
    await lock.release();
  }
}

async function sweepLocked(
  options: SweepOptions,
  outDir: string,
  plan: SavedPlan,
  planPath: string,
  resultsPath: string,
  previous: RunRecord[],
  print: (line: string) => void,
): Promise<SweepResult> {
  const axisKeys = options.axes.map((a) => a.key);
  const repeated = options.runs.some((r) => r.repeat > 0);
  if (await exists(planPath)) {
    if (!options.resume) {
      throw new Error(
        `${outDir} already holds a sweep. Add --resume to finish it, or choose another --out.`,
      );
    }
    const why = samePlan(checkPlan(planPath, await readJson(planPath)), plan);
    if (why !== null) {
      throw new Error(
        `cannot resume ${outDir}: ${why}. Rerun it with its original flags, or choose another --out.`,
      );
    }
    if (await exists(resultsPath)) {
      const saved = checkResults(resultsPath, await readJson(resultsPath));
      const ids = new Set(options.runs.map((r) => r.id));
      for (const r of saved.filter((x) => ids.has(x.id))) {
        const why = await retrainReason(
          r,
          join(outDir, 'runs', r.id),
          options.retryFailed ?? false,
        );
        if (why === null) previous.push(r);
        else print(`Retraining ${r.id}: ${why}.`);
      }
    }
  }
  // Load each dataset once here first: a missing or corrupt file stops the sweep with one clear
  // error instead of failing every run, and a download happens once, not in every worker.
  const data = {
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    ...(options.verify === false ? { verify: false } : {}),
    ...(options.download === false ? { download: false } : {}),
  };
  // (Queue workers read their own machine's data.)
  const datasets = new Set(options.runs.map((r) => options.specs.get(r.id)!.dataset));
  for (const name of options.runner ? [] : datasets) {
    await loadDataset(name, data);
  }

  await mkdir(join(outDir, 'runs'), { recursive: true });
  await writeJson(planPath, plan);

  const order = new Map(options.runs.map((r, i) => [r.id, i]));
  const records = new Map(previous.map((r) => [r.id, r]));
  const pending = options.runs.filter((r) => !records.has(r.id));
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, pending.length || 1));
  const cores = availableParallelism();
  const threads = options.threadsPerJob ?? Math.max(1, Math.floor(cores / jobs));
  const total = options.runs.length;
  if (previous.length > 0) {
    print(`Resuming: ${previous.length} of ${total} runs already finished in ${outDir}.`);
  }
  const where = options.runner
    ? options.runner.describe
    : `${jobs} worker${jobs > 1 ? 's' : ''} x ${threads} thread${threads > 1 ? 's' : ''}`;
  print(
    `Sweep '${options.name}': ${total} runs (${pending.length} to train), ${where}, into ${outDir}`,
  );

  const models =
    options.figures === false ? [] : await drawModels(outDir, options.runs, options.specs);

  // Writes are serialised: two workers may finish at the same moment.
  let writing: Promise<void> = Promise.resolve();
  const sorted = (): RunRecord[] =>
    [...records.values()].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const persist = (finished: RunRecord | null): Promise<void> => {
    writing = writing.then(async () => {
      const all = sorted();
      await writeJson(resultsPath, {
        name: options.name,
        axes: axisKeys,
        planned: total,
        runs: all,
      });
      await writeFileAtomic(join(outDir, 'results.csv'), resultsCsv(all, axisKeys));
      const { overlays, perRun } =
        options.figures === false
          ? { overlays: [], perRun: [] }
          : await drawFigures(outDir, all, finished, options.axes, repeated);
      await writeFileAtomic(
        join(outDir, 'report.md'),
        sweepReportMarkdown({
          title: `Sweep: ${options.name}`,
          intro: options.intro ?? [],
          fixed: options.fixed ?? {},
          axisKeys,
          records: all,
          planned: total,
          figures: [...overlays, ...models, ...perRun],
          ...(options.notebook ? { notebook: options.notebook } : {}),
        }),
      );
    });
    return writing;
  };

  if (pending.length === 0) {
    await persist(null);
    return { outDir, records: sorted(), resumed: previous.length };
  }

  const printEpoch: RunHooks['epoch'] = (id, epoch, logs, seconds) => {
    if ((options.verbose ?? 1) < 1) return;
    const text = Object.entries(logs)
      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
      .join(', ');
    const epochs = options.specs.get(id)!.epochs;
    print(`  ${id} epoch ${epoch + 1}/${epochs}: ${text} (${seconds.toFixed(1)} s)`);
  };
  const finish = (n: number, record: RunRecord): Promise<void> => {
    records.set(record.id, record);
    print(`[${n}/${total}] ${runLine(record, repeated)}`);
    return persist(record);
  };

  let started = previous.length;
  if (options.runner) {
    const startedAs = new Map<string, number>();
    await options.runner.run(pending, {
      started: (id) => {
        if (startedAs.has(id)) return print(`  ${id}: started again (its first worker was lost)`);
        startedAs.set(id, ++started);
        print(`[${started}/${total}] ${id}`);
      },
      epoch: printEpoch,
      finished: (record) => {
        if (!startedAs.has(record.id)) startedAs.set(record.id, ++started);
        return finish(startedAs.get(record.id)!, record);
      },
    });
    await writing;
    return { outDir, records: sorted(), resumed: previous.length };
  }

  const queue = [...pending];
  const busy = new Set<ChildProcess>();
  /** Threads per run: fixed by the caller, or the cores split among the runs in flight. */
  const share = (): number =>
    options.threadsPerJob ??
    Math.max(1, Math.floor(cores / Math.max(1, Math.min(jobs, busy.size + queue.length))));
  const rebalance = (): void => {
    if (options.threadsPerJob !== undefined) return;
    const m: ThreadsMessage = { type: 'threads', threads: share() };
    for (const w of busy) if (w.connected) w.send(m);
  };
  const runOne = (worker: ChildProcess, run: PlannedRun): Promise<RunRecord> =>
    new Promise((resolveRun) => {
      const dir = join(outDir, 'runs', run.id);
      const task: RunTask = {
        type: 'run',
        run,
        spec: options.specs.get(run.id)!,
        dir,
        ...(options.backend !== undefined ? { backend: options.backend } : {}),
        ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
        ...(options.verify === false ? { verify: false } : {}),
        ...(options.download === false ? { download: false } : {}),
        ...(options.trainSamples !== undefined ? { trainSamples: options.trainSamples } : {}),
        ...(options.testSamples !== undefined ? { testSamples: options.testSamples } : {}),
        threads: share(),
      };
      const spec = task.spec;
      const onMessage = (m: WorkerMessage): void => {
        if (m.type === 'epoch' && m.id === run.id) {
          printEpoch(run.id, m.epoch, m.logs, m.seconds);
        } else if (m.type === 'done' && m.record.id === run.id) {
          cleanup();
          resolveRun(m.record);
        }
      };
      const onExit = (code: number | null, signal: string | null): void => {
        cleanup();
        resolveRun(
          runRecord(
            run,
            spec,
            options.backend ?? 'unknown',
            {},
            {
              error: `its worker process died (${signal ?? `exit code ${code}`})`,
              failure: 'worker',
              trainSeconds: 0,
            },
          ),
        );
      };
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      // A run folder without a result is left over from an interrupted sweep: continue it from
      // its checkpoint (bit-identical to an uninterrupted run), or start it afresh.
      void (async () => {
        const status = await readStatus(dir);
        if (status?.state === 'interrupted' && (await hasCheckpoint(dir))) {
          print(
            `  ${run.id}: continuing from its checkpoint (epoch ${status.epoch}/${status.epochs})`,
          );
          task.resume = true;
        } else {
          await rm(dir, { recursive: true, force: true });
        }
        worker.send(task);
      })();
    });

  // Workers leave with the sweep (Ctrl-C, process.exit), mid-run: no orphan keeps a core busy.
  const live = new Set<ChildProcess>();
  const killAll = (): void => {
    for (const child of live) child.kill();
  };
  process.on('exit', killAll);
  const spawnWorker = (): Promise<ChildProcess> =>
    new Promise((resolveWorker, reject) => {
      const child = fork(WORKER, [], {
        env: { ...process.env, MNIST_LAB_NUM_THREADS: String(threads) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      live.add(child);
      child.once('exit', () => live.delete(child));
      const onReady = (m: WorkerMessage): void => {
        if (m.type !== 'ready') return;
        child.off('exit', onEarlyExit);
        child.off('message', onReady);
        resolveWorker(child);
      };
      const onEarlyExit = (code: number | null): void =>
        reject(
          new Error(`a sweep worker failed to start (exit code ${code}); see its message above.`),
        );
      child.on('message', onReady);
      child.once('exit', onEarlyExit);
    });

  const lane = async (): Promise<void> => {
    let worker = await spawnWorker();
    try {
      for (let run = queue.shift(); run !== undefined; run = queue.shift()) {
        const n = ++started;
        print(`[${n}/${total}] ${run.id}`);
        busy.add(worker);
        const record = await runOne(worker, run);
        busy.delete(worker);
        // The last runs in flight take over the cores of lanes that ran out of work.
        if (queue.length === 0) rebalance();
        await finish(n, record);
        if (worker.exitCode !== null || worker.signalCode !== null) worker = await spawnWorker();
      }
    } finally {
      if (worker.connected) worker.disconnect();
    }
  };
  try {
    await Promise.all(Array.from({ length: jobs }, lane));
    await writing;
  } finally {
    process.off('exit', killAll);
  }
  return { outDir, records: sorted(), resumed: previous.length };
}

const OVERLAY_KEYS = ['val_accuracy', 'val_loss', 'accuracy', 'loss'];

/**
 * Renders the finished run's curves and the overlays across all runs so far; returns the figures
 * the report shows.
 */
async function drawFigures(
  outDir: string,
  records: readonly RunRecord[],
  finished: RunRecord | null,
  axes: readonly GridAxis[],
  repeated: boolean,
): Promise<{ overlays: Figure[]; perRun: Figure[] }> {
  const dir = join(outDir, 'figures');
  await mkdir(dir, { recursive: true });
  const curves = (r: RunRecord): RunCurves => {
    const group = axes.map((a) => r.setting[a.key]).join(', ') || 'base';
    return { label: repeated ? `${group} (seed ${r.seed})` : group, group, history: r.history };
  };
  const withEpochs = records.filter((r) => (r.history['loss']?.length ?? 0) > 0);
  for (const r of withEpochs) {
    // Each run's figure is drawn once: when it finishes, or on --resume if an interrupted sweep
    // stopped before drawing it.
    if (r !== finished && (await exists(join(dir, `run-${r.id}.png`)))) continue;
    const setting = settingLabel(r.setting) || r.id;
    const title = repeated ? `${setting} (seed ${r.seed})` : setting;
    await writeChart(runCurvesSpec(curves(r), { title }), join(dir, `run-${r.id}`));
  }
  const overlays: Figure[] = [];
  const rel = (p: string): string => relative(outDir, p).split('\\').join('/');
  for (const key of OVERLAY_KEYS) {
    if (!withEpochs.some((r) => key in r.history)) continue;
    const base = join(dir, key);
    await writeChart(
      overlaySpec(withEpochs.map(curves), key, {
        groupTitle: axes.map((a) => a.key).join(', ') || 'run',
      }),
      base,
    );
    overlays.push({ title: `${metricTitle(key)}, all runs`, path: rel(`${base}.png`) });
  }
  const perRun = withEpochs.map((r) => ({
    title: `Run ${r.id}: loss and accuracy`,
    path: rel(join(dir, `run-${r.id}.png`)),
  }));
  return { overlays, perRun };
}

/**
 * The architecture of every distinct model in the sweep, as plot-model draws it (built from the
 * first run that uses it; weights are never trained here).
 */
async function drawModels(
  outDir: string,
  runs: readonly PlannedRun[],
  specs: ReadonlyMap<string, TrainSpec>,
): Promise<Figure[]> {
  const seen = new Map<string, PlannedRun>();
  for (const run of runs) {
    const s = specs.get(run.id)!;
    const key = JSON.stringify([
      s.model,
      s.hidden,
      s.activation,
      s.dropout,
      s.batchnorm,
      s.dataset,
    ]);
    if (!seen.has(key)) seen.set(key, run);
  }
  const dir = join(outDir, 'figures');
  await mkdir(dir, { recursive: true });
  const figures: Figure[] = [];
  let i = 0;
  for (const run of seen.values()) {
    const model = withoutWeights(() => buildModelForDataset(specs.get(run.id)!));

    const { svg, png } = await renderModelDiagram(model);
    const base = seen.size === 1 ? 'model' : `model-${++i}`;
    await writeFileAtomic(join(dir, `${base}.svg`), svg);
    await writeFileAtomic(join(dir, `${base}.png`), png);
    const setting = settingLabel(run.setting);
    figures.push({
      title: seen.size === 1 ? 'The model' : `The model for ${setting}`,
      path: `figures/${base}.png`,
    });
  }
  return figures;
}

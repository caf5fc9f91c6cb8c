import { Command, type Option } from 'commander';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { TrainSpec } from '../../src/experiments/model-spec.js';
import { parseGridArg, planRuns, type GridAxis } from '../../src/experiments/sweep-plan.js';
import {
  getSweepPreset,
  SWEEP_PRESETS,
  type SweepPreset,
} from '../../src/experiments/sweep-presets.js';
import { describeSchedule } from '../../src/experiments/optimizer-from-spec.js';
import { markdownTable } from '../../src/reports/markdown-table.js';
import { getOptimizer } from '../../src/optimizers/index.js';
import { runSweep } from '../../node/experiments/sweep.js';
import { setBackend } from '../../src/kernels/registry.js';
import { fileStamp } from '../../node/fs/file-stamp.js';
import { asUsage, oneOf, positiveInt, UsageError } from '../parse.js';
import { checkQueueLibraries, hidePassword } from '../../node/experiments/queue-connection.js';
import { addTrainOptions, checkHoldoutSize, specFromFlags } from './train.js';

/**
 * Default --jobs: one worker per core, up to this many. On 2 cores, two single-threaded workers
 * tie one two-threaded worker on MLP sweeps and beat it 1.28-1.36x on CNN sweeps (npm run
 * bench:sweep); each worker holds its own copy of the data, so the default stays modest.
 */
const MAX_DEFAULT_JOBS = 4;

/** Train flags a sweep may not vary: they pick the data, which every run must share. */
const NOT_SWEPT = new Set([
  'data-dir',
  'train-samples',
  'test-samples',
  'backend',
  'no-verify',
  'no-download',
]);

/** An argument as a POSIX shell would need it quoted, for the report's command line. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Parses train-flag values as the train command would, with its own error messages. */
function flagParser(cmd: Command) {
  const trainKeys = new Set(
    addTrainOptions(new Command()).options.map((o) => o.long?.slice(2) ?? ''),
  );
  const byKey = new Map<string, Option>();
  for (const o of cmd.options) {
    const key = o.long?.slice(2) ?? '';
    if (trainKeys.has(key) && !NOT_SWEPT.has(key)) byKey.set(key, o);
  }
  const option = (key: string): Option => {
    const o = byKey.get(key);
    if (!o) {
      throw new UsageError(
        `'${key}' is not a train flag a sweep can set; use one of: ${[...byKey.keys()].join(', ')}.`,
      );
    }
    return o;
  };
  return {
    /** The flag's property name in the parsed options (batch-size -> batchSize). */
    attr: (key: string): string => option(key).attributeName(),
    parse: (key: string, value: string): [string, unknown] => {
      const o = option(key);
      if (!o.required && !o.optional) {
        const v = value.trim().toLowerCase();
        if (!['true', 'false', 'yes', 'no', '1', '0'].includes(v)) {
          throw new UsageError(`--${key} is on or off: use true or false, got '${value}'.`);
        }
        return [o.attributeName(), ['true', 'yes', '1'].includes(v)];
      }
      return [o.attributeName(), o.parseArg ? o.parseArg(value, undefined as never) : value];
    },
  };
}

function listPresets(print: (l: string) => void): void {
  const rows = SWEEP_PRESETS.map((p) => [
    p.name,
    p.description,
    p.axes.map((a) => `${a.key}: ${a.values.map((v) => v.label).join(' / ')}`).join('; '),
    p.source,
  ]);
  print(markdownTable(['preset', 'what it trains', 'swept', 'reproduces'], rows));
  print('');
  print(
    'Run one with `mnist-lab sweep <preset>`; any train flag given as well overrides the preset.',
  );
}

interface SweepFlags {
  grid?: string[];
  repeats: number;
  jobs: number;
  out?: string;
  resume: boolean;
  retryFailed: boolean;
  verify: boolean;
  download: boolean;
  list: boolean;
  figures: boolean;
  verbose: '0' | '1' | '2';
  json: boolean;
  backend?: string;
  dataDir?: string;
  trainSamples?: number;
  testSamples?: number;
  seed: number;
  queue?: string;
  store?: string;
  cancel: boolean;
}

const SPEC_LABELS: [keyof TrainSpec, string][] = [
  ['dataset', 'dataset'],
  ['model', 'model'],
  ['hidden', 'hidden'],
  ['activation', 'activation'],
  ['dropout', 'dropout'],
  ['batchnorm', 'batchnorm'],
  ['optimizer', 'optimizer'],
  ['lr', 'lr'],
  ['momentum', 'momentum'],
  ['loss', 'loss'],
  ['epochs', 'epochs'],
  ['batchSize', 'batch-size'],
  ['validationSplit', 'validation-split'],
  ['earlyStopping', 'early-stopping'],
  ['holdout', 'holdout'],
  ['lrSchedule', 'lr-schedule'],
  ['reduceLrOnPlateau', 'reduce-lr-on-plateau'],
  ['labelSmoothing', 'label-smoothing'],
  ['weightDecay', 'weight-decay'],
  ['seed', 'seed'],
];

const RECIPE_FLAGS = new Set([
  'holdout',
  'lr-schedule',
  'reduce-lr-on-plateau',
  'label-smoothing',
  'weight-decay',
]);

/** Report text of the object-valued settings. */
function describeSetting(spec: TrainSpec, field: keyof TrainSpec): string | undefined {
  if (field === 'holdout' && spec.holdout) {
    const { where, count } = spec.holdout;
    return `the ${where} ${count} training images`;
  }
  if (field === 'lrSchedule' && spec.lrSchedule) return describeSchedule(spec.lrSchedule);
  if (field === 'reduceLrOnPlateau' && spec.reduceLrOnPlateau) {
    const r = spec.reduceLrOnPlateau;
    return `patience ${r.patience}, factor ${r.factor}, min lr ${r.minLr}`;
  }
  return undefined;
}

/** The settings every run shares, for the report's Settings list. */
function fixedSettings(
  specs: readonly TrainSpec[],
  swept: ReadonlySet<string>,
  flags: SweepFlags,
  jobs: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  const first = specs[0]!;
  for (const [field, flag] of SPEC_LABELS) {
    if (swept.has(flag)) continue;
    // The recipe settings are listed only when a run uses them.
    if (RECIPE_FLAGS.has(flag) && specs.every((x) => x[field] === undefined)) continue;
    const values = new Set(specs.map((s) => JSON.stringify(s[field] ?? null)));
    if (values.size > 1 && flag !== 'seed') continue; // set per value of a swept flag
    const v = first[field];
    let text: string;
    if (flag === 'seed') {
      const seeds = [...new Set(specs.map((s) => s.seed))];
      text = seeds.length > 1 ? seeds.join(', ') : String(v);
    } else if (flag === 'hidden')
      text = (v as number[]).length ? (v as number[]).join(', ') : 'none';
    else if (v === undefined && flag === 'lr') {
      const lrs = new Set(specs.map((x) => getOptimizer(x.optimizer).learningRate));
      text =
        lrs.size === 1
          ? `${[...lrs][0]} (${first.optimizer}'s Keras default)`
          : "each optimizer's Keras default";
    } else if (v === undefined || (flag === 'validation-split' && v === 0)) text = 'off';
    else text = describeSetting(first, field) ?? String(v);
    if (flag === 'validation-split' && first.validationSplit > 0) {
      const n = flags.trainSamples ?? 60000;
      const keep = Math.floor(n * (1 - first.validationSplit));
      text = `${+first.validationSplit.toPrecision(4)} (the last ${n - keep} of ${n} training images)`;
    }
    if (flag === 'early-stopping' && v !== undefined)
      text = `val_loss, patience ${String(v)}, best weights restored`;
    out[flag] = text;
  }
  if (flags.trainSamples !== undefined) out['train samples'] = String(flags.trainSamples);
  if (flags.testSamples !== undefined) out['test samples'] = String(flags.testSamples);
  out['workers'] = String(jobs);
  return out;
}

export function sweepCommand(): Command {
  const cmd = addTrainOptions(
    new Command('sweep')
      .description(
        'Train a grid of runs (a preset from the notebooks, or --grid over any train flag) and write a report with tables and figures',
      )
      .argument('[preset]', 'a named study: see --list'),
  )
    .option(
      '--grid <key=values>',
      'sweep a train flag: lr=0.01,0.001 (repeat for a cartesian product; separate with ; when values hold commas: "hidden=512;512,256")',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option(
      '--repeats <n>',
      'train each setting n times with seeds seed, seed+1, ... (mean ± std)',
      positiveInt('--repeats'),
      1,
    )
    .option(
      '--jobs <n>',
      `worker processes training side by side: one per core, at most ${MAX_DEFAULT_JOBS} (see README)`,
      positiveInt('--jobs'),
      Math.min(MAX_DEFAULT_JOBS, availableParallelism()),
    )
    .option('--out <dir>', 'sweep folder (default ./sweeps/<preset or grid>-<time>)')
    .option(
      '--resume',
      'finish an interrupted sweep in --out: train the runs not finished (never started, worker died, folder missing)',
      false,
    )
    .option('--retry-failed', 'with --resume: also retrain the runs that diverged', false)
    .option('--no-figures', 'skip the SVG/PNG figures')
    .option(
      '--verbose <level>',
      '0: nothing but errors; 1: a line per run; 2: also a line per epoch',
      oneOf('--verbose', ['0', '1', '2'] as const),
      '2',
    )
    .option('--json', 'print the result (folder, every run) as one JSON object on stdout', false)
    .option('--list', 'list the presets and exit', false)
    .option(
      '--queue <url>',
      'queue the runs on Redis (redis://[:PASSWORD@]HOST[:PORT][/DB] or rediss://) for `mnist-lab worker`s instead of training here',
    )
    .option(
      '--store <dir>',
      'with --queue: the shared folder every worker reaches; --out lies inside it',
    )
    .option('--cancel', "with --queue: drop the queued runs (of --out's sweep, or all)", false);

  return cmd.action(async (presetName: string | undefined, flags: SweepFlags) => {
    const quiet = flags.json || flags.verbose === '0';
    const print = quiet ? (): void => {} : (l: string): void => console.log(l);
    if (flags.list) {
      if (flags.json) console.log(JSON.stringify(SWEEP_PRESETS));
      else listPresets(print);
      return;
    }
    // BullMQ is loaded only by sweeps that queue, and installed only by users who queue.
    const queueing = (): Promise<typeof import('../queue-sweep.js')> => {
      checkQueueLibraries('sweep --queue');
      return import('../queue-sweep.js');
    };
    if (flags.cancel) return (await queueing()).cancelQueuedSweep(flags, print);
    if (flags.store !== undefined && flags.queue === undefined) {
      throw new UsageError('--store goes with --queue URL.');
    }
    // Every worker sets it; one that cannot load here would fail each run, so it is checked
    // once (the loader's reason included), before anything is written.
    if (flags.backend !== undefined && flags.queue === undefined) setBackend(flags.backend);
    const preset: SweepPreset | undefined =
      presetName !== undefined ? asUsage(() => getSweepPreset(presetName)) : undefined;
    const userAxes = asUsage(() => (flags.grid ?? []).map(parseGridArg));
    if (!preset && userAxes.length === 0 && flags.repeats === 1) {
      throw new UsageError(
        'name a preset (see `mnist-lab sweep --list`) or give --grid KEY=V1,V2 (or --repeats N).',
      );
    }
    if (flags.resume && flags.out === undefined) {
      throw new UsageError('--resume needs --out DIR: the folder of the sweep to finish.');
    }
    if (flags.retryFailed && !flags.resume) {
      throw new UsageError('--retry-failed applies to --resume: add --resume --out DIR.');
    }
    const { attr, parse } = flagParser(cmd);
    // User axes replace a preset's axis on the same flag.
    const userKeys = new Set(userAxes.map((a) => a.key));
    const axes: GridAxis[] = [
      ...(preset?.axes ?? []).filter((a) => !userKeys.has(a.key)),
      ...userAxes,
    ];
    const sweptFlags = new Set(axes.flatMap((a) => a.values.flatMap((v) => Object.keys(v.flags))));
    for (const key of sweptFlags) {
      if (cmd.getOptionValueSource(attr(key)) === 'cli') {
        throw new UsageError(`--${key} is both set and swept; drop --${key} or its --grid.`);
      }
    }

    const runs = planRuns(axes, flags.repeats, flags.seed);
    const base: Record<string, unknown> = { ...cmd.opts() };
    for (const [key, value] of Object.entries(preset?.flags ?? {})) {
      const [name, parsed] = parse(key, value);
      if (cmd.getOptionValueSource(name) !== 'cli' && !sweptFlags.has(key)) base[name] = parsed;
    }
    const specs = new Map<string, TrainSpec>();
    for (const run of runs) {
      try {
        const merged = { ...base };
        for (const [key, value] of Object.entries(run.flags)) {
          const [name, parsed] = parse(key, value);
          merged[name] = parsed;
        }
        const spec = specFromFlags(merged as unknown as Parameters<typeof specFromFlags>[0]);
        checkHoldoutSize(spec, flags.trainSamples);
        specs.set(run.id, spec);
      } catch (e) {
        throw new UsageError(`run ${run.id}: ${(e as Error).message}`);
      }
    }

    const name = preset?.name ?? 'grid';
    const queued =
      flags.queue !== undefined
        ? await (await queueing()).queueSweep(flags, `${name}-${fileStamp()}`, runs, specs, print)
        : undefined;
    const outDir = queued?.outDir ?? flags.out ?? join('sweeps', `${name}-${fileStamp()}`);
    const jobs = flags.jobs;
    const intro = [
      ...(preset
        ? [
            `${preset.description}.`,
            '',
            `Reproduces ${preset.source}.${preset.differs ? ` ${preset.differs}` : ''}`,
            '',
          ]
        : []),
      `Command: \`mnist-lab ${process.argv
        .slice(2)
        .map((a) => shellQuote(hidePassword(a)))
        .join(' ')}\``,
    ];
    // Finished runs are already on disk; say how to pick up the rest.
    process.once('SIGINT', () => {
      const going = queued ? ' (workers go on with the queued runs)' : '';
      console.error(
        `\nmnist-lab: interrupted. Finished runs are saved in ${outDir}${going}; finish the sweep with the same command plus --out ${shellQuote(outDir)} --resume.`,
      );
      process.exit(130);
    });
    const result = await runSweep({
      name,
      outDir,
      axes,
      runs,
      specs,
      intro,
      fixed: {
        ...fixedSettings([...specs.values()], sweptFlags, flags, jobs),
        ...(queued ? { workers: `\`mnist-lab worker\`s on ${queued.display}` } : {}),
      },
      ...(preset?.notebook ? { notebook: preset.notebook } : {}),
      jobs,
      ...(queued ? { runner: queued.runner } : {}),
      resume: flags.resume,
      retryFailed: flags.retryFailed,
      ...(flags.verify === false ? { verify: false } : {}),
      ...(flags.download === false ? { download: false } : {}),
      ...(flags.backend !== undefined ? { backend: flags.backend } : {}),
      ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}),
      ...(flags.trainSamples !== undefined ? { trainSamples: flags.trainSamples } : {}),
      ...(flags.testSamples !== undefined ? { testSamples: flags.testSamples } : {}),
      verbose: flags.verbose === '2' && !quiet ? 1 : 0,
      figures: flags.figures,
      print,
    });
    const failed = result.records.filter((r) => r.status === 'failed').length;
    if (flags.json) {
      console.log(JSON.stringify({ ...result, report: join(result.outDir, 'report.md'), failed }));
    }
    print(`Report: ${join(result.outDir, 'report.md')}`);
    if (failed > 0) {
      print(`${failed} run${failed > 1 ? 's' : ''} failed; see the report.`);
      process.exitCode = 1;
    }
  });
}

import type { NotebookFigures } from '../reports/sweep-report.js';
import { gridAxis, type GridAxis } from './sweep-plan.js';

/** A named study from the seed notebooks: fixed train flags plus the axes it sweeps. */
export interface SweepPreset {
  name: string;
  /** One line for `sweep --list`. */
  description: string;
  /** Which notebook it reproduces, and what that notebook reported. */
  source: string;
  /** Fixed train flags (flag name without '--' -> value as typed on the command line). */
  flags: Readonly<Record<string, string>>;
  axes: readonly GridAxis[];
  /** The notebook's printed figure per setting, when known (shown beside each report row). */
  notebook?: NotebookFigures;
  /** Where the preset departs from the notebook's literal code, and why (report intro, README). */
  differs?: string;
}

/**
 * Seed notebook 004 trains on all 60,000 training images with no validation set and reports
 * test accuracy only.
 */
const SEED_004 = {
  optimizer: 'rmsprop',
  epochs: '5',
  'batch-size': '128',
};
/** Seed notebook 003 validates on the FIRST 10,000 training images (`x_train[:10000]`). */
const SEED_003 = {
  hidden: '512,256',
  dropout: '0.5',
  optimizer: 'rmsprop',
  epochs: '100',
  'batch-size': '128',
  holdout: 'first:10000',
  'early-stopping': '10',
};
/** Seed notebook 001's hold-out of 10,000 images, taken from the end as validation_split does. */
const HOLD_OUT_10K = String(1 / 6);

const UNKNOWN_FIGURES =
  "The notebook's per-setting figures are not recorded in this project; compare with the notebook's own output.";

export const SWEEP_PRESETS: readonly SweepPreset[] = [
  {
    name: 'hidden-size',
    description: 'Dense(h) -> Dense(10) with h = 256, 512, 1024; RMSprop, 5 epochs',
    source: 'seed notebook 004 (256 / 512 / 1024 -> 97.62 / 97.78 / 97.63% test accuracy)',
    flags: SEED_004,
    axes: [gridAxis('hidden', ['256', '512', '1024'])],
    notebook: {
      column: 'notebook test acc (%)',
      values: { '256': '97.62', '512': '97.78', '1024': '97.63' },
    },
  },
  {
    name: 'learning-rate',
    description: 'RMSprop learning rate 0.01, 0.001, 0.0001 on 784-512-10, 5 epochs',
    source: 'seed notebook 004',
    flags: SEED_004,
    axes: [gridAxis('lr', ['0.01', '0.001', '0.0001'])],
    differs: UNKNOWN_FIGURES,
  },
  {
    name: 'momentum',
    description: 'RMSprop momentum 0, 0.5, 0.9 on 784-512-10, 5 epochs',
    source: 'seed notebook 004',
    flags: SEED_004,
    axes: [gridAxis('momentum', ['0', '0.5', '0.9'])],
    differs: UNKNOWN_FIGURES,
  },
  {
    name: 'lr-batch',
    description:
      'learning rate x batch size on 512-256-10 with Dropout 0.5, RMSprop, EarlyStopping(val_loss, 10)',
    source: 'seed notebook 003',
    flags: SEED_003,
    axes: [gridAxis('lr', ['0.01', '0.001', '0.0001']), gridAxis('batch-size', ['128', '256'])],
    differs:
      "The notebook's loop reused one model object, so each setting went on training the previous one; " +
      'this preset trains a fresh model per setting, as the study meant. ' +
      UNKNOWN_FIGURES,
  },
  {
    name: 'depth',
    description:
      'no hidden layer vs 784-512-10 vs 512-256-10 (Dropout 0.5), RMSprop, EarlyStopping(val_loss, 10)',
    source: 'seed notebook 003',
    flags: SEED_003,
    axes: [gridAxis('hidden', ['none', '512', '512,256'])],
    differs: UNKNOWN_FIGURES,
  },
  {
    name: 'optimizers',
    description:
      'Adam, SGD + momentum 0.9, RMSprop x batch size 32, 128, 256 on 784-512-10, 5 epochs',
    source: 'seed notebook 001',
    flags: { epochs: '5', 'validation-split': HOLD_OUT_10K },
    axes: [
      {
        key: 'optimizer',
        values: [
          { label: 'adam', flags: { optimizer: 'adam' } },
          { label: 'sgd+momentum 0.9', flags: { optimizer: 'sgd', momentum: '0.9' } },
          { label: 'rmsprop', flags: { optimizer: 'rmsprop' } },
        ],
      },
      gridAxis('batch-size', ['32', '128', '256']),
    ],
    differs: UNKNOWN_FIGURES,
  },
];

export function getSweepPreset(name: string): SweepPreset {
  const preset = SWEEP_PRESETS.find((p) => p.name === name);
  if (!preset) {
    throw new Error(
      `unknown sweep preset '${name}'; presets: ${SWEEP_PRESETS.map((p) => p.name).join(', ')} (see sweep --list).`,
    );
  }
  return preset;
}

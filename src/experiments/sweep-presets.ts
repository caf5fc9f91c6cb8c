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
}

/** The notebooks hold out the last 10,000 of the 60,000 training images: floor(60000 * 5/6). */
const HOLD_OUT_10K = String(1 / 6);

const SEED_004 = {
  optimizer: 'rmsprop',
  epochs: '5',
  'batch-size': '128',
  'validation-split': HOLD_OUT_10K,
};
const SEED_003 = {
  hidden: '512,256',
  dropout: '0.5',
  optimizer: 'rmsprop',
  epochs: '100',
  'batch-size': '128',
  'validation-split': HOLD_OUT_10K,
  'early-stopping': '10',
};

export const SWEEP_PRESETS: readonly SweepPreset[] = [
  {
    name: 'hidden-size',
    description: 'Dense(h) -> Dense(10) with h = 256, 512, 1024; RMSprop, 5 epochs',
    source: 'seed notebook 004 (256 / 512 / 1024 -> 97.62 / 97.78 / 97.63% test accuracy)',
    flags: SEED_004,
    axes: [gridAxis('hidden', ['256', '512', '1024'])],
  },
  {
    name: 'learning-rate',
    description: 'RMSprop learning rate 0.01, 0.001, 0.0001 on 784-512-10, 5 epochs',
    source: 'seed notebook 004',
    flags: SEED_004,
    axes: [gridAxis('lr', ['0.01', '0.001', '0.0001'])],
  },
  {
    name: 'momentum',
    description: 'RMSprop momentum 0, 0.5, 0.9 on 784-512-10, 5 epochs',
    source: 'seed notebook 004',
    flags: SEED_004,
    axes: [gridAxis('momentum', ['0', '0.5', '0.9'])],
  },
  {
    name: 'lr-batch',
    description:
      'learning rate x batch size on 512-256-10 with Dropout 0.5, RMSprop, EarlyStopping(val_loss, 10)',
    source: 'seed notebook 003',
    flags: SEED_003,
    axes: [gridAxis('lr', ['0.01', '0.001', '0.0001']), gridAxis('batch-size', ['128', '256'])],
  },
  {
    name: 'depth',
    description:
      'no hidden layer vs 784-512-10 vs 512-256-10 (Dropout 0.5), RMSprop, EarlyStopping(val_loss, 10)',
    source: 'seed notebook 003',
    flags: SEED_003,
    axes: [gridAxis('hidden', ['none', '512', '512,256'])],
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

/**
 * Named training recipes for `train --preset`: fixed train flags (as typed on the command
 * line), which flags given explicitly override.
 */
export interface TrainPreset {
  name: string;
  /** One line: what it trains and why. */
  description: string;
  /** Train flag name without '--' -> value as typed on the command line ('true' for switches). */
  flags: Readonly<Record<string, string>>;
}

export const TRAIN_PRESETS: readonly TrainPreset[] = [
  {
    name: 'mnist-cnn',
    description:
      'a first small-CNN recipe without augmentation: cnn-bn (32-32 / 64-64 conv blocks with BatchNormalization, Dense 128, Dropout 0.3), ' +
      'AdamW (lr 3e-3, weight decay 0.01), cosine schedule after a 1-epoch warm-up, label smoothing 0.1, batch 128, all 60,000 training images',
    flags: {
      model: 'cnn-bn',
      hidden: '128',
      dropout: '0.3',
      optimizer: 'adamw',
      lr: '0.003',
      'weight-decay': '0.01',
      'lr-schedule': 'cosine',
      'lr-warmup-epochs': '1',
      'label-smoothing': '0.1',
      'batch-size': '128',
      epochs: '6',
    },
  },
  {
    name: 'mnist-best',
    description:
      'MNIST at 99.5%: cnn-bn with three single-convolution blocks (32-64-128 filters, each max-pooled) and no hidden Dense layer, ' +
      '--augment (shift 0.1, turn 10 degrees, zoom 0.1), AdamW (lr 0.01, weight decay 0.01), cosine schedule after a half-epoch warm-up, ' +
      'label smoothing 0.1, batch 128, 8 epochs on all 60,000 images',
    flags: {
      dataset: 'mnist',
      augment: 'true',
      model: 'cnn-bn',
      filters: '32,64,128',
      'block-convs': '1',
      hidden: 'none',
      optimizer: 'adamw',
      lr: '0.01',
      'weight-decay': '0.01',
      'lr-schedule': 'cosine',
      'lr-warmup-epochs': '0.5',
      'label-smoothing': '0.1',
      'batch-size': '128',
      epochs: '8',
    },
  },
  {
    name: 'fashion-best',
    description:
      "Fashion-MNIST at 93%: mnist-cnn's network and schedule on Fashion-MNIST (cnn-bn 32-32 / 64-64 conv blocks with BatchNormalization, " +
      'Dense 128, Dropout 0.3; AdamW lr 3e-3, weight decay 0.01, cosine after a 1-epoch warm-up, label smoothing 0.1, batch 128), 6 epochs',
    flags: {
      dataset: 'fashion-mnist',
      model: 'cnn-bn',
      hidden: '128',
      dropout: '0.3',
      optimizer: 'adamw',
      lr: '0.003',
      'weight-decay': '0.01',
      'lr-schedule': 'cosine',
      'lr-warmup-epochs': '1',
      'label-smoothing': '0.1',
      'batch-size': '128',
      epochs: '6',
    },
  },
  {
    name: 'speedrun',
    description:
      'the least training time to 99% on MNIST: the mnist-best network for 2 epochs (cosine after a 0.3-epoch warm-up)',
    flags: {
      dataset: 'mnist',
      model: 'cnn-bn',
      filters: '32,64,128',
      'block-convs': '1',
      hidden: 'none',
      optimizer: 'adamw',
      lr: '0.01',
      'weight-decay': '0.01',
      'lr-schedule': 'cosine',
      'lr-warmup-epochs': '0.3',
      'label-smoothing': '0.1',
      'batch-size': '128',
      epochs: '2',
    },
  },
];

export function getTrainPreset(name: string): TrainPreset {
  const preset = TRAIN_PRESETS.find((p) => p.name === name);
  if (!preset) {
    throw new Error(
      `unknown train preset '${name}'; presets: ${TRAIN_PRESETS.map((p) => p.name).join(', ')}.`,
    );
  }
  return preset;
}

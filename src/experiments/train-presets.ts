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

import '../src/kernels/index.js';
import { normalize, toCategorical } from '../src/data/preprocess.js';
import { buildModel } from '../src/experiments/build-model.js';
import { defaultSpec } from '../src/experiments/model-spec.js';
import { ProgressReporter, type ProgressEvent } from '../src/experiments/progress.js';
import type { Model } from '../src/models/index.js';
import { getOptimizer } from '../src/optimizers/index.js';
import { setSeed } from '../src/tensor/seed.js';
import { Tensor } from '../src/tensor/tensor.js';
import { pickBackend } from './backend.js';

export interface InPageConfig {
  model: 'mlp' | 'cnn';
  hidden: number[];
  samples: number;
  testSamples: number;
  epochs: number;
  batchSize: number;
  lr: number;
  validationSplit: number;
  dataset: 'mnist' | 'fashion-mnist';
  seed: number;
}

export type InPageMessage =
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'status'; text: string }
  | { type: 'done'; test: { loss: number; accuracy: number }; seconds: number; backend: string }
  | { type: 'error'; message: string };

/** A slice of the server's dataset: [n, h, w] uint8 images and uint8 labels. */
async function fetchSlice(
  dataset: string,
  split: 'train' | 'test',
  count: number,
): Promise<{ images: Uint8Array; labels: Uint8Array; h: number; w: number }> {
  const res = await fetch(`/api/data?dataset=${dataset}&split=${split}&count=${count}`);
  if (!res.ok) throw new Error(((await res.json()) as { error?: string }).error ?? res.statusText);
  const [n, h, w] = (res.headers.get('x-shape') ?? '').split(',').map(Number) as [
    number,
    number,
    number,
  ];
  const body = new Uint8Array(await res.arrayBuffer());
  if (n !== count || body.length !== n * h * w + n)
    throw new Error('the data slice has the wrong size');
  return { images: body.subarray(0, n * h * w), labels: body.subarray(n * h * w), h, w };
}

/**
 * Trains a small model on a slice of the data with the library's own fit (yieldEvery 'auto',
 * so a stop request, or the page itself, gets its turn every 125 ms).
 */
export async function trainInPage(
  cfg: InPageConfig,
  post: (m: InPageMessage) => void,
  onModel: (m: Model) => void,
): Promise<void> {
  const backend = await pickBackend();
  setSeed(cfg.seed);
  post({ type: 'status', text: `loading ${cfg.samples} + ${cfg.testSamples} images…` });
  const [train, test] = await Promise.all([
    fetchSlice(cfg.dataset, 'train', cfg.samples),
    fetchSlice(cfg.dataset, 'test', cfg.testSamples),
  ]);
  const cnn = cfg.model === 'cnn';
  const inputs = (s: typeof train, n: number): Tensor =>
    new Tensor(normalize(s.images), cnn ? [n, s.h, s.w, 1] : [n, s.h * s.w]);
  const targets = (s: typeof train): Tensor => toCategorical(s.labels, 10);
  const spec = { ...defaultSpec(cfg.model), hidden: cfg.hidden };
  const model = buildModel(spec, cnn ? [train.h, train.w, 1] : [train.h * train.w], 10);
  model.compile({
    optimizer: getOptimizer({ className: 'adam', config: { learningRate: cfg.lr } }),
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
  onModel(model);
  post({ type: 'status', text: `training on the ${backend} backend…` });
  const t0 = performance.now();
  await model.fit(inputs(train, cfg.samples), targets(train), {
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    verbose: 0,
    yieldEvery: 'auto',
    ...(cfg.validationSplit > 0 ? { validationSplit: cfg.validationSplit } : {}),
    callbacks: [
      // The same events a run folder's progress.jsonl holds, at up to 10 batches a second.
      new ProgressReporter(
        (event) => post({ type: 'progress', event }),
        { pid: 0, hostname: 'browser' },
        { batchRate: 10 },
      ),
    ],
  });
  const seconds = (performance.now() - t0) / 1000;
  const r = model.evaluate(inputs(test, cfg.testSamples), targets(test), {
    batchSize: 256,
    verbose: 0,
  });
  const [loss, accuracy] = Array.isArray(r) ? r : [r];
  const scores = { loss: loss!.item(), accuracy: accuracy?.item() ?? NaN };
  post({ type: 'done', test: scores, seconds, backend });
}

// The three models the interop tests carry across: the seed MLP, the seed CNN with
// BatchNormalization and Dropout, and a functional model with two branches, Concatenate and Add.
import { buildModel } from '../../src/experiments/build-model.js';
import { input, layers } from '../../src/layers/index.js';
import { model as functional, type Model } from '../../src/models/index.js';
import { Random } from '../../src/tensor/random.js';

export interface InteropCase {
  name: string;
  shape: number[];
  build: () => Model;
}

export const INTEROP_MODELS: InteropCase[] = [
  {
    name: 'Sequential MLP (784-512-10)',
    shape: [784],
    build: () =>
      buildModel(
        { model: 'mlp', hidden: [512], activation: 'relu', dropout: 0, batchnorm: false },
        [784],
        10,
      ),
  },
  {
    name: 'the seed CNN with BatchNormalization and Dropout',
    shape: [28, 28, 1],
    build: () =>
      buildModel(
        { model: 'cnn', hidden: [64], activation: 'relu', dropout: 0.25, batchnorm: true },
        [28, 28, 1],
        10,
      ),
  },
  {
    name: 'a functional model with two branches, Concatenate and Add',
    shape: [784],
    build: () => {
      const x = input({ shape: [784] });
      const a = layers.dense({ units: 32, activation: 'relu' }).apply(x);
      const b = layers.dense({ units: 32, activation: 'tanh' }).apply(x);
      const joined = layers.concatenate().apply([layers.add().apply([a, b]), b]);
      return functional({
        inputs: x,
        outputs: layers.dense({ units: 10, activation: 'softmax' }).apply(joined),
      });
    },
  },
];

export function uniform(n: number, seed: number): Float32Array {
  const r = new Random(seed);
  return Float32Array.from({ length: n }, () => r.uniform(0, 1));
}

export function oneHot(n: number, k: number, seed: number): Float32Array {
  const r = new Random(seed);
  const y = new Float32Array(n * k);
  for (let i = 0; i < n; i++) y[i * k + Math.floor(r.uniform(0, k))] = 1;
  return y;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

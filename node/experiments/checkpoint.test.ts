import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import '../../src/kernels/index.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/index.js';
import { toyClassification } from '../../src/models/test-data.test.js';
import { setSeed } from '../../src/tensor/seed.js';
import { FitState } from '../../src/training/fit-state.js';
import { Layer, singleInput, type CallArgs } from '../../src/layers/layer.js';
import { Random } from '../../src/tensor/random.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { readCheckpoint, restoreCheckpoint, writeCheckpoint } from './checkpoint.js';

/** Any layer with a random stream, as the augmentation layers have: not only Dropout. */
class Drawing extends Layer {
  static override readonly className = 'Drawing';
  readonly stream = new Random(7);
  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    if (args.training) this.stream.uint32();
    return singleInput(inputs, this);
  }
  getRandomState(): number[] {
    return this.stream.getState();
  }
  setRandomState(state: readonly number[]): void {
    this.stream.setState(state);
  }
}

function model(units = 8) {
  setSeed(1);
  const m = sequential({
    layers: [
      layers.dense({ units, activation: 'relu', inputShape: [4], name: 'h' }),
      layers.dropout({ rate: 0.2, name: 'd' }),
      layers.dense({ units: 3, activation: 'softmax', name: 'o' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  return m;
}

async function saved(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mnist-lab-ckpt-'));
  const m = model();
  const state = new FitState();
  const { x, y } = toyClassification(40);
  await m.fit(x, y, { epochs: 1, batchSize: 10, verbose: 0, state });
  await writeCheckpoint(dir, {
    model: m,
    fit: state,
    history: { epoch: [0], history: {}, epochSeconds: [0.1] },
  });
  return dir;
}

test('a checkpoint round-trips into a fresh model: weights, optimizer, Dropout stream', async () => {
  const dir = await saved();
  const ckpt = await readCheckpoint(dir);
  const m = model();
  restoreCheckpoint(ckpt, m, 'ckpt');
  assert.deepEqual([ckpt.fit.epoch, ckpt.fit.batch], [1, 0]);
  assert.equal(m.optimizer.iterations, 4);
  assert.deepEqual(m.getWeights()[0], ckpt.tensors.get('model/h/kernel')!.values);
});

test('a damaged or foreign checkpoint is refused with the file and the field named', async () => {
  const dir = await saved();
  const ck = join(dir, 'checkpoint');
  const statePath = join(ck, 'state.json');
  const good = await readFile(statePath, 'utf8');
  const state = JSON.parse(good) as Record<string, unknown>;
  const bin = join(ck, state['tensorsFile'] as string);
  const withState = async (patch: Record<string, unknown>, pattern: RegExp): Promise<void> => {
    await writeFile(statePath, JSON.stringify({ ...state, ...patch }));
    await assert.rejects(readCheckpoint(dir), pattern);
    await writeFile(statePath, good);
  };
  await withState(
    { tensorsFile: '../../../etc/passwd' },
    /'tensorsFile' must be a file name like tensors-3-0\.bin/,
  );
  await withState({ tensorsBytes: 2 ** 40 }, /'tensorsBytes' must be a byte count up to/);
  await withState({ format: 'other' }, /'format' must be 'mnist-lab-checkpoint'/);
  await withState(
    { tensors: [{ name: 'x', dtype: 'float32', shape: [1e9], offset: 0, byteLength: 4 }] },
    /tensors\[0\]/,
  );
  await withState({ fit: { epoch: -1 } }, /'epoch' must be a whole number/);

  const bytes = await readFile(bin);
  bytes[bytes.length - 1] ^= 0xff;
  await writeFile(bin, bytes);
  await assert.rejects(
    readCheckpoint(dir),
    /does not match the checksum in state\.json \(corrupted\)/,
  );
  await truncate(bin, 10);
  await assert.rejects(
    readCheckpoint(dir),
    /is 10 bytes, but state\.json says \d+ \(a partial or foreign file\)/,
  );
  await rm(bin);
  execFileSync('mkfifo', [bin]);
  await assert.rejects(readCheckpoint(dir), /is not a regular file/);
  await rm(bin);
  await symlink('/dev/zero', bin);
  await assert.rejects(readCheckpoint(dir), /is not a regular file/);
});

test('a checkpoint of another model is refused before anything is changed', async () => {
  const ckpt = await readCheckpoint(await saved());
  const other = model(16);
  const before = other.getWeights();
  assert.throws(
    () => restoreCheckpoint(ckpt, other, 'ckpt'),
    /ckpt: weight 'h\/kernel' has shape \[4, 8\], the model's is \[4, 16\]; it was not written for this model\./,
  );
  assert.deepEqual(other.getWeights(), before);
});

test("a checkpoint keeps every random layer's stream, not only Dropout's", async () => {
  const build = () => {
    setSeed(1);
    const m = sequential({
      layers: [
        layers.dense({ units: 4, inputShape: [4], name: 'h' }),
        new Drawing({ name: 'draw' }),
        layers.dense({ units: 3, activation: 'softmax', name: 'o' }),
      ],
    });
    m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    return m;
  };
  const dir = await mkdtemp(join(tmpdir(), 'mnist-lab-ckpt-'));
  const m = build();
  const state = new FitState();
  const { x, y } = toyClassification(40);
  await m.fit(x, y, { epochs: 1, batchSize: 10, verbose: 0, state });
  const drawn = (m.layers[1] as Drawing).getRandomState();
  await writeCheckpoint(dir, {
    model: m,
    fit: state,
    history: { epoch: [0], history: {}, epochSeconds: [0.1] },
  });
  const ckpt = await readCheckpoint(dir);
  const fresh = build();
  assert.notDeepEqual((fresh.layers[1] as Drawing).getRandomState(), drawn);
  restoreCheckpoint(ckpt, fresh, 'ckpt');
  assert.deepEqual((fresh.layers[1] as Drawing).getRandomState(), drawn);
  await rm(dir, { recursive: true, force: true });
});

test('a checkpoint carries the augmentation layers’ streams: a resumed run draws what it would have', async () => {
  const build = () => {
    setSeed(2);
    const m = sequential({
      layers: [
        layers.randomTranslation(0.5, 0.5, { inputShape: [2, 2, 1], name: 'aug' }),
        layers.flatten(),
        layers.dense({ units: 3, activation: 'softmax', name: 'o' }),
      ],
    });
    m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    return m;
  };
  const dir = await mkdtemp(join(tmpdir(), 'mnist-lab-ckpt-'));
  const m = build();
  const state = new FitState();
  const { x, y } = toyClassification(40);
  await m.fit(x.reshape([40, 2, 2, 1]), y, { epochs: 1, batchSize: 10, verbose: 0, state });
  await writeCheckpoint(dir, {
    model: m,
    fit: state,
    history: { epoch: [0], history: {}, epochSeconds: [0.1] },
  });
  const fresh = build();
  const aug = (model: typeof m) => model.layers[0] as unknown as { getRandomState(): number[] };
  assert.notDeepEqual(aug(fresh).getRandomState(), aug(m).getRandomState());
  restoreCheckpoint(await readCheckpoint(dir), fresh, 'ckpt');
  assert.deepEqual(aug(fresh).getRandomState(), aug(m).getRandomState());
  await rm(dir, { recursive: true, force: true });
});

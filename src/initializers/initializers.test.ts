import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { setSeed } from '../tensor/seed.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  GlorotUniform,
  HeNormal,
  VarianceScaling,
  computeFans,
  getInitializer,
  initializerNames,
  initializers,
} from './index.js';

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  let s = 0;
  let s2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of t.values) {
    s += v;
    s2 += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / t.size;
  return { mean, std: Math.sqrt(s2 / t.size - mean * mean), min, max };
}

test('fans follow Keras, including conv kernels (receptive field x channels)', () => {
  assert.deepEqual(computeFans([]), { fanIn: 1, fanOut: 1 });
  assert.deepEqual(computeFans([7]), { fanIn: 7, fanOut: 7 });
  assert.deepEqual(computeFans([784, 512]), { fanIn: 784, fanOut: 512 });
  assert.deepEqual(computeFans([3, 3, 32, 64]), { fanIn: 288, fanOut: 576 });
});

test('uniform variance scaling: limit sqrt(3 * scale / n) for glorot, he and lecun', () => {
  const shape = [300, 200];
  const cases: [string, number][] = [
    ['glorot_uniform', Math.sqrt(6 / 500)],
    ['he_uniform', Math.sqrt(6 / 300)],
    ['lecun_uniform', Math.sqrt(3 / 300)],
  ];
  for (const [name, limit] of cases) {
    const s = stats(getInitializer(name).apply(shape));
    assert.ok(s.min >= -limit && s.max <= limit, `${name} within ±${limit}`);
    assert.ok(s.max > 0.98 * limit, `${name} reaches its limit`);
    assert.ok(Math.abs(s.std - limit / Math.sqrt(3)) < 0.01 * limit, `${name} std ${s.std}`);
  }
});

test('normal variance scaling is truncated at 2 sigma with the 0.8796 stddev correction', () => {
  const shape = [400, 300];
  const cases: [string, number][] = [
    ['glorot_normal', Math.sqrt(2 / 700)],
    ['he_normal', Math.sqrt(2 / 400)],
    ['lecun_normal', Math.sqrt(1 / 400)],
  ];
  for (const [name, target] of cases) {
    const s = stats(getInitializer(name).apply(shape));
    const raw = target / 0.87962566103423978;
    assert.ok(s.min >= -2 * raw && s.max <= 2 * raw, `${name} truncated at 2 sigma`);
    assert.ok(Math.abs(s.std - target) < 0.01 * target, `${name} std ${s.std} vs ${target}`);
    assert.ok(Math.abs(s.mean) < 0.01 * target);
  }
  const un = stats(
    new VarianceScaling({ scale: 2, distribution: 'untruncated_normal', seed: 1 }).apply([
      500, 200,
    ]),
  );
  assert.ok(Math.abs(un.std - Math.sqrt(2 / 500)) < 0.01 * Math.sqrt(2 / 500));
});

test('random normal / uniform / truncated normal / constants with Keras defaults', () => {
  const n = stats(initializers.randomNormal().apply([200, 200]));
  assert.ok(Math.abs(n.std - 0.05) < 0.001 && Math.abs(n.mean) < 0.001);
  const u = stats(initializers.randomUniform().apply([200, 200]));
  assert.ok(u.min >= -0.05 && u.max < 0.05);
  const t = stats(initializers.truncatedNormal({ mean: 1, stddev: 0.1 }).apply([200, 200]));
  assert.ok(t.min >= 0.8 && t.max <= 1.2);
  assert.deepEqual(Array.from(getInitializer('zeros').apply([3]).values), [0, 0, 0]);
  assert.deepEqual(Array.from(getInitializer('ones').apply([2]).values), [1, 1]);
  assert.deepEqual(Array.from(initializers.constant({ value: 2.5 }).apply([2]).values), [2.5, 2.5]);
  assert.equal(getInitializer('glorotUniform').apply([2, 2], 'float64').dtype, 'float64');
});

test('seeds: a seeded initializer repeats on every call; an unseeded one follows setSeed', () => {
  const seeded = new GlorotUniform({ seed: 7 });
  assert.deepEqual(
    Array.from(seeded.apply([4, 4]).values),
    Array.from(seeded.apply([4, 4]).values),
  );
  assert.deepEqual(
    Array.from(seeded.apply([4, 4]).values),
    Array.from(new GlorotUniform({ seed: 7 }).apply([4, 4]).values),
  );
  const unseeded = new HeNormal();
  assert.notDeepEqual(
    Array.from(unseeded.apply([4, 4]).values),
    Array.from(unseeded.apply([4, 4]).values),
  );
  setSeed(99);
  const a = Array.from(new HeNormal().apply([4, 4]).values);
  setSeed(99);
  const b = Array.from(new HeNormal().apply([4, 4]).values);
  assert.deepEqual(a, b);
});

test('registry: snake, camel and class spellings; serialisation round trip; unknown names', () => {
  for (const name of ['glorot_uniform', 'glorotUniform', 'GlorotUniform']) {
    assert.equal(getInitializer(name).className, 'GlorotUniform');
  }
  for (const className of initializerNames()) {
    const init = getInitializer(className);
    assert.equal(init.className, className);
    const copy = getInitializer(JSON.parse(JSON.stringify(init.serialize())));
    assert.deepEqual(copy.getConfig(), init.getConfig());
  }
  const seeded = getInitializer({ className: 'HeUniform', config: { seed: 3 } });
  assert.deepEqual(seeded.getConfig(), { seed: 3 });
  assert.deepEqual(
    Array.from(seeded.apply([3]).values),
    Array.from(getInitializer(seeded.serialize()).apply([3]).values),
  );
  assert.throws(
    () => getInitializer('glorot_unifrom'),
    /Unknown initializer 'glorot_unifrom'; did you mean 'GlorotUniform'\? Valid initializers: 'Zeros', 'Ones'/,
  );
});

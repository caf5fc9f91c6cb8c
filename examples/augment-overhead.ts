// What augmentation costs per epoch: the seed CNN trained with and without `--augment`'s layers
// (RandomRotation 10 degrees, RandomZoom 0.1, RandomTranslation 0.1), epochs interleaved in one
// process so both see the same machine load; also the augmentation layers alone over an epoch.
// Wall time and CPU time (all threads): on a shared machine the CPU time is the steadier one.
// Run: npm run build && node dist/examples/augment-overhead.js [images] [rounds]
import {
  datasets,
  layers,
  sequential,
  setSeed,
  tensor,
  type Sequential,
  type Tensor,
} from '../node/index.js';

const n = Number(process.argv[2] ?? 20000);
const rounds = Number(process.argv[3] ?? 3);
setSeed(1);
const { train } = await datasets.mnist.loadData();
const x = tensor(train.images.data.subarray(0, n * 784))
  .reshape([n, 28, 28, 1])
  .div(255);
const y = datasets.toCategorical(train.labels.data.subarray(0, n), 10);

const augmentation = () => [
  layers.randomRotation(10 / 360, { fillMode: 'constant', inputShape: [28, 28, 1] }),
  layers.randomZoom(0.1, { fillMode: 'constant' }),
  layers.randomTranslation(0.1, 0.1, { fillMode: 'constant' }),
];

function seedCnn(augment: boolean): Sequential {
  const model = sequential({
    layers: [
      ...(augment ? augmentation() : []),
      layers.conv2d(32, 3, { activation: 'relu', ...(augment ? {} : { inputShape: [28, 28, 1] }) }),
      layers.maxPooling2d(2),
      layers.conv2d(64, 3, { activation: 'relu' }),
      layers.maxPooling2d(2),
      layers.flatten(),
      layers.dense(64, { activation: 'relu' }),
      layers.dense(10, { activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  return model;
}

const plain = seedCnn(false);
const augmented = seedCnn(true);
interface Time {
  wall: number;
  cpu: number;
}
/** Wall and CPU seconds of `run`. */
async function timed(run: () => unknown): Promise<Time> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await run();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}
const epoch = (m: Sequential): Promise<Time> =>
  timed(() => m.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 }));
// The augmentation layers alone, in training mode, over the same batches.
const alone = augmentation();
const batches: Tensor[] = [];
for (let b = 0; b < n; b += 64)
  batches.push(x.slice([b, 0, 0, 0], [Math.min(64, n - b), 28, 28, 1]));
const warpEpoch = (): Promise<Time> =>
  timed(() => {
    for (const batch of batches) {
      let t = batch;
      for (const l of alone) t = l.apply(t, { training: true }) as Tensor;
    }
  });

await epoch(plain); // warm-up
await epoch(augmented);
const times = { plain: [] as Time[], augmented: [] as Time[], warps: [] as Time[] };
for (let r = 0; r < rounds; r++) {
  times.plain.push(await epoch(plain));
  times.augmented.push(await epoch(augmented));
  times.warps.push(await warpEpoch());
}
const median = (a: Time[], k: keyof Time): number =>
  a.map((t) => t[k]).sort((p, q) => p - q)[Math.floor(a.length / 2)]!;
const fmt = (a: Time[]): string =>
  a.map((t) => `${t.wall.toFixed(2)} (cpu ${t.cpu.toFixed(2)})`).join(', ');
console.log(`${n} images, batch 64, ${rounds} interleaved rounds; seconds, wall (cpu)`);
console.log(`epoch without augmentation: ${fmt(times.plain)}`);
console.log(`epoch with augmentation:    ${fmt(times.augmented)}`);
console.log(`the three warps alone:      ${fmt(times.warps)}`);
for (const k of ['wall', 'cpu'] as const) {
  console.log(
    `${k}: with / without ${(median(times.augmented, k) / median(times.plain, k)).toFixed(3)}, ` +
      `warps / plain epoch ${(median(times.warps, k) / median(times.plain, k)).toFixed(3)} (medians)`,
  );
}

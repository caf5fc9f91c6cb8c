import type { Page } from '../app.js';
import { store } from '../api.js';
import { toMnistForm } from '../../src/data/mnist-form.js';
import type { Model } from '../../src/models/index.js';
import { FASHION_MNIST, MNIST } from '../../src/data/dataset-spec.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { fill, h, link, pct } from '../dom.js';
import { fetchModel } from '../model-loader.js';
import { pickBackend } from '../backend.js';

const SIZE = 280;
const MNIST_CLASSES = MNIST.classNames;
const FASHION_CLASSES = FASHION_MNIST.classNames;

/** Runs the model on the 784 values, shaped as its input wants ([1, 784] or [1, 28, 28, 1]). */
export function classify(model: Model, pixels: Float32Array): Float32Array {
  const shape = model.inputs[0]?.shape;
  const x = new Tensor(pixels, shape && shape.length === 4 ? [1, 28, 28, 1] : [1, 784]);
  return Float32Array.from(model.predict(x).values);
}

/** Draw a digit; the chosen run's model reads it live, in the page. */
export const drawPage: Page = (main, params) => {
  const canvas = h('canvas', {
    width: SIZE,
    height: SIZE,
    class: 'pad',
    id: 'pad',
    'aria-label': 'drawing pad',
  });
  const seen = h('canvas', { width: 28, height: 28, class: 'seen', id: 'seen' });
  const bars = h('div', { class: 'bars', id: 'bars' });
  const answer = h('div', { class: 'answer', id: 'answer' });
  const status = h('p', { class: 'hint', id: 'model-status' });
  const select = h('select', { id: 'run-select' });
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const clear = (): void => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, SIZE, SIZE);
    fill(bars);
    fill(answer);
    seen.getContext('2d')!.clearRect(0, 0, 28, 28);
    inked = false;
  };
  let inked = false;
  fill(
    main,
    h('h1', null, 'Draw a digit'),
    h('p', null, h('label', { for: 'run-select' }, 'Model of run '), select, ' ', status),
    h(
      'div',
      { class: 'draw' },
      h(
        'div',
        null,
        canvas,
        h('p', null, h('button', { id: 'clear', onclick: () => clear() }, 'Clear')),
      ),
      h('div', null, h('h3', null, 'What the model sees (28 × 28)'), seen, answer),
      h('div', { class: 'bars-box' }, h('h3', null, 'Probabilities'), bars),
    ),
  );
  clear();

  let model: Model | null = null;
  let classes = MNIST_CLASSES;
  let loadedId = '';
  const choose = async (id: string): Promise<void> => {
    if (id === loadedId) return;
    loadedId = id;
    model = null;
    fill(status, `loading ${id}…`);
    try {
      const m = await fetchModel(id);
      if (loadedId !== id) return;
      model = m;
      const run = store.runs.find((r) => r.id === id);
      classes = run?.config?.['dataset'] === 'fashion-mnist' ? FASHION_CLASSES : MNIST_CLASSES;
      fill(status, `ready (backend ${await pickBackend()})`);
      status.dataset['ready'] = id;
      if (inked) predict();
    } catch (e) {
      fill(status, h('span', { class: 'error' }, (e as Error).message));
    }
  };
  select.addEventListener('change', () => {
    history.replaceState(null, '', link('draw', { id: select.value }));
    void choose(select.value);
  });
  const renderRuns = (): void => {
    const runs = store.runs
      .filter((r) => r.hasModel && r.state !== 'running')
      .sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
    const want = loadedId || params['id'] || runs[0]?.id || '';
    fill(
      select,
      runs.length === 0
        ? h('option', { value: '' }, '(no run with a saved model yet)')
        : runs.map((r) => h('option', { value: r.id, selected: r.id === want }, r.id)),
    );
    if (want && runs.some((r) => r.id === want)) void choose(want);
  };

  const predict = (): void => {
    if (!model) return;
    const img = ctx.getImageData(0, 0, SIZE, SIZE);
    const pixels = toMnistForm({ data: img.data, width: SIZE, height: SIZE, channels: 4 });
    const small = seen.getContext('2d')!;
    const view = small.createImageData(28, 28);
    pixels.forEach((v, i) => {
      const g = Math.round(255 * v);
      view.data.set([g, g, g, 255], i * 4);
    });
    small.putImageData(view, 0, 0);
    const p = classify(model, pixels);
    let best = 0;
    p.forEach((v, i) => {
      if (v > p[best]!) best = i;
    });
    fill(
      answer,
      'The model reads ',
      h('strong', { id: 'predicted', 'data-class': best }, classes[best] ?? String(best)),
      ` (${pct(p[best])})`,
    );
    fill(
      bars,
      Array.from(p, (v, i) =>
        h(
          'div',
          { class: `bar${i === best ? ' best' : ''}` },
          h('span', { class: 'label' }, classes[i] ?? String(i)),
          h('span', { class: 'fill', style: `width:${(100 * v).toFixed(1)}%` }),
          h('span', { class: 'value' }, pct(v)),
        ),
      ),
    );
  };

  // Strokes: white on black, as MNIST's digits are; the model reads after every stroke and,
  // throttled, while one is drawn.
  let drawing = false;
  let last: [number, number] | null = null;
  let lastPredict = 0;
  const at = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * SIZE) / r.width, ((e.clientY - r.top) * SIZE) / r.height];
  };
  const stroke = (to: [number, number]): void => {
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 20;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(...(last ?? to));
    ctx.lineTo(...to);
    ctx.stroke();
    last = to;
    inked = true;
  };
  canvas.addEventListener('pointerdown', (e) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    last = null;
    stroke(at(e));
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    stroke(at(e));
    if (performance.now() - lastPredict > 100) {
      lastPredict = performance.now();
      predict();
    }
  });
  const end = (): void => {
    if (!drawing) return;
    drawing = false;
    last = null;
    predict();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  renderRuns();
  return store.on((what) => {
    if (what === 'runs') renderRuns();
  });
};

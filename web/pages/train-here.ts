import type { Page } from '../app.js';
import { foldProgress, type ProgressEvent } from '../../src/experiments/progress.js';
import type { Model } from '../../src/models/index.js';
import { fill, h, num, pct } from '../dom.js';
import { LiveView } from '../live.js';
import { trainInPage, type InPageConfig, type InPageMessage } from '../train-core.js';

/** Train a small model in this page (a Web Worker, or the page's own thread with yieldEvery). */
export const trainHerePage: Page = (main) => {
  const field = (name: string, label: string, value: string): HTMLElement =>
    h(
      'label',
      { for: `p-${name}` },
      label,
      h('input', { type: 'text', id: `p-${name}`, name, value }),
    );
  const modelSel = h(
    'select',
    { id: 'p-model', name: 'model' },
    h('option', { value: 'mlp' }, 'mlp'),
    h('option', { value: 'cnn' }, 'cnn'),
  );
  const whereSel = h(
    'select',
    { id: 'p-where', name: 'where' },
    h('option', { value: 'worker' }, 'a Web Worker'),
    h('option', { value: 'main' }, "the page's own thread (yieldEvery 'auto')"),
  );
  const form = h(
    'form',
    { class: 'grid-form', id: 'here-form' },
    h('label', { for: 'p-model' }, 'model', modelSel),
    field('hidden', 'hidden sizes', '128'),
    field('samples', 'training images', '2000'),
    field('epochs', 'epochs', '5'),
    field('batch', 'batch size', '32'),
    field('lr', 'learning rate (Adam)', '0.001'),
    h('label', { for: 'p-where' }, 'train in', whereSel),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', id: 'start-here' }, 'Train'),
      h('button', { type: 'button', id: 'stop-here', disabled: true }, 'Stop'),
    ),
  );
  const stopBtn = form.querySelector<HTMLButtonElement>('#stop-here')!;
  const startBtn = form.querySelector<HTMLButtonElement>('#start-here')!;
  const clock = h('span', { id: 'clock' }, '0');
  const gap = h('span', { id: 'gap' }, '–');
  const statusEl = h('p', { id: 'here-status', class: 'hint' });
  const result = h('p', { id: 'here-result' });
  const live = new LiveView('in-page training');
  fill(
    main,
    h('h1', null, 'Train in the page'),
    h(
      'p',
      { class: 'hint' },
      'A small model trained by the library right here, on a slice of the data the server sends. The clock below ticks every 50 ms: it keeps ticking while the model trains.',
    ),
    form,
    h(
      'p',
      { class: 'clock' },
      'Clock ticks: ',
      clock,
      ' · longest gap between ticks during training: ',
      gap,
      ' ms',
    ),
    statusEl,
    live.el,
    result,
  );

  // The responsiveness probe.
  let ticks = 0;
  let lastTick = performance.now();
  let longest = 0;
  let training = false;
  const timer = setInterval(() => {
    const now = performance.now();
    if (training) longest = Math.max(longest, now - lastTick);
    lastTick = now;
    ticks++;
    clock.textContent = String(ticks);
    if (training) gap.textContent = longest.toFixed(0);
  }, 50);

  let worker: Worker | null = null;
  let model: Model | null = null;
  let events: ProgressEvent[] = [];
  let frame = 0;
  const onMessage = (m: InPageMessage): void => {
    if (m.type === 'progress') {
      events.push(m.event);
      // One redraw per animation frame at most.
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          live.update(foldProgress(events));
        });
    } else if (m.type === 'status') fill(statusEl, m.text);
    else if (m.type === 'error') {
      fill(statusEl, h('span', { class: 'error' }, m.message));
      finish();
    } else if (m.type === 'done') {
      live.update(foldProgress(events));
      fill(
        result,
        h(
          'span',
          { id: 'here-test', 'data-accuracy': m.test.accuracy },
          `Test accuracy ${pct(m.test.accuracy)}, loss ${num(m.test.loss)}`,
        ),
        ` after ${m.seconds.toFixed(1)} s on the ${m.backend} backend.`,
      );
      fill(statusEl, 'done');
      finish();
    }
  };
  const finish = (): void => {
    training = false;
    startBtn.disabled = false;
    stopBtn.disabled = true;
    worker?.terminate();
    worker = null;
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const get = (n: string): string =>
      (form.elements.namedItem(n) as HTMLInputElement).value.trim();
    const hidden = get('hidden') === 'none' ? [] : get('hidden').split(',').map(Number);
    const cfg: InPageConfig = {
      model: modelSel.value as 'mlp' | 'cnn',
      hidden,
      samples: Number(get('samples')),
      testSamples: 1000,
      epochs: Number(get('epochs')),
      batchSize: Number(get('batch')),
      lr: Number(get('lr')),
      validationSplit: 0.1,
      dataset: 'mnist',
      seed: 42,
    };
    const bad = [
      hidden.some((x) => !Number.isInteger(x) || x < 1) &&
        'hidden sizes: whole numbers >= 1, comma-separated, or none',
      !(Number.isInteger(cfg.samples) && cfg.samples >= 100 && cfg.samples <= 10000) &&
        'training images: 100 to 10000',
      !(Number.isInteger(cfg.epochs) && cfg.epochs >= 1 && cfg.epochs <= 100) && 'epochs: 1 to 100',
      !(Number.isInteger(cfg.batchSize) && cfg.batchSize >= 1) && 'batch size: a whole number >= 1',
      !(cfg.lr > 0) && 'learning rate: a positive number',
    ].filter(Boolean);
    if (bad.length) {
      fill(statusEl, h('span', { class: 'error' }, bad.join('; ')));
      return;
    }
    events = [];
    fill(result);
    longest = 0;
    lastTick = performance.now();
    training = true;
    startBtn.disabled = true;
    stopBtn.disabled = false;
    if (whereSel.value === 'worker') {
      worker = new Worker('train-worker.js', { type: 'module' });
      worker.onmessage = (ev: MessageEvent<InPageMessage>) => onMessage(ev.data);
      worker.onerror = (ev) =>
        onMessage({ type: 'error', message: ev.message || 'the worker failed' });
      worker.postMessage({ type: 'start', config: cfg });
    } else {
      trainInPage(cfg, onMessage, (m) => (model = m)).catch((err: Error) =>
        onMessage({ type: 'error', message: err.message }),
      );
    }
  });
  stopBtn.addEventListener('click', () => {
    if (worker) worker.postMessage({ type: 'stop' });
    else if (model) model.stopTraining = true;
    fill(statusEl, 'stopping after this batch…');
  });

  return () => {
    clearInterval(timer);
    worker?.terminate();
    if (model) model.stopTraining = true;
  };
};

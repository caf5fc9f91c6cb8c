import type { Page } from '../app.js';
import { api, store, type JobInfo } from '../api.js';
import { OPTIMIZER_NAMES } from '../../src/optimizers/index.js';
import { fill, h, link, when } from '../dom.js';

type Field = {
  flag: string;
  label: string;
  kind: 'text' | 'number' | 'select' | 'check';
  options?: string[];
  placeholder?: string;
  value?: string;
};

/** The train flags the form offers (the server parses them with train's own parsers). */
const TRAIN_FIELDS: Field[] = [
  { flag: 'model', label: 'model', kind: 'select', options: ['mlp', 'cnn'] },
  {
    flag: 'hidden',
    label: 'hidden sizes',
    kind: 'text',
    placeholder: '512 (cnn: 64), e.g. 512,256 or none',
  },
  {
    flag: 'activation',
    label: 'activation',
    kind: 'select',
    options: ['relu', 'elu', 'leaky_relu', 'sigmoid', 'tanh'],
  },
  { flag: 'dropout', label: 'dropout', kind: 'number', placeholder: '0' },
  { flag: 'batchnorm', label: 'batch normalization', kind: 'check' },
  {
    flag: 'optimizer',
    label: 'optimizer',
    kind: 'select',
    // Every registered optimizer, the CLI's default first.
    options: ['adam', ...OPTIMIZER_NAMES.map((n) => n.toLowerCase()).filter((n) => n !== 'adam')],
  },
  {
    flag: 'lr',
    label: 'learning rate',
    kind: 'number',
    placeholder: "the optimizer's Keras default",
  },
  { flag: 'momentum', label: 'momentum', kind: 'number', placeholder: 'sgd / rmsprop only' },
  {
    flag: 'loss',
    label: 'loss',
    kind: 'select',
    options: ['categorical_crossentropy', 'sparse_categorical_crossentropy'],
  },
  { flag: 'epochs', label: 'epochs', kind: 'number', value: '5' },
  { flag: 'batch-size', label: 'batch size', kind: 'number', placeholder: '128 (cnn: 64)' },
  {
    flag: 'validation-split',
    label: 'validation split',
    kind: 'number',
    placeholder: '0, e.g. 0.1',
  },
  { flag: 'early-stopping', label: 'early-stopping patience', kind: 'number', placeholder: 'off' },
  { flag: 'seed', label: 'seed', kind: 'number', placeholder: '42' },
  { flag: 'dataset', label: 'dataset', kind: 'select', options: ['mnist', 'fashion-mnist'] },
  { flag: 'train-samples', label: 'train samples', kind: 'number', placeholder: 'all' },
  { flag: 'test-samples', label: 'test samples', kind: 'number', placeholder: 'all' },
  { flag: 'backend', label: 'backend', kind: 'select', options: ['', 'native', 'js'] },
];

function fieldInput(f: Field, prefix: string): HTMLElement {
  const name = `${prefix}-${f.flag}`;
  if (f.kind === 'select') {
    return h(
      'select',
      { name, id: name },
      f.options!.map((o) => h('option', { value: o }, o === '' ? '(default)' : o)),
    );
  }
  if (f.kind === 'check') return h('input', { type: 'checkbox', name, id: name });
  return h('input', {
    type: 'text',
    inputmode: f.kind === 'number' ? 'decimal' : undefined,
    name,
    id: name,
    placeholder: f.placeholder ?? '',
    value: f.value ?? '',
  });
}

/** The form's values as CLI arguments: only fields the user filled. */
function argsOf(form: HTMLFormElement, fields: Field[], prefix: string): string[] {
  const args: string[] = [];
  for (const f of fields) {
    const el = form.elements.namedItem(`${prefix}-${f.flag}`) as
      HTMLInputElement | HTMLSelectElement | null;
    if (!el) continue;
    if (f.kind === 'check') {
      if ((el as HTMLInputElement).checked) args.push(`--${f.flag}`);
    } else if (el.value.trim() !== '' && !(f.kind === 'select' && el.value === f.options![0])) {
      // A select's first option is the CLI's default: left out, as a user would leave it out.
      args.push(`--${f.flag}`, el.value.trim());
    }
  }
  return args;
}

/** Splits extra flags as a shell would for simple words and quotes. */
function words(s: string): string[] {
  return [...s.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

function jobPanel(j: JobInfo): HTMLElement {
  const running = j.state === 'running' || j.state === 'stopping';
  return h(
    'div',
    { class: `job ${j.state}`, 'data-kind': j.kind },
    h(
      'h3',
      null,
      `${j.kind}: `,
      h('span', { class: `badge ${j.state}` }, j.state),
      ` since ${when(j.startedAt)}`,
    ),
    h('p', null, h('code', null, `mnist-lab ${j.kind} ${j.args.join(' ')}`)),
    h(
      'p',
      null,
      j.kind === 'train'
        ? h('a', { href: link('run', { id: j.folder }) }, `watch ${j.folder}`)
        : h('a', { href: link('sweep', { id: j.folder }) }, `open ${j.folder}`),
    ),
    running
      ? h(
          'button',
          {
            class: 'stop',
            disabled: j.state === 'stopping',
            onclick: () =>
              void api(`/api/jobs/${j.kind}/stop`, { method: 'POST', body: '{}' }).catch(
                (e: Error) => alert(e.message),
              ),
          },
          j.state === 'stopping' ? 'Stopping…' : 'Stop',
        )
      : null,
    h('pre', { class: 'output' }, j.output.join('\n')),
  );
}

/** Start a train or a sweep; follow the jobs the server runs. */
export const startPage: Page = (main) => {
  const trainError = h('p', { class: 'error', role: 'alert' });
  const sweepError = h('p', { class: 'error', role: 'alert' });
  const trainForm = h(
    'form',
    { class: 'grid-form', id: 'train-form' },
    TRAIN_FIELDS.map((f) => h('label', { for: `t-${f.flag}` }, f.label, fieldInput(f, 't'))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Start training'), trainError),
  );
  trainForm.addEventListener('submit', (e) => {
    e.preventDefault();
    fill(trainError);
    const args = argsOf(trainForm, TRAIN_FIELDS, 't');
    api<JobInfo>('/api/jobs', { method: 'POST', body: JSON.stringify({ kind: 'train', args }) })
      .then((job) => {
        location.hash = link('run', { id: job.folder });
      })
      .catch((err: Error) => fill(trainError, err.message));
  });

  const presetSelect = h(
    'select',
    { name: 's-preset', id: 's-preset' },
    h('option', { value: '' }, '(none: use the grid)'),
  );
  void api<{ presets: { name: string; description: string }[] }>('/api/presets').then(
    ({ presets }) => {
      for (const p of presets)
        presetSelect.append(h('option', { value: p.name }, `${p.name}: ${p.description}`));
    },
  );
  const grid = h('textarea', {
    name: 's-grid',
    id: 's-grid',
    rows: 3,
    placeholder: 'one per line, e.g.\nhidden=128,256,512\nlr=0.01,0.001',
  });
  const extra = h('input', {
    type: 'text',
    name: 's-extra',
    id: 's-extra',
    placeholder: 'any train flag, e.g. --epochs 2 --train-samples 10000',
  });
  const sweepForm = h(
    'form',
    { class: 'grid-form', id: 'sweep-form' },
    h('label', { for: 's-preset' }, 'preset', presetSelect),
    h('label', { for: 's-grid' }, 'grid', grid),
    h('label', { for: 's-extra' }, 'other flags', extra),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Start sweep'), sweepError),
  );
  sweepForm.addEventListener('submit', (e) => {
    e.preventDefault();
    fill(sweepError);
    const args = [
      ...(presetSelect.value ? [presetSelect.value] : []),
      ...grid.value
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .flatMap((l) => ['--grid', l]),
      ...words(extra.value),
    ];
    api<JobInfo>('/api/jobs', { method: 'POST', body: JSON.stringify({ kind: 'sweep', args }) })
      .then(() => undefined)
      .catch((err: Error) => fill(sweepError, err.message));
  });

  const jobs = h('div', { class: 'jobs' });
  const renderJobs = (): void =>
    fill(
      jobs,
      store.jobs.length
        ? store.jobs.map(jobPanel)
        : h('p', { class: 'empty' }, 'No job started from this page yet.'),
    );
  fill(
    main,
    h('h1', null, 'Train'),
    h(
      'p',
      { class: 'hint' },
      'The same flags as ',
      h('code', null, 'mnist-lab train'),
      '; empty fields take their defaults. One training and one sweep at a time.',
    ),
    trainForm,
    h('h1', null, 'Sweep'),
    sweepForm,
    h('h1', null, 'Jobs'),
    jobs,
  );
  renderJobs();
  return store.on((what) => {
    if (what === 'jobs') renderJobs();
  });
};

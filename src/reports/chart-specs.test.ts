import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile, type TopLevelSpec } from 'vega-lite';
import {
  metricTitle,
  overlaySpec,
  runCurvesSpec,
  seriesColors,
  type RunCurves,
} from './chart-specs.js';

// The specs are plain JSON; tests read them back as loosely typed objects.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const full: RunCurves = {
  label: 'hidden=256 seed=42',
  group: 'hidden=256',
  history: {
    loss: [0.42, 0.19, 0.13],
    accuracy: [0.88, 0.945, 0.962],
    val_loss: [0.21, 0.15, 0.12],
    val_accuracy: [0.938, 0.956, 0.965],
  },
};

function panels(spec: TopLevelSpec | Json): Json[] {
  return (spec as Json).hconcat as Json[];
}

function rows(unit: Json): Json[] {
  return unit.data.values as Json[];
}

/** Compiles with a logger that records Vega-Lite's warnings instead of printing them. */
function compileWarnings(spec: TopLevelSpec | Json): string[] {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...m: unknown[]) => void warnings.push(`error: ${m.join(' ')}`),
    warn: (...m: unknown[]) => void warnings.push(m.join(' ')),
    info: () => logger,
    debug: () => logger,
  };
  compile(spec as TopLevelSpec, { logger: logger as never });
  return warnings;
}

function sweep(): RunCurves[] {
  const runs: RunCurves[] = [];
  for (const hidden of [64, 128, 1024]) {
    for (const seed of [1, 2]) {
      runs.push({
        label: `hidden=${hidden} seed=${seed}`,
        group: `hidden=${hidden}`,
        history: { loss: [0.5, 0.3], val_accuracy: [0.9, 0.95 + hidden / 1e5 + seed / 1e4] },
      });
    }
  }
  return runs;
}

describe('metricTitle', () => {
  it('names training and validation keys in words', () => {
    assert.equal(metricTitle('val_accuracy'), 'Validation accuracy');
    assert.equal(metricTitle('val_loss'), 'Validation loss');
    assert.equal(metricTitle('loss'), 'Training loss');
    assert.equal(
      metricTitle('sparse_categorical_accuracy'),
      'Training sparse categorical accuracy',
    );
    assert.equal(metricTitle('val_acc'), 'Validation accuracy');
    assert.equal(metricTitle('mse'), 'Training MSE');
    assert.equal(metricTitle('lr'), 'Learning rate');
  });
});

describe('runCurvesSpec', () => {
  it('draws loss then accuracy side by side, each with train and validation lines', () => {
    const spec = runCurvesSpec(full) as Json;
    assert.equal(spec.title.text, 'hidden=256 seed=42');
    const [loss, acc] = panels(spec);
    assert.equal(panels(spec).length, 2);
    assert.equal(loss!.title, 'Loss');
    assert.equal(acc!.title, 'Accuracy');
    for (const p of [loss!, acc!]) {
      assert.deepEqual([...new Set(rows(p).map((r) => r.series))], ['train', 'validation']);
      assert.equal(p.encoding.color.field, 'series');
    }
    assert.deepEqual(
      rows(loss!).filter((r) => r.series === 'validation'),
      [
        { epoch: 1, value: 0.21, series: 'validation' },
        { epoch: 2, value: 0.15, series: 'validation' },
        { epoch: 3, value: 0.12, series: 'validation' },
      ],
    );
  });

  it('counts epochs from 1 with whole-number ticks', () => {
    const [loss] = panels(runCurvesSpec(full));
    assert.equal(Math.min(...rows(loss!).map((r) => r.epoch)), 1);
    assert.deepEqual(loss!.encoding.x.scale.domain, [1, 3]);
    assert.equal(loss!.encoding.x.axis.tickMinStep, 1);
    assert.equal(loss!.encoding.x.axis.format, 'd');
  });

  it('shows accuracy as a percentage on a scale that does not start at zero', () => {
    const [loss, acc] = panels(runCurvesSpec(full));
    assert.match(acc!.encoding.y.axis.format, /%$/);
    assert.doesNotMatch(loss!.encoding.y.axis.format, /%/);
    assert.equal(acc!.encoding.y.scale.zero, false);
  });

  it('keeps the train and validation colours fixed across figures', () => {
    const a = panels(runCurvesSpec(full))[0]!.encoding.color.scale;
    assert.deepEqual(a.domain, ['train', 'validation']);
    assert.deepEqual(a.range, [seriesColors.train, seriesColors.validation]);
    const noVal = runCurvesSpec({ ...full, history: { loss: [1, 0.5], accuracy: [0.5, 0.7] } });
    const b = panels(noVal)[0]!.encoding.color.scale;
    // No validation line, so no 'validation' legend entry, and train keeps its colour.
    assert.deepEqual(b.domain, ['train']);
    assert.deepEqual(b.range, [seriesColors.train]);
    assert.ok(panels(noVal).every((p) => rows(p).every((r) => r.series === 'train')));
  });

  it('drops NaN and infinite values from a diverged run', () => {
    const spec = runCurvesSpec({
      ...full,
      history: { loss: [0.5, Infinity, NaN, -Infinity], accuracy: [0.6, 0.1, NaN, NaN] },
    });
    const [loss, acc] = panels(spec);
    assert.deepEqual(
      rows(loss!).map((r) => [r.epoch, r.value]),
      [[1, 0.5]],
    );
    assert.deepEqual(
      rows(acc!).map((r) => r.epoch),
      [1, 2],
    );
    assert.doesNotThrow(() => JSON.stringify(spec));
  });

  it('marks each epoch with a point only when there are few epochs', () => {
    assert.ok(panels(runCurvesSpec(full))[0]!.mark.point);
    const long = Array.from({ length: 50 }, (_, i) => 1 / (i + 1));
    const spec = runCurvesSpec({ ...full, history: { loss: long } });
    assert.equal(panels(spec)[0]!.mark.point, undefined);
  });

  it('applies title and size options', () => {
    const spec = runCurvesSpec(full, { title: 'Best run', width: 200, height: 150 }) as Json;
    assert.equal(spec.title.text, 'Best run');
    assert.equal(panels(spec)[0]!.width, 200);
    assert.equal(panels(spec)[0]!.height, 150);
  });

  it('compiles without Vega-Lite warnings', () => {
    assert.deepEqual(compileWarnings(runCurvesSpec(full)), []);
  });

  it('rejects an empty history', () => {
    assert.throws(() => runCurvesSpec({ ...full, history: {} }), /recorded no history/);
  });
});

describe('overlaySpec', () => {
  it('draws one line per run, coloured by group in first-seen order', () => {
    const spec = overlaySpec(sweep(), 'val_accuracy', { groupTitle: 'hidden' }) as Json;
    assert.equal(spec.title.text, 'Validation accuracy');
    assert.equal(spec.encoding.color.field, 'group');
    assert.equal(spec.encoding.color.title, 'hidden');
    // Numeric order as given, not the string sort '1024, 128, 64'; the shared 'hidden=' is dropped.
    assert.deepEqual(spec.encoding.color.scale.domain, ['64', '128', '1024']);
    assert.equal(spec.encoding.detail.field, 'run');
    const byRun = new Map<string, number>();
    for (const r of spec.data.values as Json[]) byRun.set(r.run, (byRun.get(r.run) ?? 0) + 1);
    assert.equal(byRun.size, 6);
    assert.ok([...byRun.values()].every((n) => n === 2));
  });

  it('keeps group names whole without a groupTitle, or when a group lacks the prefix', () => {
    const runs = sweep();
    assert.deepEqual((overlaySpec(runs, 'loss') as Json).encoding.color.scale.domain, [
      'hidden=64',
      'hidden=128',
      'hidden=1024',
    ]);
    const mixed = [...runs, { label: 'baseline', group: 'baseline', history: { loss: [1] } }];
    const spec = overlaySpec(mixed, 'loss', { groupTitle: 'hidden' }) as Json;
    assert.deepEqual(spec.encoding.color.scale.domain, [
      'hidden=64',
      'hidden=128',
      'hidden=1024',
      'baseline',
    ]);
    assert.equal(spec.title.text, 'Training loss');
  });

  it("keeps labels with '.', '[' and ']' in values, never in field names", () => {
    const runs: RunCurves[] = [
      { label: 'lr=1e-3 [a.b]', group: 'opt.adam[0]', history: { loss: [1, 0.5] } },
      { label: 'x.y', group: 'g', history: { loss: [1, 0.6] } },
    ];
    const spec = overlaySpec(runs, 'loss') as Json;
    const fields = Object.values(spec.encoding as Json).flatMap((e: Json | Json[]) =>
      (Array.isArray(e) ? e : [e]).map((d) => d.field as string),
    );
    assert.ok(
      fields.every((f) => /^[a-z]+$/.test(f)),
      fields.join(', '),
    );
    assert.deepEqual(
      [...new Set((spec.data.values as Json[]).map((r) => r.run))],
      ['lr=1e-3 [a.b]', 'x.y'],
    );
    assert.deepEqual(spec.encoding.color.scale.domain, ['opt.adam[0]', 'g']);
    assert.deepEqual(compileWarnings(spec), []);
  });

  it('drops non-finite values but keeps the diverged run in the legend', () => {
    const runs: RunCurves[] = [
      { label: 'ok', group: 'lr=0.01', history: { loss: [1, 0.5, 0.4] } },
      { label: 'diverged', group: 'lr=10', history: { loss: [3, NaN, Infinity] } },
    ];
    const spec = overlaySpec(runs, 'loss') as Json;
    assert.deepEqual(
      (spec.data.values as Json[]).filter((r) => r.run === 'diverged').map((r) => r.value),
      [3],
    );
    assert.deepEqual(spec.encoding.color.scale.domain, ['lr=0.01', 'lr=10']);
  });

  it('names the recorded keys when no run recorded the metric', () => {
    const runs: RunCurves[] = [{ label: 'a', group: 'g', history: { loss: [1], accuracy: [0.5] } }];
    assert.throws(() => overlaySpec(runs, 'val_accuracy'), {
      message: "no run recorded 'val_accuracy'; recorded keys: loss, accuracy",
    });
  });

  it('rejects two runs with one label', () => {
    const run: RunCurves = { label: 'a', group: 'g', history: { loss: [1] } };
    assert.throws(() => overlaySpec([run, run], 'loss'), /two runs share the label 'a'/);
  });

  it('compiles without Vega-Lite warnings', () => {
    assert.deepEqual(compileWarnings(overlaySpec(sweep(), 'val_accuracy')), []);
  });
});

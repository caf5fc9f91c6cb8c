import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSpec } from '../experiments/model-spec.js';
import type { RunRecord } from '../experiments/run-record.js';
import { toCsv } from './csv.js';
import { markdownTable } from './markdown-table.js';
import {
  resultsCsv,
  settingsTable,
  summarizeSettings,
  sweepReportMarkdown,
} from './sweep-report.js';

function record(
  id: string,
  lr: string,
  seed: number,
  acc: number,
  extra: Partial<RunRecord> = {},
): RunRecord {
  return {
    id,
    settingId: `lr-${lr}`,
    setting: { lr },
    repeat: seed - 1,
    seed,
    spec: defaultSpec(),
    status: 'ok',
    testLoss: 0.1,
    testAccuracy: acc,
    bestValAccuracy: acc + 0.001,
    bestValEpoch: 3,
    epochsRun: 5,
    stoppedEarly: false,
    trainSeconds: 2,
    history: { loss: [1, 0.5] },
    backend: 'js',
    finishedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

test('markdownTable pads columns, right-aligns numbers and escapes pipes', () => {
  assert.equal(
    markdownTable(['a', 'value'], [['x|y', '1.5']], ['left', 'right']),
    ['| a    | value |', '| ---- | ----: |', '| x\\|y |   1.5 |'].join('\n'),
  );
});

test('toCsv quotes commas, quotes and line breaks; null is empty', () => {
  assert.equal(
    toCsv(
      ['a', 'b'],
      [
        ['512,256', 'say "hi"'],
        [null, 3],
      ],
    ),
    'a,b\r\n"512,256","say ""hi"""\r\n,3\r\n',
  );
});

test('repeats of a setting become one row with mean ± std; early stops and failures are said', () => {
  const records = [
    record('a1', '0.01', 1, 0.97),
    record('a2', '0.01', 2, 0.98, { stoppedEarly: true, epochsRun: 4 }),
    record('b1', '0.001', 1, 0.9),
    record('b2', '0.001', 2, 0, {
      status: 'failed',
      testAccuracy: null,
      testLoss: null,
      error: 'NaN',
    }),
  ];
  const s = summarizeSettings(records);
  assert.equal(s.length, 2);
  assert.equal(s[0]!.runs, 2);
  assert.ok(Math.abs(s[0]!.testAccuracy.mean - 0.975) < 1e-12);
  assert.equal(s[1]!.failed, 1);
  assert.equal(s[1]!.testAccuracy.mean, 0.9, 'the failed run is left out of the mean');
  const table = settingsTable(s, ['lr']).split('\n');
  assert.match(
    table[0]!,
    /^\| lr +\| +test loss \| test acc \(%\) \| best val acc \(%\) \| best val epoch \| +epochs run \| train time \(s\) \|$/,
  );
  assert.match(
    table[2]!,
    /\| 0\.01 +\| 0\.1000 ± 0\.0000 \| +97\.50 ± 0\.71 \|.*4\.5 ± 0\.7 \(1\/2 stopped early\)/,
  );
  assert.match(table[3]!, /\| 0\.001 .*90\.00 \|.*\(1\/2 failed\)/);
});

test('results.csv has one row per run and report.md the table, progress and figures', () => {
  const records = [record('a', '0.01', 1, 0.97), record('b', '0.001', 1, 0.9)];
  const csv = resultsCsv(records, ['lr']).trim().split('\r\n');
  assert.equal(csv.length, 3);
  assert.equal(
    csv[0],
    'run,lr,repeat,seed,status,test_loss,test_accuracy,best_val_accuracy,best_val_epoch,epochs_run,stopped_early,train_seconds,backend,error',
  );
  assert.equal(csv[1], 'a,0.01,1,1,ok,0.1,0.97,0.971,3,5,false,2,js,');
  const md = sweepReportMarkdown({
    title: 'Sweep: lr',
    intro: ['Learning rates.'],
    fixed: { optimizer: 'rmsprop' },
    axisKeys: ['lr'],
    records,
    planned: 3,
    figures: [{ title: 'Validation accuracy, all runs', path: 'figures/val_accuracy.png' }],
  });
  assert.match(md, /^# Sweep: lr\n\nLearning rates\.\n/);
  assert.match(md, /- optimizer: rmsprop/);
  assert.match(md, /2 of 3 runs finished so far/);
  assert.match(md, /\| 0\.01 +\| +0\.1000 \| +97\.00 \| +97\.10 \| +3 \| +5 \| +2\.0 \|/);
  assert.match(md, /!\[Validation accuracy, all runs\]\(figures\/val_accuracy\.png\)/);
});

test("the notebook's figure sits beside each row; the best setting by validation accuracy is named", () => {
  const records = [
    record('a', '0.01', 1, 0.95),
    record('b', '0.001', 1, 0.98, { bestValAccuracy: 0.985, bestValEpoch: 7 }),
    record('c', '0.0001', 1, 0.97),
  ];
  const md = sweepReportMarkdown({
    title: 'Sweep: lr',
    intro: [],
    fixed: {},
    axisKeys: ['lr'],
    records,
    planned: 3,
    figures: [],
    notebook: { column: 'notebook test acc (%)', values: { '0.01': '97.10', '0.001': '98.00' } },
  });
  assert.match(md, /\| lr +\| notebook test acc \(%\) \| +test loss \|/);
  assert.match(md, /\| 0\.01 +\| +97\.10 \| +0\.1000 \| +95\.00 \|/);
  assert.match(md, /\| 0\.0001 +\| +– \|/);
  assert.match(md, /Best setting by best validation accuracy: lr 0\.001 \(98\.50% at epoch 7\)\./);
  // Without validation there is no best setting to name.
  const none = records.map((r) => ({ ...r, bestValAccuracy: null, bestValEpoch: null }));
  assert.doesNotMatch(
    sweepReportMarkdown({
      title: 't',
      intro: [],
      fixed: {},
      axisKeys: ['lr'],
      records: none,
      planned: 3,
      figures: [],
    }),
    /Best setting/,
  );
});

import type { RunRecord } from '../experiments/run-record.js';
import { meanStd } from '../experiments/sweep-plan.js';
import { toCsv } from './csv.js';
import { markdownTable } from './markdown-table.js';

/** One table row: the runs of one setting (its repeats), aggregated. */
export interface SettingSummary {
  settingId: string;
  setting: Record<string, string>;
  runs: number;
  failed: number;
  testLoss: { mean: number; std: number };
  testAccuracy: { mean: number; std: number };
  bestValAccuracy: { mean: number; std: number };
  bestValEpoch: { mean: number; std: number };
  epochsRun: { mean: number; std: number };
  stoppedEarly: number;
  trainSeconds: { mean: number; std: number };
}

const finite = (xs: readonly (number | null)[]): number[] =>
  xs.filter((x): x is number => x !== null && Number.isFinite(x));

/** Aggregates runs per setting, in the order settings first appear (the plan's order). */
export function summarizeSettings(records: readonly RunRecord[]): SettingSummary[] {
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    const g = groups.get(r.settingId);
    if (g) g.push(r);
    else groups.set(r.settingId, [r]);
  }
  return [...groups.values()].map((runs) => {
    const ok = runs.filter((r) => r.status === 'ok');
    return {
      settingId: runs[0]!.settingId,
      setting: runs[0]!.setting,
      runs: runs.length,
      failed: runs.length - ok.length,
      testLoss: meanStd(finite(ok.map((r) => r.testLoss))),
      testAccuracy: meanStd(finite(ok.map((r) => r.testAccuracy))),
      bestValAccuracy: meanStd(finite(runs.map((r) => r.bestValAccuracy))),
      bestValEpoch: meanStd(finite(runs.map((r) => r.bestValEpoch))),
      epochsRun: meanStd(runs.map((r) => r.epochsRun)),
      stoppedEarly: runs.filter((r) => r.stoppedEarly).length,
      trainSeconds: meanStd(runs.map((r) => r.trainSeconds)),
    };
  });
}

/**
 * What a notebook reported for the settings a preset reruns, shown beside each row. Only
 * figures the notebook printed belong here; `note` says when the per-row figures are unknown.
 */
export interface NotebookFigures {
  /** The column title, e.g. 'notebook test acc (%)'. */
  column: string;
  /** By the row's swept labels joined with ' / ' (e.g. '256'). */
  values: Readonly<Record<string, string>>;
}

/** The swept labels of a setting, joined as NotebookFigures keys them. */
export function settingKey(setting: Record<string, string>, axisKeys: readonly string[]): string {
  return axisKeys.map((k) => setting[k] ?? '').join(' / ');
}

/**
 * The setting with the best mean best-validation-accuracy (what seed notebook 003 prints),
 * or null when no run validated.
 */
export function bestSetting(summaries: readonly SettingSummary[]): SettingSummary | null {
  let best: SettingSummary | null = null;
  for (const s of summaries) {
    if (!Number.isFinite(s.bestValAccuracy.mean)) continue;
    if (!best || s.bestValAccuracy.mean > best.bestValAccuracy.mean) best = s;
  }
  return best;
}

function fmt(s: { mean: number; std: number }, n: number, digits: number, scale = 1): string {
  if (!Number.isFinite(s.mean)) return '–';
  const m = (s.mean * scale).toFixed(digits);
  return n > 1 ? `${m} ± ${(s.std * scale).toFixed(digits)}` : m;
}

/** The report's table: swept values, test loss / accuracy, best validation accuracy and epoch, epochs run, time. */
export function settingsTable(
  summaries: readonly SettingSummary[],
  axisKeys: readonly string[],
  notebook?: NotebookFigures,
): string {
  const header = [
    ...axisKeys,
    ...(notebook ? [notebook.column] : []),
    'test loss',
    'test acc (%)',
    'best val acc (%)',
    'best val epoch',
    'epochs run',
    'train time (s)',
  ];
  const rows = summaries.map((s) => {
    const ok = s.runs - s.failed;
    let epochs = fmt(s.epochsRun, s.runs, s.runs > 1 ? 1 : 0);
    if (s.stoppedEarly > 0) {
      epochs += s.runs > 1 ? ` (${s.stoppedEarly}/${s.runs} stopped early)` : ' (stopped early)';
    }
    if (s.failed > 0) epochs += s.runs > 1 ? ` (${s.failed}/${s.runs} failed)` : ' (failed)';
    return [
      ...axisKeys.map((k) => s.setting[k] ?? ''),
      ...(notebook ? [notebook.values[settingKey(s.setting, axisKeys)] ?? '–'] : []),
      fmt(s.testLoss, ok, 4),
      fmt(s.testAccuracy, ok, 2, 100),
      fmt(s.bestValAccuracy, s.runs, 2, 100),
      fmt(s.bestValEpoch, s.runs, s.runs > 1 ? 1 : 0),
      epochs,
      fmt(s.trainSeconds, s.runs, 1),
    ];
  });
  return markdownTable(header, rows, [
    ...axisKeys.map(() => 'left' as const),
    ...header.slice(axisKeys.length).map(() => 'right' as const),
  ]);
}

/** results.csv: one row per run, swept values as columns. */
export function resultsCsv(records: readonly RunRecord[], axisKeys: readonly string[]): string {
  const header = [
    'run',
    ...axisKeys,
    'repeat',
    'seed',
    'status',
    'test_loss',
    'test_accuracy',
    'best_val_accuracy',
    'best_val_epoch',
    'epochs_run',
    'stopped_early',
    'train_seconds',
    'backend',
    'error',
  ];
  const rows = records.map((r) => [
    r.id,
    ...axisKeys.map((k) => r.setting[k] ?? ''),
    r.repeat + 1,
    r.seed,
    r.status,
    r.testLoss,
    r.testAccuracy,
    r.bestValAccuracy,
    r.bestValEpoch,
    r.epochsRun,
    r.stoppedEarly,
    Number(r.trainSeconds.toFixed(3)),
    r.backend,
    r.error ?? null,
  ]);
  return toCsv(header, rows);
}

/** A figure as the report links it: a title and the PNG's path relative to the report. */
export interface Figure {
  title: string;
  path: string;
}

export interface SweepReportInput {
  title: string;
  /** Lines under the title: what was swept, the notebook, the command. */
  intro: readonly string[];
  /** Fixed settings shown as a list (name -> value). */
  fixed: Readonly<Record<string, string>>;
  axisKeys: readonly string[];
  records: readonly RunRecord[];
  planned: number;
  /** Figures, relative to the report: overlays first, then one per run. */
  figures: readonly Figure[];
  /** The reproduced notebook's figures, as a column beside the results. */
  notebook?: NotebookFigures;
}

/** report.md: the table, then the figures. */
export function sweepReportMarkdown(input: SweepReportInput): string {
  const done = input.records.length;
  const summaries = summarizeSettings(input.records);
  const repeats = Math.max(1, ...summaries.map((s) => s.runs));
  const lines = [`# ${input.title}`, '', ...input.intro, ''];
  lines.push(
    '## Settings',
    '',
    ...Object.entries(input.fixed).map(([k, v]) => `- ${k}: ${v}`),
    '',
    '## Results',
    '',
  );
  if (done < input.planned) {
    lines.push(
      `${done} of ${input.planned} runs finished so far (rerun with --resume to finish).`,
      '',
    );
  }
  if (repeats > 1) {
    lines.push(`Each row: mean ± sample standard deviation over ${repeats} seeds.`, '');
  }
  lines.push(settingsTable(summaries, input.axisKeys, input.notebook), '');
  const best = bestSetting(summaries);
  if (best && summaries.length > 1) {
    const where = input.axisKeys.map((k) => `${k} ${best.setting[k] ?? ''}`).join(', ');
    lines.push(
      `Best setting by best validation accuracy: ${where} (${(100 * best.bestValAccuracy.mean).toFixed(2)}% at epoch ${best.bestValEpoch.mean.toFixed(0)}${best.runs > 1 ? ', mean over seeds' : ''}).`,
      '',
    );
  }
  const failed = input.records.filter((r) => r.status === 'failed');
  for (const r of failed) lines.push(`- run ${r.id} failed: ${r.error ?? 'unknown error'}`);
  if (failed.length > 0) lines.push('');
  if (input.figures.length > 0) {
    lines.push('## Figures', '');
    for (const f of input.figures) lines.push(`### ${f.title}`, '', `![${f.title}](${f.path})`, '');
  }
  return lines.join('\n');
}

/**
 * What a sweep will run: grid axes over `train` flags, their cartesian product, and repeats with
 * different seeds. Plain data, so the plan can be saved, compared on --resume and shown in a page.
 */

/** One value along an axis: the label shown in tables and legends, and the train flags it sets. */
export interface AxisValue {
  label: string;
  flags: Readonly<Record<string, string>>;
}

/** A swept dimension, e.g. `lr` over 0.01 / 0.001, or `optimizer` over bundles of flags. */
export interface GridAxis {
  key: string;
  values: readonly AxisValue[];
}

/** One run of the sweep. */
export interface PlannedRun {
  /** Folder-safe, stable across reruns of the same plan, e.g. `lr-0.01_batch-size-128-r2`. */
  id: string;
  /** Axis key -> value label. */
  setting: Readonly<Record<string, string>>;
  /** Shared by the repeats of one setting. */
  settingId: string;
  /** The train flags this run sets on top of the sweep's fixed flags (seed included). */
  flags: Readonly<Record<string, string>>;
  /** 0-based repeat index. */
  repeat: number;
  seed: number;
}

/** An axis whose values each set the one flag `key` to the value itself. */
export function gridAxis(key: string, values: readonly string[]): GridAxis {
  return { key, values: values.map((v) => ({ label: v, flags: { [key]: v } })) };
}

/**
 * Parses `--grid key=v1,v2,...`. Values that themselves hold commas (hidden sizes such as
 * `512,256`) are separated with ';' instead: `hidden=512;512,256;none`.
 */
export function parseGridArg(arg: string): GridAxis {
  const eq = arg.indexOf('=');
  const key = (eq < 0 ? '' : arg.slice(0, eq)).trim().replace(/^--/, '');
  if (eq < 0 || key === '') {
    throw new Error(
      `--grid takes KEY=V1,V2,... (e.g. --grid lr=0.01,0.001 or --grid "hidden=512;512,256"), got '${arg}'.`,
    );
  }
  const rest = arg.slice(eq + 1);
  const values = rest
    .split(rest.includes(';') ? ';' : ',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (values.length === 0) throw new Error(`--grid ${key}= lists no values.`);
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new Error(`--grid ${key} lists '${v}' twice.`);
    seen.add(v);
  }
  return gridAxis(key, values);
}

/** Lower-case letters, digits, '.', '-' only, for folder names. */
function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'x'
  );
}

/**
 * The cartesian product of the axes (first axis varies slowest, as the table reads), each setting
 * repeated `repeats` times with seeds baseSeed, baseSeed + 1, ...
 */
export function planRuns(
  axes: readonly GridAxis[],
  repeats: number,
  baseSeed: number,
): PlannedRun[] {
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw new RangeError(`repeats must be a whole number >= 1, got ${repeats}.`);
  }
  const keys = new Set<string>();
  for (const axis of axes) {
    if (keys.has(axis.key)) throw new Error(`'${axis.key}' is swept twice; give it one --grid.`);
    keys.add(axis.key);
    if (axis.values.length === 0) throw new Error(`the '${axis.key}' axis has no values.`);
  }
  const touchesSeed = axes.some((a) => a.values.some((v) => 'seed' in v.flags));
  if (touchesSeed && repeats > 1) {
    throw new Error(
      'seed is already swept; --repeats varies the seed too, so use one or the other.',
    );
  }

  let combos: AxisValue[][] = [[]];
  for (const axis of axes) combos = combos.flatMap((c) => axis.values.map((v) => [...c, v]));

  const runs: PlannedRun[] = [];
  const usedIds = new Set<string>();
  for (const combo of combos) {
    const setting: Record<string, string> = {};
    const flags: Record<string, string> = {};
    combo.forEach((v, i) => {
      setting[axes[i]!.key] = v.label;
      Object.assign(flags, v.flags);
    });
    let settingId =
      combo.length === 0
        ? 'base'
        : combo.map((v, i) => `${slug(axes[i]!.key)}-${slug(v.label)}`).join('_');
    for (let k = 2; usedIds.has(settingId); k++) settingId = `${settingId}-${k}`;
    usedIds.add(settingId);
    for (let r = 0; r < repeats; r++) {
      const seed = flags['seed'] !== undefined ? Number(flags['seed']) : baseSeed + r;
      runs.push({
        id: repeats > 1 ? `${settingId}-r${r + 1}` : settingId,
        setting,
        settingId,
        flags: { ...flags, seed: String(seed) },
        repeat: r,
        seed,
      });
    }
  }
  return runs;
}

/** A setting as `key=value` pairs in axis order, e.g. 'lr=0.01, batch-size=128'; '' without axes. */
export function settingLabel(setting: Readonly<Record<string, string>>, separator = ', '): string {
  return Object.entries(setting)
    .map(([k, v]) => `${k}=${v}`)
    .join(separator);
}

/** Mean and sample standard deviation (n - 1; 0 for a single value). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, std: 0 };
  const ss = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, std: Math.sqrt(ss / (n - 1)) };
}

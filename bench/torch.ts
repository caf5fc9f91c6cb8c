/**
 * Runs the PyTorch side of the selected workloads out of process, one Python process per script
 * (e.g. bench/torch_gemm.py), after our own timings so the two never compete for cores.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cpuInfo, openblasCoretype } from './cpu.js';
import type { EpochTiming, TimingOptions, Timing } from './timing.js';
import type { Workload } from './workload.js';

/** Debian's interpreter, which has torch 1.13; BENCH_PYTHON overrides it. */
export const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

/** One row from a script: a call timing (torch_gemm.py) or an epoch timing (torch_train.py). */
export type TorchResult = (Timing | EpochTiming) & {
  id: string;
  threads: number;
  /** torch_speedrun.py: the test accuracy its run reached. */
  accuracy?: number;
  /** torch_predict.py: the file it wrote its predicted probabilities to (float32, row-major). */
  output?: string;
};

export interface TorchRun {
  results: TorchResult[];
  /** Header lines (torch version, BLAS, how threads are pinned). */
  info: string[];
  /** Per workload id: why it has no torch numbers. */
  skipped: Map<string, string>;
}

interface ScriptOutput {
  error?: string;
  torch?: string;
  python?: string;
  cpuCapability?: string;
  blas?: string;
  /** openblas_get_corename() inside the script: the kernels torch's GEMMs actually run. */
  openblasCore?: string | null;
  results?: TorchResult[];
}

export async function runTorch(
  workloads: readonly Workload[],
  threads: readonly number[],
  timing: TimingOptions,
): Promise<TorchRun> {
  const run: TorchRun = { results: [], info: [], skipped: new Map() };
  const byScript = new Map<string, Workload[]>();
  for (const w of workloads) {
    if (w.torch) byScript.set(w.torch.script, [...(byScript.get(w.torch.script) ?? []), w]);
  }
  if (byScript.size === 0) return run;

  if (!existsSync(PYTHON)) {
    for (const w of workloads) run.skipped.set(w.id, `${PYTHON} not found`);
    run.info.push(`torch: skipped (${PYTHON} not found)`);
    return run;
  }

  const core = openblasCoretype(cpuInfo());
  const env = { ...process.env };
  if (core.coretype === undefined) delete env.OPENBLAS_CORETYPE;
  else env.OPENBLAS_CORETYPE = core.coretype;

  for (const [script, ws] of byScript) {
    const path = fileURLToPath(new URL(`../../bench/${script}`, import.meta.url));
    let specs: Record<string, unknown>[];
    try {
      specs = await Promise.all(
        ws.map(async (w) => ({ ...w.torch!.spec, ...(await w.torch!.prepare?.()) })),
      );
    } catch (e) {
      const reason = `preparing its inputs failed: ${(e as Error).message.split('\n')[0]}`;
      for (const w of ws) run.skipped.set(w.id, reason);
      run.info.push(`torch (${script}): skipped (${reason})`);
      continue;
    }
    const args = [
      path,
      '--specs',
      JSON.stringify(specs),
      '--threads',
      threads.join(','),
      '--timing',
      JSON.stringify(timing),
    ];
    let out: ScriptOutput;
    try {
      const { stdout } = await promisify(execFile)(PYTHON, args, {
        timeout: 15 * 60_000,
        env,
        maxBuffer: 1 << 24,
      });
      out = JSON.parse(stdout) as ScriptOutput;
    } catch (e) {
      // Exit code 2 with {"error": ...} on stdout is the script's "torch not importable".
      const err = e as { stdout?: string; stderr?: string; message: string };
      out = { error: parseError(err.stdout) ?? lastLine(err.stderr) ?? err.message.split('\n')[0] };
    }
    if (out.error !== undefined || !out.results) {
      const reason = out.error ?? `${script} printed no results`;
      for (const w of ws) run.skipped.set(w.id, reason);
      run.info.push(`torch (${script}): skipped (${reason})`);
      continue;
    }
    run.results.push(...out.results);
    const lines = [
      `torch: ${out.torch} on Python ${out.python} (${PYTHON}), CPU capability ${out.cpuCapability}, ` +
        `BLAS ${out.blas}; threads pinned with torch.set_num_threads + openblas_set_num_threads`,
      coreLine(core, out.openblasCore),
    ];
    for (const line of lines) if (!run.info.includes(line)) run.info.push(line);
  }
  return run;
}

/** What the torch rows ran with, and a warning when OpenBLAS did not take the core asked for. */
function coreLine(
  core: { coretype: string | undefined; why: string },
  actual: string | null | undefined,
): string {
  const asked =
    core.coretype === undefined
      ? `OPENBLAS_CORETYPE unset (${core.why})`
      : `OPENBLAS_CORETYPE=${core.coretype} (${core.why})`;
  if (actual === null || actual === undefined)
    return `torch BLAS: ${asked}; torch's BLAS is not OpenBLAS, so PyTorch is NOT at its best: install libopenblas0-pthread`;
  const ok = core.coretype === undefined || actual.toLowerCase() === core.coretype.toLowerCase();
  return (
    `torch BLAS: ${asked}; OpenBLAS reports core ${actual}` +
    (ok ? '' : ` -- NOT the core asked for: PyTorch's GEMMs may not be at their best`)
  );
}

function parseError(stdout: string | undefined): string | undefined {
  try {
    return (JSON.parse(stdout ?? '') as ScriptOutput).error;
  } catch {
    return undefined;
  }
}

function lastLine(s: string | undefined): string | undefined {
  const lines = (s ?? '').trim().split('\n');
  return lines[lines.length - 1] || undefined;
}

/**
 * The CPU as /proc/cpuinfo describes it, and the OpenBLAS core type that runs PyTorch's GEMMs at
 * their best on it. Debian's OpenBLAS 0.3.21 (DYNAMIC_ARCH) does not know every recent CPU and then
 * falls back to slow generic kernels (Prescott: ~60 GFLOP/s on one Sapphire Rapids core instead of
 * ~200); OPENBLAS_CORETYPE makes it use the named family's kernels.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface CpuInfo {
  /** 'GenuineIntel', 'AuthenticAMD', ... ('' when unknown). */
  vendor: string;
  family: number | undefined;
  model: number | undefined;
  flags: Set<string>;
}

export function cpuInfo(): CpuInfo | undefined {
  if (!existsSync('/proc/cpuinfo')) return undefined;
  const text = readFileSync('/proc/cpuinfo', 'utf8');
  const field = (name: string): string | undefined =>
    new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
  const int = (s: string | undefined): number | undefined =>
    s === undefined || !/^\d+$/.test(s) ? undefined : Number(s);
  return {
    vendor: field('vendor_id') ?? '',
    family: int(field('cpu family')),
    model: int(field('model')),
    flags: new Set((field('flags') ?? field('Features') ?? '').split(/\s+/).filter(Boolean)),
  };
}

export interface CoreChoice {
  /** The OPENBLAS_CORETYPE to run torch with; undefined leaves OpenBLAS to detect the CPU. */
  coretype: string | undefined;
  /** Why, for the table header. */
  why: string;
}

/**
 * BENCH_OPENBLAS_CORETYPE wins (empty: OpenBLAS detects the CPU itself). An OPENBLAS_CORETYPE
 * already in the environment is not trusted: it may be a machine-wide setting made for another
 * CPU (one dev machine exports Haswell, which halves PyTorch's GEMM speed on its AVX-512 cores),
 * so the header names it and the bench replaces it. Else
 * AVX-512 (F, BW, VL, DQ, CD) picks the AVX-512 kernels, Cooperlake's when the CPU has BF16,
 * whatever the vendor: on an AMD EPYC with AVX-512 they ran the 1024^3 GEMM at ~238 GFLOP/s on
 * one core, against ~123 for OpenBLAS's Zen (AVX2) kernels. AVX2 + FMA picks Zen on AMD and
 * Haswell elsewhere.
 */
export function openblasCoretype(
  cpu: CpuInfo | undefined,
  env: NodeJS.ProcessEnv = process.env,
): CoreChoice {
  const ambient = env.OPENBLAS_CORETYPE;
  const choice = chooseCoretype(cpu, env.BENCH_OPENBLAS_CORETYPE);
  if (ambient === undefined || ambient === choice.coretype) return choice;
  return {
    ...choice,
    why: `${choice.why}; replaces OPENBLAS_CORETYPE=${ambient} from the environment`,
  };
}

function chooseCoretype(cpu: CpuInfo | undefined, override: string | undefined): CoreChoice {
  if (override !== undefined) {
    return override === ''
      ? { coretype: undefined, why: 'BENCH_OPENBLAS_CORETYPE set empty: OpenBLAS detects the CPU' }
      : { coretype: override, why: 'from BENCH_OPENBLAS_CORETYPE' };
  }
  if (!cpu) return { coretype: undefined, why: 'no /proc/cpuinfo: OpenBLAS detects the CPU' };
  const has = (...f: string[]): boolean => f.every((x) => cpu.flags.has(x));
  const desc = `${cpu.vendor || 'unknown vendor'}, family ${cpu.family ?? '?'} model ${cpu.model ?? '?'}`;
  if (has('avx512f', 'avx512bw', 'avx512vl', 'avx512dq', 'avx512cd')) {
    return has('avx512_bf16')
      ? { coretype: 'Cooperlake', why: `${desc} with AVX-512 and AVX512-BF16` }
      : { coretype: 'SkylakeX', why: `${desc} with AVX-512` };
  }
  if (has('avx2', 'fma')) {
    return cpu.vendor === 'AuthenticAMD'
      ? { coretype: 'Zen', why: `${desc} with AVX2` }
      : { coretype: 'Haswell', why: `${desc} with AVX2` };
  }
  return { coretype: undefined, why: `${desc} without AVX2: OpenBLAS detects the CPU` };
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openblasCoretype, type CpuInfo } from './cpu.js';

const AVX512 = 'avx2 fma avx512f avx512bw avx512vl avx512dq avx512cd';
const cpu = (vendor: string, flags: string): CpuInfo => ({
  vendor,
  family: 6,
  model: 143,
  flags: new Set(flags.split(' ')),
});

test('the OpenBLAS core type follows the CPU: AVX-512 kernels whatever the vendor, else Zen or Haswell', () => {
  assert.equal(openblasCoretype(cpu('GenuineIntel', AVX512), {}).coretype, 'SkylakeX');
  assert.equal(
    openblasCoretype(cpu('GenuineIntel', `${AVX512} avx512_bf16`), {}).coretype,
    'Cooperlake',
  );
  assert.equal(
    openblasCoretype(cpu('AuthenticAMD', `${AVX512} avx512_bf16`), {}).coretype,
    'Cooperlake',
  );
  assert.equal(openblasCoretype(cpu('AuthenticAMD', 'avx2 fma'), {}).coretype, 'Zen');
  assert.equal(openblasCoretype(cpu('GenuineIntel', 'avx2 fma'), {}).coretype, 'Haswell');
  assert.equal(openblasCoretype(cpu('GenuineIntel', 'sse4_2'), {}).coretype, undefined);
  assert.equal(openblasCoretype(undefined, {}).coretype, undefined);
});

test('BENCH_OPENBLAS_CORETYPE overrides; an ambient OPENBLAS_CORETYPE is replaced and named', () => {
  const amd = cpu('AuthenticAMD', `${AVX512} avx512_bf16`);
  assert.equal(openblasCoretype(amd, { BENCH_OPENBLAS_CORETYPE: 'Zen' }).coretype, 'Zen');
  assert.equal(openblasCoretype(amd, { BENCH_OPENBLAS_CORETYPE: '' }).coretype, undefined);
  const replaced = openblasCoretype(amd, { OPENBLAS_CORETYPE: 'Haswell' });
  assert.equal(replaced.coretype, 'Cooperlake');
  assert.match(replaced.why, /replaces OPENBLAS_CORETYPE=Haswell/);
});
